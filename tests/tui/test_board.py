"""The dashboard's board model, without an app: counts, the view, row moves, markers,
histories, the streak and a new day. Plain pytest: no Pilot, no Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

from store.model import Settings
from store.rules.cadence import column_order
from tests.factories import TODAY, at, make_contact, make_touch
from tests.paths import ROOT
from tui.dashboard.board import Board, RowMove, insertion_index, quick_marker

SETTINGS = Settings()
TOMORROW = TODAY + timedelta(days=1)


def board_of(*contacts, today=TODAY) -> Board:
    board = Board(today)
    board.load(contacts, {})
    board.columns(today, SETTINGS)
    return board


def test_the_board_imports_no_textual() -> None:
    source = (ROOT / "tui" / "dashboard" / "board.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert imported, "the check found no imports at all"
    assert not {m for m in imported if m.split(".")[0] in ("textual", "rich", "widgets")}
    # And at run time, with everything it imports (the store included):
    code = "import sys, tui.dashboard.board; print('textual' in sys.modules)"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"


def test_columns_count_by_heat_and_due_state_and_keep_column_order() -> None:
    late = make_contact(name="Late", heat="hot", next_due=TODAY - timedelta(days=2))
    now = make_contact(name="Now", heat="hot", next_due=TODAY)
    later = make_contact(name="Later", heat="cool", next_due=TODAY + timedelta(days=30))
    board = Board(TODAY)
    board.load([later, now, late], {})
    ordered = board.columns(TODAY, SETTINGS)
    assert ordered["hot"] == column_order([now, late], TODAY, SETTINGS)
    assert ordered["warm"] == []
    assert [c.uid for c in ordered["cool"]] == [later.uid]
    assert board.heat_counts == {"hot": 2, "warm": 0, "cool": 1}
    assert board.due_counts["overdue"] == 1
    assert board.due_counts["today"] == 1
    assert board.due_counts["later"] == 1


def test_first_paint_counts_come_from_the_store_not_the_first_rows() -> None:
    board = Board(TODAY)
    board.load([make_contact(heat="hot", next_due=TODAY)], {})
    board.columns(TODAY, SETTINGS, counts=({"hot": 40, "warm": 3, "cool": 0}, 7, 2))
    assert board.heat_counts["hot"] == 40
    assert (board.due_counts["today"], board.due_counts["overdue"]) == (7, 2)


def test_filter_and_today_only_choose_the_rows_but_not_the_counts() -> None:
    anna = make_contact(name="Anna Berg", company="Nordlicht", next_due=TODAY)
    omar = make_contact(name="Omar", company="Acme", next_due=TODAY + timedelta(days=9))
    board = board_of(anna, omar)
    board.filter_text = "  NORD "
    assert [c.uid for c in board.columns(TODAY, SETTINGS)["warm"]] == [anna.uid]
    board.filter_text = ""
    board.today_only = True
    assert [c.uid for c in board.columns(TODAY, SETTINGS)["warm"]] == [anna.uid]
    assert board.heat_counts["warm"] == 2
    assert board.view_note() == "today only (T)"
    board.filter_text = "x\x1b[31m"
    board.waiting = 1
    note = board.view_note()
    assert note.startswith("saving: waiting for another followup process, today only (T)")
    assert "\x1b" not in note


def test_a_heat_change_moves_the_row_and_the_counts() -> None:
    anna = make_contact(heat="warm", next_due=TODAY)
    board = board_of(anna)
    move = board.apply(anna.uid, replace(anna, heat="hot"))
    assert move == RowMove(anna.uid, "warm", "hot", replace(anna, heat="hot"))
    assert move.moved_column
    assert board.heat_counts["hot"] == 1 and board.heat_counts["warm"] == 0
    assert board.contacts[anna.uid].heat == "hot"


def test_a_change_in_the_same_column_redraws_the_row_in_place() -> None:
    anna = make_contact(heat="warm", next_due=TODAY)
    board = board_of(anna)
    later = replace(anna, next_due=TODAY + timedelta(days=10))
    move = board.apply(anna.uid, later)
    assert move == RowMove(anna.uid, None, "warm", later)
    assert not move.moved_column
    assert board.due_counts["today"] == 0 and board.due_counts["later"] == 1


def test_a_dropped_or_removed_contact_leaves_and_a_new_one_joins() -> None:
    anna = make_contact(heat="cool", next_due=TODAY)
    board = board_of(anna)
    dropped = replace(anna, status="dropped", dropped_on=TODAY)
    assert board.apply(anna.uid, dropped) == RowMove(anna.uid, "cool", None, None)
    assert anna.uid not in board.contacts
    assert board.heat_counts["cool"] == 0 and board.due_counts["today"] == 0
    assert board.apply(anna.uid, anna) == RowMove(anna.uid, None, "cool", anna)
    assert board.heat_counts["cool"] == 1
    assert board.apply(anna.uid, None).old_heat == "cool"
    assert board.apply("nobody", None) == RowMove("nobody")


def test_a_change_the_view_hides_takes_the_row_out() -> None:
    anna = make_contact(name="Anna", next_due=TODAY)
    board = board_of(anna)
    board.today_only = True
    move = board.apply(anna.uid, replace(anna, next_due=TODAY + timedelta(days=20)))
    assert (move.old_heat, move.new_heat) == ("warm", None)
    assert anna.uid in board.contacts  # still counted, only not shown


def test_insertion_index_agrees_with_column_order() -> None:
    contacts = [
        make_contact(next_due=TODAY + timedelta(days=d))
        for d in (5, -3, 0, 12, None, 1)
        if d is not None
    ] + [make_contact(next_due=None)]
    ordered = column_order(contacts, TODAY, SETTINGS)
    for contact in contacts:
        others = [c for c in ordered if c is not contact]
        assert insertion_index(others, contact, TODAY, SETTINGS) == ordered.index(contact)


def test_touches_logged_and_undone_keep_days_histories_and_streak() -> None:
    anna = make_contact()
    board = board_of(anna)
    assert board.streak_now(SETTINGS.rest_days).current == 0
    old = make_touch(contact=anna, at=at(TODAY - timedelta(days=3)))
    board.histories[anna.uid] = [old]
    touch = make_touch(contact=anna, at=at(TODAY))
    board.touch_logged(anna.uid, touch)
    assert board.days == {TODAY: 1}
    assert board.histories[anna.uid] == [touch, old]  # newest first
    assert board.streak_now(SETTINGS.rest_days).touches_today == 1
    assert board.streak_now(SETTINGS.rest_days).current == 1
    assert board.touch_undone(anna.uid, touch.uid)
    assert board.days == {}  # only days with a touch are kept
    assert board.histories[anna.uid] == [old]
    assert board.streak_now(SETTINGS.rest_days).touches_today == 0
    assert not board.touch_undone(anna.uid, "a touch logged elsewhere")


def test_markers_from_the_thread_skip_the_ones_set_here_meanwhile() -> None:
    anna, omar = make_contact(), make_contact()
    board = board_of(anna, omar)
    assert (
        board.marker(replace(anna, next_due=None))
        == quick_marker(replace(anna, next_due=None))
        == "!"
    )
    assert not board.markers_ready
    board.set_marker(anna.uid, "$")  # computed here while the thread ran
    history = [make_touch(contact=omar)]
    drawn = board.apply_markers(
        {anna.uid: "", omar.uid: "?"}, {anna.uid: [], omar.uid: history}, None
    )
    assert board.markers_ready
    assert drawn == {anna.uid: "$", omar.uid: "?"}
    assert board.histories == {omar.uid: history}
    board.fresh_markers.clear()
    drawn = board.apply_markers({omar.uid: "~", "gone": "!"}, {omar.uid: []}, {omar.uid, "gone"})
    assert drawn == {omar.uid: "~"}  # only rows the board shows are redrawn
    assert board.histories[omar.uid] == []
    board.set_marker(omar.uid, None)
    assert omar.uid not in board.markers


def test_load_reads_again_and_a_new_day_is_seen() -> None:
    anna = make_contact(next_due=TOMORROW)
    board = board_of(anna)
    board.histories[anna.uid] = []
    board.load([anna], {TODAY: 2})
    assert board.histories == {} and board.days == {TODAY: 2}
    assert not board.is_new_day(TODAY)
    assert board.is_new_day(TOMORROW)
    board.columns(TOMORROW, SETTINGS)
    assert board.today == TOMORROW
    assert board.due_counts["today"] == 1


def test_the_best_channel_is_read_once_per_version_of_the_touches() -> None:
    anna = make_contact(name="Anna")
    emails = [make_touch(contact=anna, channel="email", outcome="reached") for _ in range(20)]
    calls = [make_touch(contact=anna, channel="call", outcome="no-reply") for _ in range(20)]
    reads: list[int] = []

    def every_touch():
        reads.append(1)
        return [*emails, *calls]

    board = board_of(anna)
    best = board.proven(every_touch)
    assert best is not None and best[0] == "email"
    assert board.proven(every_touch) == best and len(reads) == 1  # kept
    board.touch_logged(anna.uid, make_touch(contact=anna, channel="call", outcome="no-reply"))
    board.proven(every_touch)
    assert len(reads) == 2  # a touch logged here: read again
    board.forget({anna.uid})  # changed in another process
    board.proven(every_touch)
    assert len(reads) == 3


def test_the_best_channel_follows_the_thread_s_tally_without_reading_a_touch() -> None:
    from store.rules.stats import ChannelTally

    anna, ben = make_contact(name="Anna"), make_contact(name="Ben")
    emails = [make_touch(contact=anna, channel="email", outcome="reached") for _ in range(20)]
    calls = [make_touch(contact=ben, channel="call", outcome="reached") for _ in range(19)]
    tally = ChannelTally()
    tally.count(anna.uid, emails)
    tally.count(ben.uid, calls)

    def every_touch():
        raise AssertionError("the tally stands for every touch: nothing is read")

    board = board_of(anna, ben)
    board.apply_markers({}, {anna.uid: list(emails), ben.uid: list(calls)}, None, tally)
    assert board.proven(every_touch) is None  # both answered: too few to tell apart
    for _ in range(20):  # Ben's calls go unanswered, logged here
        board.history_changed(
            ben.uid, added=make_touch(contact=ben, channel="call", outcome="no-reply")
        )
    best = board.proven(every_touch)
    assert best is not None and best[0] == "email"
    board.load([anna, ben], {})  # everything read again: the tally waits for the thread
    assert board.tally is None
