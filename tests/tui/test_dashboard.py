"""Pilot tests of the dashboard at 80x24: real keys, then what the screen shows and
what the store holds. The fixture store and clock are described in conftest.py."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from textual.widgets import Input

from store.errors import DatabaseError
from store.model import Contact, Touch
from store.store import Store
from tests.conftest import CREATED, NOW, TODAY, Env
from tests.tui.waiting import markers_read, palette_found, toasts, until
from tui.dashboard.screen import DashboardScreen
from widgets.heat_column import HeatColumn
from widgets.streak_header import StreakHeader

SIZE = (80, 24)


def names(app, heat: str) -> list[str]:
    column = app.screen.query_one(f"#col-{heat}", HeatColumn)
    return [row.name for row in column.rows]


def column_lines(app, heat: str) -> list[str]:
    """The text each line of a column shows on screen."""
    column = app.screen.query_one(f"#col-{heat}", HeatColumn)
    height = column.scrollable_content_region.height
    return [column.render_line(y).text.rstrip() for y in range(height)]


def header(app) -> str:
    return app.screen.query_one(StreakHeader).text


def dashboard(app) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def highlighted(app) -> str | None:
    screen = dashboard(app)
    contact = screen.current_contact
    return contact.name if contact else None


async def test_three_columns_in_column_order_with_counts(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert names(app, "hot") == ["Anna Berg", "Marco Rossi"]  # overdue before today
        assert names(app, "warm") == ["Jonas Weber", "Lena Fischer"]  # no next step last
        assert names(app, "cool") == ["Omar Diaz"]
        titles = [c.border_title for c in app.screen.query(HeatColumn)]
        assert titles == ["HOT 2", "WARM 2", "COOL 1"]
        assert highlighted(app) == "Anna Berg"
        assert app.screen.query_one("#col-hot").has_focus


async def test_rows_read_well_at_80x24(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await markers_read(pilot)  # the markers come from a thread
        column = app.screen.query_one("#col-hot", HeatColumn)
        width = column.scrollable_content_region.width
        assert 20 <= width <= 26
        hot = column_lines(app, "hot")
        # Two lines per contact: marker, name, company / due label, next step.
        assert hot[0].startswith("  Anna Berg · North")
        assert hot[0].endswith("…")
        assert hot[1].startswith("  2d overdue · Send")
        assert hot[2].startswith("  Marco Rossi")
        assert hot[3].startswith("  today · Confirm")
        assert all(len(line) <= width for line in hot)
        warm = column_lines(app, "warm")
        assert warm[2].startswith("! Lena Fischer")
        assert warm[3].strip() == "no next step"
        cool = column_lines(app, "cool")
        assert cool[0].startswith("* Omar Diaz")  # vague next step
        assert cool[1].startswith("  in 4w · touch base")


async def test_due_colours_come_from_the_theme(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        column = app.screen.query_one("#col-hot", HeatColumn)
        strip = column.render_line(1)  # "2d overdue", on the highlighted row
        overdue = next(seg for seg in strip if "overdue" in seg.text)
        error = app.theme_variables["error"]
        assert overdue.style.color is not None
        assert overdue.style.color.name.lower() == error.lower() or (
            overdue.style.color.triplet.hex.lower() == error.lower()
        )


async def test_header_shows_streak_and_counts(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = header(app)
        assert "1-day streak at risk (best 1)" in text
        assert "0 logged today" in text
        assert "1 due today" in text
        assert "1 overdue" in text


async def test_moving_between_columns_and_rows(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")
        assert highlighted(app) == "Marco Rossi"
        await pilot.press("k")
        assert highlighted(app) == "Anna Berg"
        await pilot.press("l")
        assert highlighted(app) == "Jonas Weber"
        assert app.screen.query_one("#col-warm").has_focus
        await pilot.press("down")
        assert highlighted(app) == "Lena Fischer"
        await pilot.press("tab")
        assert highlighted(app) == "Omar Diaz"
        await pilot.press("tab")  # wraps round to HOT
        assert highlighted(app) == "Anna Berg"
        await pilot.press("shift+tab")
        assert highlighted(app) == "Omar Diaz"
        await pilot.press("h")
        assert highlighted(app) == "Lena Fischer"
        await pilot.press("left", "right")
        assert highlighted(app) == "Lena Fischer"


async def test_t_c_enter_logs_a_reached_call(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "enter", "enter")
        await pilot.pause()
        anna = tmp_store.contact("Anna Berg")
        touches = tmp_store.store.touches(anna.uid)
        assert len(touches) == 3
        touch = touches[0]
        assert (touch.channel, touch.outcome, touch.direction) == ("call", "reached", "out")
        assert touch.at == NOW
        assert anna.next_due == TODAY + timedelta(days=7)  # hot cadence
        assert anna.next_step == ""  # reached: the old step is presumed done
        # The screen: the header counts it, Anna is no longer overdue.
        assert "2-day streak (best 2)" in header(app)
        assert "1 logged today" in header(app)
        assert "0 overdue" in header(app)
        assert names(app, "hot") == ["Marco Rossi", "Anna Berg"]
        assert highlighted(app) == "Marco Rossi"  # the highlight stays: the next one due
        assert column_lines(app, "hot")[3].rstrip() == "  in 7d"


async def test_log_touch_email_is_waiting_and_shows_the_choices(app_factory, tmp_store) -> None:
    from tui.modals.log_touch import Choices, LogTouchModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, LogTouchModal)
        choices = modal.query_one(Choices)
        assert (choices.channel, choices.outcome) == ("call", "reached")  # her preferred
        await pilot.press("e")
        assert (choices.channel, choices.outcome) == ("email", "waiting")
        await pilot.press("enter")
        await pilot.pause()
        touch = tmp_store.store.touches(tmp_store.uid("Anna Berg"))[0]
        assert (touch.channel, touch.outcome) == ("email", "waiting")


async def test_log_touch_escape_writes_nothing(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    before = tmp_store.contact("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    fresh = tmp_store.other_store()
    assert len(fresh.touches()) == 2
    assert fresh.contact(before.uid) == before


async def test_log_touch_every_field_is_editable(app_factory, tmp_store: Env) -> None:
    from tui.modals.log_touch import LogTouchModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "x", "n", "i")  # a text, no reply... inbound
        await pilot.press("i")  # ...no: outbound again
        await pilot.press("tab", *"left a message")
        await pilot.press("tab", "ctrl+u", *"Ask about the budget")
        await pilot.press("tab", "ctrl+u", *"fri")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, LogTouchModal)
        assert "Fri 27 Nov 2026 (in 3 days)" in str(modal.query_one("#next-due").preview)
        # Next date 3 days after a no-reply touch: a hint, not a block.
        assert any("a week" in hint for hint in modal.hints())
        assert modal.query_one("#hints").display
        await pilot.press("enter")
        await pilot.pause()
    contact = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert contact.next_step == "Ask about the budget"
    assert contact.next_due == TODAY + timedelta(days=3)
    touch = tmp_store.other_store().touches(contact.uid)[0]
    assert (touch.channel, touch.outcome, touch.direction) == ("text", "no-reply", "out")
    assert touch.note == "left a message"


async def test_log_touch_warns_about_a_vague_next_step(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "tab", "tab", "ctrl+u", *"touch base", "tab")
        await pilot.pause()
        hints = app.screen.hints()
        assert any("vague" in hint for hint in hints)


async def test_n_sets_the_next_step_with_a_live_preview(app_factory, tmp_store: Env) -> None:
    from tui.modals.next_step import NextStepModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "ctrl+u", *"Send the contract", "tab", "ctrl+u", *"+3d")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, NextStepModal)
        assert modal.query_one("#next-due").preview == "Fri 27 Nov 2026 (in 3 days)"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert column_lines(app, "hot")[3].startswith("  in 3d · Send the con")
    anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert (anna.next_step, anna.next_due) == ("Send the contract", TODAY + timedelta(days=3))


async def test_a_past_date_is_an_inline_error(app_factory, tmp_store: Env) -> None:
    from tui.modals.next_step import NextStepModal

    before = tmp_store.contact("Anna Berg")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "tab", "ctrl+u", *"yesterday")
        await pilot.pause()
        field = app.screen.query_one("#next-due")
        assert field.error and "past" in field.error
        assert field.has_class("-invalid")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NextStepModal)  # not saved
        await pilot.press("ctrl+u", *"bogus date")
        await pilot.pause()
        assert field.error
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert tmp_store.other_store().contact(before.uid) == before


async def test_s_snoozes_only_the_date(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one("#next-due").preview == "Wed 25 Nov 2026 (tomorrow)"
        assert not app.screen.query("#next-step")  # date only
        await pilot.press("enter")
        await pilot.pause()
        assert names(app, "hot") == ["Marco Rossi", "Anna Berg"]
    anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert anna.next_due == TODAY + timedelta(days=1)
    assert anna.next_step == "Send the pricing deck"


async def test_plus_and_minus_move_between_columns(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")  # Jonas Weber, warm
        await pilot.press("plus")
        await pilot.pause()
        assert "Jonas Weber" in names(app, "hot")
        assert highlighted(app) == "Lena Fischer"  # the next one in his column before
        assert app.screen.query_one("#col-warm").has_focus
        assert tmp_store.other_store().contact(tmp_store.uid("Jonas Weber")).heat == "hot"
        await pilot.press("h", "j", "j")  # hot: Anna, Marco, Jonas
        assert highlighted(app) == "Jonas Weber"
        await pilot.press("plus")  # already hot: nothing
        await pilot.press("minus")
        await pilot.pause()
        assert names(app, "warm") == ["Jonas Weber", "Lena Fischer"]
        assert highlighted(app) == "Marco Rossi"  # he was last: the one before him
        assert tmp_store.other_store().contact(tmp_store.uid("Jonas Weber")).heat == "warm"


async def test_u_undoes_a_logged_touch_and_a_move(app_factory, tmp_store: Env) -> None:
    before = tmp_store.contact("Anna Berg")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("minus")  # Anna to warm
        await pilot.press("t", "c", "enter", "enter")
        await pilot.pause()
        assert len(tmp_store.other_store().touches()) == 3
        await pilot.press("u")
        await pilot.pause()
        other = tmp_store.other_store()
        assert len(other.touches()) == 2
        assert other.contact(before.uid).heat == "warm"
        assert other.contact(before.uid).next_due == before.next_due
        assert "0 logged today" in header(app)
        await pilot.press("u")
        await pilot.pause()
        undone = tmp_store.other_store().contact(before.uid)
        assert replace(undone, field_stamps=()) == before  # an undo stamps what it puts back
        assert names(app, "hot") == ["Anna Berg", "Marco Rossi"]
        # Nothing left: u is disabled.
        assert dashboard(app).check_action("undo", ()) is None


async def test_undoing_a_touch_reads_only_that_contacts_touches(
    app_factory, tmp_store: Env
) -> None:
    marco = tmp_store.uid("Marco Rossi")
    old = [
        Touch(contact_uid=marco, at=NOW - timedelta(days=10 + n % 300), channel="email",
              outcome="waiting", note=f"older note {n}")
        for n in range(800)
    ]  # fmt: skip
    tmp_store.store.add_many([], old)  # a journal longer than the tail a log reads
    store = tmp_store.other_store()
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "enter", "enter")  # Anna, on top of hot
        await pilot.pause()
        assert len(tmp_store.other_store().touches()) == 803
        await pilot.press("u")
        await pilot.pause()
        assert not store.touches_loaded, "the undo read Anna's lines, not every touch"
        other = tmp_store.other_store()
        assert len(other.touches()) == 802
        assert len(other.touches(tmp_store.uid("Anna Berg"))) == 2
        assert "0 logged today" in header(app)
        assert other.touch_days() == Store(tmp_store.path).touch_days()


async def test_slash_filters_by_name_or_company(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"north")
        await pilot.pause()
        assert names(app, "hot") == ["Anna Berg"]
        assert names(app, "warm") == []
        assert app.screen.query_one("#col-hot").border_title == "HOT 1/2"
        assert "filter: north" in header(app)
        await pilot.press("ctrl+u", *"BER")  # Anna Berg, Jonas Weber
        await pilot.pause()
        assert names(app, "hot") == ["Anna Berg"]
        assert names(app, "warm") == ["Jonas Weber"]
        await pilot.press("enter")  # back to the columns, the filter stays
        await pilot.pause()
        assert isinstance(app.focused, HeatColumn)
        assert names(app, "warm") == ["Jonas Weber"]
        await pilot.press("escape")
        await pilot.pause()
        assert names(app, "warm") == ["Jonas Weber", "Lena Fischer"]
        assert not app.screen.query_one("#filter", Input).display


async def test_capital_t_shows_only_overdue_and_today(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert names(app, "hot") == ["Anna Berg", "Marco Rossi"]
        assert names(app, "warm") == []
        assert names(app, "cool") == []
        assert column_lines(app, "warm")[0].strip() == "nobody here"
        assert "today only" in header(app)
        await pilot.press("T")
        await pilot.pause()
        assert names(app, "warm") == ["Jonas Weber", "Lena Fischer"]


async def test_live_refresh_shows_what_another_process_wrote(app_factory, tmp_store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")  # Marco highlighted
        other = tmp_store.other_store()
        marco = other.contact(tmp_store.uid("Marco Rossi"))
        other.log_fields(
            Touch(contact_uid=marco.uid, at=NOW, channel="meeting", outcome="reached"),
            {"next_due": TODAY + timedelta(days=7)},
        )
        other.add_contact(Contact(name="Nina Park", created_at=NOW, updated_at=NOW, heat="hot"))
        await until(pilot, lambda: "1 logged today" in header(app), "the poll")
        assert names(app, "hot") == ["Anna Berg", "Marco Rossi", "Nina Park"]
        assert highlighted(app) == "Marco Rossi"  # kept


async def test_enter_opens_the_contact_and_escape_returns(app_factory) -> None:
    from tui.screens.contact import ContactScreen

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact.name == "Anna Berg"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_contact_screen_hands_back_log(app_factory, tmp_store) -> None:
    from tui.modals.log_touch import LogTouchModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, LogTouchModal)
        await pilot.press("m", "enter", "enter")
        await pilot.pause()
    touch = tmp_store.other_store().touches(tmp_store.uid("Anna Berg"))[0]
    assert touch.channel == "meeting"


async def test_d_drop_asks_then_archives_or_cools(app_factory, tmp_store: Env) -> None:
    from tui.modals.drop import DropModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DropModal)
        await pilot.press("n")  # keep
        await pilot.pause()
        assert names(app, "hot") == ["Anna Berg", "Marco Rossi"]
        await pilot.press("d", "c")  # cool down instead
        await pilot.pause()
        assert names(app, "cool") == ["Omar Diaz", "Anna Berg"]  # rescheduled 75 days out
        assert highlighted(app) == "Marco Rossi"  # the next one in the hot column
        await pilot.press("d", "y")  # stop following up
        await pilot.pause()
        assert "Marco Rossi" not in names(app, "hot")
    anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert (anna.status, anna.heat) == ("active", "cool")
    marco = tmp_store.other_store().contact(tmp_store.uid("Marco Rossi"))
    assert (marco.status, marco.dropped_on) == ("dropped", TODAY)
    assert len(tmp_store.other_store().touches(anna.uid)) == 2  # nothing deleted


async def test_capital_a_restores_from_the_archive(app_factory, tmp_store: Env) -> None:
    uid = tmp_store.uid("Omar Diaz")
    tmp_store.store.update_fields(
        uid, {"status": "dropped", "dropped_on": TODAY, "drop_reason": "no budget"}
    )
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert names(app, "cool") == []
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert names(app, "cool") == ["Omar Diaz"]
        await pilot.press("u")  # undo the restore
        await pilot.pause()
        assert names(app, "cool") == []
    assert tmp_store.other_store().contact(uid).status == "dropped"


async def test_a_adds_a_contact_due_tomorrow(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Nina Park", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Nina Park" in names(app, "warm")
        assert highlighted(app) == "Nina Park"
    nina = tmp_store.other_store().contact(tmp_store.uid("Nina Park"))
    assert nina.status == "active"
    assert nina.next_due is not None and nina.next_due >= TODAY


async def test_e_edits_the_contact(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *" Lund", "ctrl+s")
        await pilot.pause()
        assert names(app, "hot")[0] == "Anna Berg Lund"
    assert tmp_store.other_store().contact(tmp_store.uid("Anna Berg Lund")).company == (
        "Northwind Traders"
    )


async def test_stats_help_and_quit(app_factory) -> None:
    from tui.screens.help import HelpScreen
    from tui.screens.stats import StatsScreen

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.bindings)
        assert keys["t"] == "Log a touch"
        assert keys["+"] == "Warm up"
        assert keys["j/↓"] == "Down" or keys.get("j/down") == "Down"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_every_binding_has_an_id_and_a_description() -> None:
    for binding in DashboardScreen.BINDINGS:
        assert binding.id and binding.description


async def test_every_action_is_in_the_command_palette(app_factory) -> None:
    from tui.modals.log_touch import LogTouchModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for wanted in ("Log a touch", "Set the next step", "Cool down", "Open the contact"):
            assert any(wanted.casefold() in title.casefold() for title in titles), wanted
        assert not any("Warm up".casefold() in t.casefold() for t in titles)  # Anna is hot
        assert not any("Undo" in t for t in titles)  # nothing to undo yet
        assert not any("sample" in t for t in titles)  # only on an empty database
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"log a touch")
        await until(pilot, lambda: palette_found(app, "log a touch"), "a command found")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the dialog")


async def test_check_action_hides_contact_keys_without_a_contact(app_factory, empty_store):
    app = app_factory(store=empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "log_touch" not in keys and "drop" not in keys
        assert "add" in keys and "demo" in keys
        await pilot.press("t", "n", "d", "plus")  # nothing happens
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_empty_database_says_how_to_start(app_factory, empty_store) -> None:
    app = app_factory(store=empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        empty = app.screen.query_one("#empty")
        assert empty.display
        text = str(empty.render())
        assert "Press  a  to add" in text and "followup demo" in text
        assert not app.screen.query_one("#columns").display
        await pilot.press("D")
        await pilot.pause()
        assert not empty.display
        assert sum(len(names(app, h)) for h in ("hot", "warm", "cool")) == 25
        assert dashboard(app).check_action("demo", ()) is False
    assert len(empty_store.contacts()) == 25


async def test_store_errors_become_notifications(app_factory, tmp_store, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise DatabaseError("cannot write /tmp/x/followup.json: [Errno 28] disk full")

    monkeypatch.setattr(tmp_store.store, "log_fields", broken)
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "enter", "enter")
        await until(pilot, lambda: any("disk full" in t for t in toasts(app)), "the error")
        assert isinstance(app.screen, DashboardScreen)
        assert dashboard(app).check_action("undo", ()) is None  # nothing was recorded
        await pilot.press("j")  # still running
        assert highlighted(app) == "Marco Rossi"


async def test_markers_from_history_fill_in_after_the_first_paint(tmp_store, app_factory):
    store = tmp_store.store
    uid = tmp_store.uid("Jonas Weber")
    store.add_many(
        [],
        [
            Touch(contact_uid=uid, at=NOW - timedelta(days=3 * i + 1), channel="email",
                  outcome="waiting")
            for i in range(5)
        ],
    )  # fmt: skip
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await markers_read(pilot)
        column = app.screen.query_one("#col-warm", HeatColumn)
        assert column.rows[0].name == "Jonas Weber"
        assert column.rows[0].marker == "?"  # five unanswered: ask whether to stop
        assert column_lines(app, "warm")[0].startswith("? Jonas Weber")


@pytest.mark.parametrize("heat", ["hot", "warm", "cool"])
async def test_a_long_column_scrolls_without_a_widget_per_row(tmp_store, app_factory, heat):
    store = tmp_store.store
    store.add_many(
        Contact(name=f"Person {i:03}", created_at=CREATED, updated_at=CREATED, heat=heat,
                next_due=TODAY + timedelta(days=i % 9))
        for i in range(300)
    )  # fmt: skip
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        column = app.screen.query_one(f"#col-{heat}", HeatColumn)
        assert len(column.rows) > 300
        assert len(column.children) == 0
        column.focus()
        await pilot.press("end")
        await pilot.pause()
        assert column.highlighted == len(column.rows) - 1
        assert column.scroll_offset.y > 0


async def test_the_day_rolling_over_redraws(app_factory, tmp_store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tmp_store.clock.advance(days=1)
        dashboard(app).poll()
        await pilot.pause()
        assert column_lines(app, "hot")[1].startswith("  3d overdue")
        assert "1 due today" in header(app)  # Jonas, warm
    await asyncio.sleep(0)
