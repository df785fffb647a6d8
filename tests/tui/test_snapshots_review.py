"""Snapshots of the review card and the settings screen at 80x24 on the fixture store.

Update after a deliberate change with `pytest tests/tui/test_snapshots_review.py
--snapshot-update` and look at the new SVG before committing it."""

from __future__ import annotations

from tests.tui.waiting import until


def test_review_card(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(emoji=False), terminal_size=(80, 24), press=["R"])


def test_review_summary(snap_compare, app_factory) -> None:
    app = app_factory(emoji=False)
    assert snap_compare(app, terminal_size=(80, 24), press=["R", "space", "space"])


async def _settings_open_cursor_still(pilot) -> None:
    """`,` opens the settings; the cursor stops blinking so that the picture does not
    depend on when, on a loaded machine, it is taken (half a second on, half off)."""
    from textual.widgets import Input

    await pilot.press("comma")
    await until(pilot, lambda: pilot.app.screen.query(Input), "the settings screen")
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_settings_screen(snap_compare, app_factory) -> None:
    assert snap_compare(
        app_factory(emoji=False), terminal_size=(80, 24), run_before=_settings_open_cursor_still
    )
