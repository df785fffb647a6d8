"""After a change the dashboard redraws only what the change touched: the row of the
contact changed (moved to its place, in its column), the counts, the header and that
contact's marker; every other row is the same object as before, no column is filled
again, and the marker thread reads only the journal. Checked by identity and by
counting calls, on a temporary database at a fixed clock; and the columns are what a
fresh read of the store would show."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets.option_list import Option

from store.model import HEATS, Touch
from store.rules.cadence import due_state
from store.rules.streak import compute_streak
from store.store import Store
from tests.conftest import NOW, TODAY, Env
from tests.factories import make_contact
from tests.tui.test_dashboard_updates import (
    add_many,
    all_rows_drawn,
    assert_columns_match_the_store,
    dashboard,
    settle,
)
from tests.tui.waiting import idle
from tui.dashboard.board import NO_NEXT_STEP, Board, marker_for
from tui.dashboard.screen import DashboardScreen
from tui.dashboard.view import BoardView
from widgets.heat_column import HeatColumn, Row
from widgets.streak_header import StreakHeader

SIZE = (80, 24)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the costly paths ran: filling a column, drawing or reading every
    contact, reading one contact back, computing the streak, syncing the main file."""
    counted: Counter[str] = Counter()

    def counting(owner: Any, name: str, label: str, *, static: bool = False) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[label] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, staticmethod(wrapper) if static else wrapper)

    counting(HeatColumn, "set_options", "set_options")
    counting(BoardView, "render_contacts", "render_contacts")
    counting(BoardView, "reload", "reload")
    counting(BoardView, "stored", "read one contact")
    counting(Board, "compute_streak", "streak", static=True)
    counting(StreakHeader, "show", "header")
    counting(DashboardScreen, "refresh_keys", "keys")
    original_sync = Store.sync

    def sync(store: Store, *, main: bool = True) -> bool:
        SYNCS.append((store, main))
        return original_sync(store, main=main)

    monkeypatch.setattr(Store, "sync", sync)
    SYNCS.clear()
    return counted


SYNCS: list[tuple[Store, bool]] = []  # each Store.sync(): the store, and whether of the main file


def syncs_of(store: Store | None) -> list[bool]:
    """Whether each sync of `store` since the counts were cleared read the main file."""
    return [main for synced, main in SYNCS if synced is store]


def rows_by_uid(app: Any) -> dict[str, Row]:
    columns = app.screen.query(HeatColumn).results(HeatColumn)
    return {row.uid: row for c in columns for row in c.rows}


def options_by_uid(app: Any) -> dict[str, Option]:
    columns = app.screen.query(HeatColumn).results(HeatColumn)
    return {o.id: o for c in columns for o in c.options if o.id is not None}


def rebuilt(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The uids whose object is not the one it was (or is gone)."""
    return {uid for uid, thing in before.items() if after.get(uid) is not thing}


async def markers_read(pilot: Any) -> None:
    await idle(pilot)


def assert_counts_match_the_store(app: Any, env: Env) -> None:
    active = env.other_store().contacts()
    screen = dashboard(app)
    states = Counter(due_state(c, TODAY) for c in active)
    header = app.screen.query_one(StreakHeader)
    assert (header.due_today, header.overdue) == (states["today"], states["overdue"])
    assert {h: screen.board.heat_counts[h] for h in HEATS} == {
        h: sum(c.heat == h for c in active) for h in HEATS
    }


@asynccontextmanager
async def opened(
    app_factory: Any, env: Env, count: int, *, seed: int, every_row: bool = True
) -> AsyncIterator[tuple[Any, Any, Any]]:
    """The dashboard on `count` contacts (`add_many`), settled, at SIZE; with `every_row`,
    once every row is drawn. Yields the app, its pilot and the dashboard."""
    add_many(env, count, seed=seed)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if every_row:
            await all_rows_drawn(pilot)
        yield app, pilot, dashboard(app)


async def test_another_process_changing_one_contact_redraws_only_its_row(
    app_factory, tmp_store: Env, calls: Counter[str]
) -> None:
    async with opened(app_factory, tmp_store, 60, seed=5) as (app, pilot, screen):
        jonas = tmp_store.uid("Jonas Weber")  # warm, due tomorrow
        rows, options = rows_by_uid(app), options_by_uid(app)
        calls.clear()
        SYNCS.clear()
        other = tmp_store.other_store()
        other.update_fields(jonas, {"heat": "hot", "next_due": TODAY - timedelta(days=3)})
        screen.poll()
        await markers_read(pilot)
        assert_columns_match_the_store(app, tmp_store)  # its new place, the titles
        assert_counts_match_the_store(app, tmp_store)
        assert rows_by_uid(app)[jonas].contact == other.contact(jonas)
        assert rebuilt(rows, rows_by_uid(app)) == {jonas}
        assert rebuilt(options, options_by_uid(app)) == {jonas}
        assert calls["set_options"] == calls["render_contacts"] == calls["reload"] == 0
        assert screen.view.reader.full_reads == 1, "only the first read was of everyone"
        assert syncs_of(screen.view.reader.store) == [False], "it read the journal alone"
        assert syncs_of(screen.store)[:1] == [True], "the dashboard's own poll"
        fresh = other.contact(jonas)
        assert screen.board.markers[jonas] == marker_for(
            fresh, other.touches(jonas), other.settings, TODAY
        )


async def test_several_contacts_changed_elsewhere_show_the_header_and_keys_once(
    app_factory, tmp_store: Env, calls: Counter[str]
) -> None:
    async with opened(app_factory, tmp_store, 30, seed=6) as (app, pilot, screen):
        other = tmp_store.other_store()
        changed = [contact.uid for contact in other.contacts()[:3]]
        calls.clear()
        for uid in changed:
            other.update_fields(uid, {"next_step": "Call back", "next_due": TODAY})
        screen.poll()
        await markers_read(pilot)
        assert_columns_match_the_store(app, tmp_store)
        assert_counts_match_the_store(app, tmp_store)
        assert calls["read one contact"] == 3
        assert calls["header"] == 1, "the header is drawn once, after every row"
        assert calls["keys"] == 1
        assert calls["render_contacts"] == calls["reload"] == 0


async def test_a_touch_logged_elsewhere_reaches_its_row_history_and_marker_alone(
    app_factory, tmp_store: Env, calls: Counter[str]
) -> None:
    async with opened(app_factory, tmp_store, 30, seed=11) as (app, pilot, screen):
        lena = tmp_store.uid("Lena Fischer")  # no next step: its marker says so
        assert screen.board.markers[lena] == NO_NEXT_STEP
        rows = rows_by_uid(app)
        calls.clear()
        SYNCS.clear()
        other = tmp_store.other_store()
        other.log_fields(
            Touch(contact_uid=lena, at=NOW, channel="email", outcome="waiting"),
            {"next_step": "Send the summary", "next_due": TODAY + timedelta(days=2)},
        )
        screen.poll()
        await markers_read(pilot)
        assert screen.view.history(lena) == other.touches(lena)
        assert [t.channel for t in screen.board.histories[lena]] == ["email"]
        assert screen.board.markers[lena] == marker_for(
            other.contact(lena), other.touches(lena), other.settings, TODAY
        )
        assert rows_by_uid(app)[lena].marker == screen.board.markers[lena]
        assert rebuilt(rows, rows_by_uid(app)) == {lena}
        assert screen.view.reader.full_reads == 1
        assert syncs_of(screen.view.reader.store) == [False]
        assert app.screen.query_one(StreakHeader).streak.touches_today == 1
        assert_columns_match_the_store(app, tmp_store)


async def test_a_touch_logged_here_redraws_its_row_from_what_the_write_returned(
    app_factory, tmp_store: Env, calls: Counter[str]
) -> None:
    async with opened(app_factory, tmp_store, 60, seed=9) as (app, pilot, screen):
        contact = screen.current_contact
        assert contact is not None
        rows = rows_by_uid(app)
        touches = len(tmp_store.other_store().touches(contact.uid))
        calls.clear()
        SYNCS.clear()
        await pilot.press("t", "c", "enter", "enter")
        await pilot.pause()
        assert len(tmp_store.other_store().touches(contact.uid)) == touches + 1
        assert rebuilt(rows, rows_by_uid(app)) == {contact.uid}
        assert calls["set_options"] == calls["render_contacts"] == calls["reload"] == 0
        assert calls["read one contact"] == 0, "the write returned the contact as stored"
        assert calls["streak"] == 1, "today's first touch: the streak is computed again"
        header = app.screen.query_one(StreakHeader)
        assert header.streak.touches_today == 1
        await all_rows_drawn(pilot)
        assert_columns_match_the_store(app, tmp_store)
        assert_counts_match_the_store(app, tmp_store)
        await pilot.press("t", "c", "enter", "enter")  # a second touch today
        await pilot.pause()
        assert calls["streak"] == 1, "today had a touch already: only its count moved"
        assert header.streak.touches_today == 2
        assert header.streak == compute_streak(
            tmp_store.other_store().touch_days(), TODAY, tmp_store.store.settings.rest_days
        )
        while screen.undo_stack:
            await pilot.press("u")
        await pilot.pause()
        assert header.streak.touches_today == 0
        assert calls["streak"] == 2, "today lost its last touch"
        assert_columns_match_the_store(app, tmp_store)


# -- the column's own bookkeeping ------------------------------------------------------


class _Two(App[None]):
    """A column changed row by row, and one filled afresh with the same rows."""

    CSS = "HeatColumn { height: 12; }"

    def compose(self) -> ComposeResult:
        yield HeatColumn("warm", id="changed")
        yield HeatColumn("warm", id="fresh")


def same_as_fresh(changed: HeatColumn, fresh: HeatColumn) -> None:
    assert_painted_as_afresh(changed)
    fresh.set_rows(changed.rows)
    assert [o.id for o in changed.options] == [r.uid for r in changed.rows]
    assert all(changed.get_option_index(o.id or "") == i for i, o in enumerate(changed.options))
    assert list(changed._lines) == list(fresh._lines)
    assert changed.virtual_size.height == fresh.virtual_size.height
    changed.scroll_to(y=0, animate=False, immediate=True)
    assert [drawn(changed, y) for y in range(10)] == [drawn(fresh, y) for y in range(10)]


def count_painted(column: HeatColumn) -> list[int]:
    """The lines `column` paints from now on (`del column.render_line` stops counting)."""
    painted: list[int] = []
    original = column.render_line

    def counting(y: int) -> Strip:
        painted.append(y)
        return original(y)

    column.render_line = counting  # type: ignore[method-assign]
    return painted


def assert_painted_as_afresh(column: HeatColumn) -> None:
    """The lines the column shows now (a change repaints only the lines it marks; the
    others are what was painted before) are the lines a repaint of all of it gives: no
    line was left showing what it showed before the change."""
    crop = Region(0, 0, *column.outer_size)
    painted = [list(strip) for strip in column.render_lines(crop)]
    column._styles_cache.clear()
    afresh = [list(strip) for strip in column.render_lines(crop)]
    assert [Strip(line).text for line in painted] == [Strip(line).text for line in afresh]
    assert painted == afresh


def drawn(column: HeatColumn, y: int) -> str:
    """Line `y` as drawn (the two columns differ in focus, so in colours)."""
    return column.render_line(y).text


def order(rows: list[Row]) -> Iterator[str]:
    yield from (row.uid for row in rows)


async def test_rows_placed_moved_marked_and_removed_keep_the_column_as_a_fresh_fill() -> None:
    """Random changes, made scrolled anywhere, with the highlight anywhere and the mouse
    over a row or not, the highlight following its contact or not: after each, every
    line shows what a repaint of the whole column shows (no line painted before the
    change and taken again is wrong)."""
    rng = random.Random(4)
    people = [make_contact(name=f"P{n:02d}", next_step=f"step {n}") for n in range(30)]
    app = _Two()
    async with app.run_test(size=(40, 30)) as pilot:
        changed = app.query_one("#changed", HeatColumn)
        fresh = app.query_one("#fresh", HeatColumn)
        changed.set_rows([Row(c, TODAY) for c in people[:12]])
        await pilot.pause()
        for step in range(120):
            rows = changed.rows
            if rng.random() < 0.3:
                changed.scroll_to(y=rng.randint(0, 2 * len(rows)), animate=False, immediate=True)
            if rng.random() < 0.3 and rows:
                changed.highlighted = rng.randrange(len(rows))
            if rng.random() < 0.3:
                await pilot.hover("#changed", offset=(5, rng.randint(1, 10)))
            await pilot.pause()
            assert_painted_as_afresh(changed)
            kind = rng.choice(["place new", "move", "mark", "remove"])
            outside = [c for c in people if c.uid not in set(order(rows))]
            highlighted = changed.highlighted_uid
            follow = rng.random() < 0.5
            if kind == "place new" and outside:
                contact = rng.choice(outside)
                changed.place(Row(contact, TODAY), rng.randint(0, len(rows)), total=len(rows) + 1)
            elif kind == "move" and rows:
                row = rng.choice(rows)
                changed.place(
                    Row(row.contact, TODAY, rng.choice(["", "!"])),
                    rng.randint(0, len(rows) - 1),
                    total=len(rows),
                    follow=follow,
                )
                if not follow and row.uid == highlighted:
                    highlighted = None
            elif kind == "mark" and rows:
                changed.set_marker(rng.choice(rows).uid, rng.choice(["", "!", "?"]))
            elif kind == "remove" and len(rows) > 1:
                gone = rng.choice(rows).uid
                changed.remove_row(gone, total=len(rows) - 1)
                highlighted = None if gone == highlighted else highlighted
            else:
                continue
            if highlighted is not None and kind != "remove":
                assert changed.highlighted_uid == highlighted, (step, kind)
            await pilot.pause()
            if rng.random() < 0.5:
                assert_painted_as_afresh(changed)
            else:
                same_as_fresh(changed, fresh)


async def test_rows_below_a_row_that_left_are_shifted_not_painted_again() -> None:
    """When the top row moves to the end, each line below it shows what the line two
    below showed: only the highlighted row (now the next contact) and the row that
    came into view are painted; the rest take the lines painted before."""
    people = [make_contact(name=f"P{n:02d}", next_step=f"step {n}") for n in range(30)]
    app = _Two()
    async with app.run_test(size=(40, 30)) as pilot:
        column = app.query_one("#changed", HeatColumn)
        column.set_rows([Row(c, TODAY) for c in people])
        await pilot.pause()
        painted = count_painted(column)
        top = column.rows[0]
        column.place(top, len(column.rows) - 1, total=len(column.rows), follow=False)
        await pilot.pause()
        visible = column.scrollable_content_region.height
        assert column.highlighted == 0 and column.highlighted_uid == people[1].uid
        assert sorted(painted) == [0, 1, visible - 2, visible - 1]
        del column.render_line
        assert_painted_as_afresh(column)


async def test_the_highlight_moving_repaints_only_the_row_it_leaves_and_the_one_it_reaches() -> (
    None
):
    people = [make_contact(name=f"P{n:02d}", next_step=f"step {n}") for n in range(30)]
    app = _Two()
    async with app.run_test(size=(40, 30)) as pilot:
        column = app.query_one("#changed", HeatColumn)
        column.set_rows([Row(c, TODAY) for c in people])
        await pilot.pause()
        painted = count_painted(column)
        column.highlighted = 1  # a key (j)
        await pilot.pause()
        assert sorted(painted) == [0, 1, 2, 3]
        painted.clear()
        assert column.select_uid(people[3].uid)  # the row a change put back
        await pilot.pause()
        assert sorted(painted) == [2, 3, 6, 7]
        del column.render_line
        assert_painted_as_afresh(column)


async def test_a_row_that_moves_to_another_column_repaints_only_what_changed_in_each() -> None:
    """A contact moving from one column to another changes both columns' counts and
    heights: the column it left paints only its new top rows and the row that came
    into view, the column it joined only its new row; the titles show the new counts
    (and the scroll thumb its new place) without a repaint of the rest."""
    people = [make_contact(name=f"P{n:02d}", next_step=f"step {n}") for n in range(40)]
    app = _Two()
    async with app.run_test(size=(40, 30)) as pilot:
        left = app.query_one("#changed", HeatColumn)
        joined = app.query_one("#fresh", HeatColumn)
        left.set_rows([Row(c, TODAY) for c in people[:20]])
        joined.set_rows([Row(c, TODAY) for c in people[20:]])
        await pilot.pause()
        painted = {"changed": count_painted(left), "fresh": count_painted(joined)}
        mover = left.rows[0]
        left.remove_row(mover.uid, total=19)
        joined.place(mover, 0, total=21)
        await pilot.pause()
        visible = left.scrollable_content_region.height
        assert sorted(painted["changed"]) == [0, 1, visible - 2, visible - 1]
        assert sorted(painted["fresh"]) == [0, 1]
        for column, count in ((left, "19"), (joined, "21")):
            del column.render_line  # the class's own again
            crop = Region(0, 0, *column.outer_size)
            assert f"WARM {count}" in column.render_lines(crop)[0].text
            assert_painted_as_afresh(column)


async def test_the_detail_line_shows_a_touch_logged_elsewhere_on_the_highlighted_contact(
    app_factory, tmp_store: Env
) -> None:
    async with opened(app_factory, tmp_store, 12, seed=4, every_row=False) as (app, pilot, screen):
        contact = screen.current_contact
        assert contact is not None
        tmp_store.other_store().log_fields(
            Touch(contact_uid=contact.uid, at=NOW, channel="meeting", outcome="reached"),
            {"next_step": "Write up the meeting"},
        )
        screen.poll()
        await markers_read(pilot)
        await pilot.pause()
        assert screen.current_contact is not None
        assert screen.current_contact.uid == contact.uid
        detail = str(app.screen.query_one("#detail").render())
        assert "Write up the meeting" in detail
        assert "meeting, reached" in detail and "Last: ..." not in detail


async def test_a_new_detail_line_is_drawn_without_laying_the_screen_out_again(
    app_factory, tmp_store: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The detail line has a fixed size: its new text is painted in place. A layout of
    the whole screen after each change to the highlighted contact cost more than all the
    lines the change drew."""
    async with opened(app_factory, tmp_store, 12, seed=4, every_row=False) as (app, pilot, screen):
        contact = screen.current_contact
        assert contact is not None
        layouts: list[object] = []  # the widgets that asked for a layout
        refresh = Widget.refresh

        def counted(self: Widget, *regions: Any, **kwargs: Any) -> Any:
            if kwargs.get("layout"):
                layouts.append(self)
            return refresh(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", counted)
        tmp_store.other_store().update_fields(contact.uid, {"next_step": "Send the quote"})
        screen.poll()
        await markers_read(pilot)
        await pilot.pause()
        assert layouts == []
        detail = app.screen.query_one("#detail")
        painted = [strip.text for strip in screen._compositor.render_strips()]
        assert "Next: Send the quote" in painted[detail.region.y]


class _Clicked(App[None]):
    """One column, and the contacts opened in it by the mouse."""

    CSS = "HeatColumn { height: 12; }"

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        yield HeatColumn("warm")

    def on_heat_column_opened(self, event: HeatColumn.Opened) -> None:
        self.opened.append(event.uid)


async def test_a_click_opens_the_row_under_it_after_rows_moved_and_scrolled() -> None:
    """The drawn lines don't name their option (so a move repaints only the lines it
    changed): the mouse finds the row from the line it is on, scrolled or not."""
    people = [make_contact(name=f"P{n:02d}") for n in range(20)]
    app = _Clicked()
    async with app.run_test(size=(40, 16)) as pilot:
        column = app.query_one(HeatColumn)
        column.set_rows([Row(c, TODAY) for c in people])
        await pilot.pause()
        column.place(Row(people[0], TODAY), 7, total=20)  # the first row goes down
        column.place(Row(people[19], TODAY), 0, total=20)  # the last comes to the top
        await pilot.pause()
        assert [row.contact for row in column.rows[:4]] == [people[19], *people[1:4]]
        for highlight in (0, 15):  # at the top, then scrolled down
            column.highlighted = highlight
            await pilot.pause()
            top = column.scroll_offset.y
            assert (top > 0) == (highlight == 15)
            # line 0 is the border; each row is two lines: this is the second line of
            # the fourth row shown
            await pilot.click(HeatColumn, offset=(3, 1 + 2 * 3 + 1))
            row = column.rows[(top + 2 * 3 + 1) // 2]
            assert column.highlighted_uid == row.uid
            assert app.opened[-1] == row.uid
        assert app.opened[0] == people[3].uid
        await pilot.hover(HeatColumn, offset=(3, 1 + 2))
        assert column._mouse_hovering_over == (top + 2) // 2


async def test_a_highlighted_contact_logged_elsewhere_leaves_the_highlight_where_it_was(
    app_factory, tmp_store: Env
) -> None:
    """As after a log made here: the row moves to its new place, the highlight stays on
    the place it was at (now the next contact), and no column scrolls after it."""
    async with opened(app_factory, tmp_store, 40, seed=7, every_row=False) as (app, pilot, screen):
        column = screen.columns.current
        await pilot.press("down")
        await pilot.pause()
        position = column.highlighted
        assert position == 1 and len(column.rows) > 4
        logged, after = column.rows[1].contact, column.rows[2].contact
        tmp_store.other_store().log_fields(
            Touch(contact_uid=logged.uid, at=NOW, channel="meeting", outcome="reached"),
            {"next_step": "Write up the meeting", "next_due": TODAY + timedelta(days=60)},
        )
        screen.poll()
        await markers_read(pilot)
        await pilot.pause()
        assert column.highlighted == position
        assert screen.current_contact is not None
        assert screen.current_contact.uid == after.uid
        assert column.scroll_offset.y == 0
        assert column.index_of(logged.uid) not in (None, position)
        assert "Write up the meeting" not in str(app.screen.query_one("#detail").render())
        assert_columns_match_the_store(app, tmp_store)
