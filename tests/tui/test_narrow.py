"""The narrow dashboard: below 60 columns one heat at a time, a line saying which and
how to switch, and back to three columns on a resize. Pilot at 44x30 (a phone's width
under `followup web`) on the fixture store and its fixed clock."""

from __future__ import annotations

from typing import Any

import pytest
from textual.errors import NoWidget
from textual.pilot import Pilot

from tests.conftest import NOW, Env
from tests.tui.waiting import markers_read, until
from tui.dashboard.screen import DashboardScreen
from widgets.heat_column import HeatColumn
from widgets.heat_tabs import HeatTabs

NARROW = (44, 30)
WIDE = (80, 24)


def dashboard(app: Any) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


def shown_columns(app: Any) -> list[str]:
    """The heats whose column is on the screen (displayed, with a width)."""
    return [
        column.heat
        for column in dashboard(app).query(HeatColumn)
        if column.display and column.region.width > 0
    ]


def heat_line(app: Any) -> str:
    tabs = dashboard(app).query_one(HeatTabs)
    return tabs.text if tabs.display and tabs.region.height else ""


def footer_keys(app: Any) -> list[str]:
    """The key and description of each key the footer shows, e.g. "tab Heat"."""
    return [
        f"{key.key_display} {key.description}".strip() for key in dashboard(app).query("FooterKey")
    ]


def highlighted(app: Any) -> str | None:
    contact = dashboard(app).current_contact
    return contact.name if contact is not None else None


def column_lines(app: Any, heat: str) -> list[str]:
    column = dashboard(app).query_one(f"#col-{heat}", HeatColumn)
    height = column.scrollable_content_region.height
    return [column.render_line(y).text.rstrip() for y in range(height)]


async def showing(pilot: Pilot[Any], heat: str) -> None:
    await until(pilot, lambda: shown_columns(pilot.app) == [heat], f"only {heat} shown")


async def test_one_heat_at_a_time_with_its_name_and_every_count(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=NARROW) as pilot:
        await showing(pilot, "hot")
        assert heat_line(app).startswith("[hot 2] · warm 2 · cool 1")
        assert "tab" in heat_line(app)
        assert dashboard(app).query_one("#col-hot", HeatColumn).border_title == "HOT 2"
        assert highlighted(app) == "Anna Berg"


async def test_tab_shift_tab_h_l_switch_heats(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=NARROW) as pilot:
        await showing(pilot, "hot")
        steps = [
            ("tab", "warm", "Jonas Weber", "hot 2 · [warm 2] · cool 1"),
            ("tab", "cool", "Omar Diaz", "hot 2 · warm 2 · [cool 1]"),
            ("tab", "hot", "Anna Berg", "[hot 2] · warm 2 · cool 1"),
            ("shift+tab", "cool", "Omar Diaz", "hot 2 · warm 2 · [cool 1]"),
            ("h", "warm", "Jonas Weber", "hot 2 · [warm 2] · cool 1"),
            ("l", "cool", "Omar Diaz", "hot 2 · warm 2 · [cool 1]"),
            ("l", "hot", "Anna Berg", "[hot 2] · warm 2 · cool 1"),
        ]
        for key, heat, name, line in steps:
            await pilot.press(key)
            await showing(pilot, heat)
            assert highlighted(app) == name, key
            assert heat_line(app).startswith(line), key
            assert dashboard(app).query_one(f"#col-{heat}", HeatColumn).has_focus


async def test_rows_show_the_name_and_the_next_step(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=NARROW) as pilot:
        await markers_read(pilot)
        await showing(pilot, "hot")
        column = dashboard(app).query_one("#col-hot", HeatColumn)
        width = column.scrollable_content_region.width
        assert width >= 40  # the whole screen's width, less the borders
        lines = column_lines(app, "hot")
        assert lines[0].startswith("  Anna Berg · North")
        assert lines[1].startswith("  2d overdue · Send")
        assert lines[2].startswith("  Marco Rossi")
        assert lines[3].startswith("  today · Confirm")
        assert all(len(line) <= width for line in lines)


async def test_log_a_touch_on_the_second_heats_contact(app_factory: Any, tmp_store: Env) -> None:
    app = app_factory()
    jonas = tmp_store.uid("Jonas Weber")
    before = len(tmp_store.store.touches(jonas))
    async with app.run_test(size=NARROW) as pilot:
        await showing(pilot, "hot")
        await pilot.press("tab")
        await showing(pilot, "warm")
        assert highlighted(app) == "Jonas Weber"
        await pilot.press("t", "c", "enter", "enter")
        await until(
            pilot, lambda: len(tmp_store.other_store().touches(jonas)) == before + 1, "logged"
        )
        touch = tmp_store.other_store().touches(jonas)[0]
        assert (touch.channel, touch.outcome, touch.at) == ("call", "reached", NOW)
        await showing(pilot, "warm")  # still the heat it was on


async def test_resize_wide_narrow_wide_keeps_the_contact(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: shown_columns(app) == ["hot", "warm", "cool"], "three")
        assert heat_line(app) == ""
        assert "tab Heat" not in footer_keys(app)
        await pilot.press("l", "j")
        assert highlighted(app) == "Lena Fischer"
        detail = str(dashboard(app).detail_line.render())
        assert "Goal:" in detail
        await pilot.resize_terminal(*NARROW)
        await showing(pilot, "warm")
        assert highlighted(app) == "Lena Fischer"
        assert heat_line(app).startswith("hot 2 · [warm 2] · cool 1")
        await until(pilot, lambda: "tab Heat" in footer_keys(app), "tab in the footer")
        assert str(dashboard(app).detail_line.render()) == detail  # still Lena's
        await pilot.press("tab")
        await showing(pilot, "cool")
        await pilot.press("shift+tab")
        await showing(pilot, "warm")
        await pilot.resize_terminal(*WIDE)
        await until(pilot, lambda: shown_columns(app) == ["hot", "warm", "cool"], "three again")
        assert highlighted(app) == "Lena Fischer"
        assert dashboard(app).query_one("#col-warm", HeatColumn).has_focus
        assert heat_line(app) == ""
        await until(pilot, lambda: "tab Heat" not in footer_keys(app), "tab out of the footer")


async def test_a_wide_board_switches_columns_without_changing_their_classes(
    app_factory: Any,
) -> None:
    """`-current` (the one column a narrow board shows) is kept only while narrow: on a
    wide board a switch changes no column's classes (a class changed restyles its
    column: 8-14 ms a switch on the heavy database)."""
    app = app_factory()
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: shown_columns(app) == ["hot", "warm", "cool"], "three")
        columns = dashboard(app).columns
        before = [set(column.classes) for column in columns.all]
        await pilot.press("l", "l", "h")
        await until(pilot, lambda: columns.index == 1, "on the warm column")
        assert [set(column.classes) for column in columns.all] == before
        # narrow: the column with the focus is the one shown
        await pilot.resize_terminal(*NARROW)
        await showing(pilot, "warm")


async def test_narrowed_under_a_dialog_shows_the_column_it_left(app_factory: Any) -> None:
    from tui.modals.log_touch import LogTouchModal

    app = app_factory()
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: shown_columns(app) == ["hot", "warm", "cool"], "three")
        await pilot.press("l", "l")
        await until(pilot, lambda: dashboard(app).columns.index == 2, "on the cool column")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        await pilot.resize_terminal(*NARROW)
        await pilot.press("escape")
        await showing(pilot, "cool")
        await pilot.resize_terminal(*WIDE)
        await until(pilot, lambda: shown_columns(app) == ["hot", "warm", "cool"], "three again")


# Every dialog and screen the dashboard opens, by the key that opens it.
DIALOG_KEYS = {
    "log": "t",
    "next step": "n",
    "snooze": "s",
    "drop": "d",
    "add form": "a",
    "edit form": "e",
    "contact": "enter",
    "help": "question_mark",
    "review card": "R",
    "settings": "comma",
    "stats": "S",
    "archive": "A",
}

CONTROLS = "Button, Input, Select, TextArea, Checkbox, Switch, RadioButton, OptionList"


def on_screen(screen: Any, widget: Any) -> bool:
    """The widget is wholly inside the screen and is what the screen shows at its centre
    (nothing cut off, nothing on top of it)."""
    region = widget.region
    if not region or not screen.region.contains_region(region):
        return False
    try:
        shown, _ = screen.get_widget_at(*region.center)
    except NoWidget:  # nothing there: not on screen
        return False
    return shown is widget or widget in shown.ancestors_with_self


@pytest.mark.parametrize("what", DIALOG_KEYS)
async def test_every_dialog_is_usable_at_44x30(app_factory: Any, what: str) -> None:
    """Each control of the dialog, once it has the focus, is wholly on the screen and
    not covered; each key its footer shows is on the screen."""
    app = app_factory()
    async with app.run_test(size=NARROW) as pilot:
        await markers_read(pilot)
        if what == "archive":  # one contact in it
            board = dashboard(app).board
            await pilot.press("d")
            await until(pilot, lambda: not isinstance(app.screen, DashboardScreen), "drop")
            await pilot.press("y")
            await until(pilot, lambda: len(board.contacts) == 4, "dropped")
        await pilot.press(DIALOG_KEYS[what])
        await until(pilot, lambda: not isinstance(app.screen, DashboardScreen), what)
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow")
        controls = [w for w in screen.query(CONTROLS) if w.display and w.focusable]
        assert controls or what in ("help", "stats", "review card")
        for control in controls:
            control.focus()  # a dialog taller than the screen scrolls to it
            await until(pilot, lambda c=control: on_screen(screen, c), f"{what}: {control}", 5)
        for footer_key in screen.query("FooterKey"):
            assert screen.region.contains_region(footer_key.region), footer_key


@pytest.mark.parametrize("size", [NARROW, (60, 20)])
async def test_the_header_shows_every_phrase_whole(app_factory: Any, size: tuple[int, int]) -> None:
    """The streak and the day's counts, none cut: where the whole line does not fit the
    counts drop "today" and go on the next line (the view, "today only", first)."""
    from widgets.streak_header import StreakHeader

    app = app_factory()
    async with app.run_test(size=size) as pilot:
        header = dashboard(app).query_one(StreakHeader)
        below = dashboard(app).query_one(HeatTabs if size == NARROW else "#col-hot")
        for note in ("", "today only"):
            if note:
                await pilot.press("T")
            await until(pilot, lambda n=note: header.note.startswith(n), f"the note {note!r}")
            await until(pilot, lambda: below.region.y == header.region.bottom, "laid out")
            painted = [strip.text for strip in dashboard(app)._compositor.render_strips()]
            lines = [painted[y].rstrip() for y in range(header.region.y, header.region.bottom)]
            text = " · ".join(line.strip() for line in lines)
            phrases = ["⏳ 1-day streak at risk (best 1)", "0 logged", "1 due", "1 overdue", note]
            assert all(phrase in text for phrase in phrases), lines
            assert "…" not in text, lines
            assert len(lines) == (2 if not note or size == (60, 20) else 3), lines
