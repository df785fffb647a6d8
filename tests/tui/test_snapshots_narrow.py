"""Snapshots at 44x30 (a phone's width under `followup web`): the narrow board, the log
dialog, the add form and the review card, on the fixture store and its fixed clock.

Update after a deliberate change with `pytest tests/tui/test_snapshots_narrow.py
--snapshot-update` and look at the new SVGs before committing them."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.waiting import markers_read, until
from tui.modals.contact_form import ContactFormModal

NARROW = (44, 30)


def test_narrow_board(snap_compare, app_factory) -> None:
    app = app_factory(emoji=False)
    assert snap_compare(app, terminal_size=NARROW, run_before=markers_read)


def test_narrow_board_second_heat(snap_compare, app_factory) -> None:
    app = app_factory(emoji=False)
    assert snap_compare(app, terminal_size=NARROW, press=["tab"], run_before=markers_read)


def test_narrow_log_touch_dialog(snap_compare, app_factory) -> None:
    assert snap_compare(
        app_factory(emoji=False), terminal_size=NARROW, press=["t", "x"], run_before=markers_read
    )


async def add_form_open(pilot) -> None:
    """The add form up, its cursor steady (a blinking one is caught on or off)."""
    await markers_read(pilot)
    await pilot.press("a")
    await until(pilot, lambda: isinstance(pilot.app.screen, ContactFormModal), "the form")
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_narrow_add_form(snap_compare, app_factory) -> None:
    app = app_factory(emoji=False)
    assert snap_compare(app, terminal_size=NARROW, run_before=add_form_open)


def test_narrow_review_card(snap_compare, app_factory) -> None:
    assert snap_compare(
        app_factory(emoji=False), terminal_size=NARROW, press=["R"], run_before=markers_read
    )
