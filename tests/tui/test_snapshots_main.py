"""Snapshot of the main screen at 80x24 on the fixture store and its fixed clock.

Update after a deliberate change with `pytest tests/tui/test_snapshots_main.py --snapshot-update`
and look at the new SVG before committing it."""

from __future__ import annotations


def test_main_screen(snap_compare, app_factory) -> None:
    app = app_factory(emoji=False)

    async def settle(pilot) -> None:
        screen = pilot.app.screen
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.board.markers_ready:
                break
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_log_touch_dialog(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(emoji=False), terminal_size=(80, 24), press=["t", "x"])
