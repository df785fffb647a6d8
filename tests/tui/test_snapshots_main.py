"""Snapshot of the main screen at 80x24 on the fixture store and its fixed clock.

Update after a deliberate change with `pytest tests/tui/test_snapshots_main.py --snapshot-update`
and look at the new SVG before committing it."""

from __future__ import annotations

from tests.tui.waiting import markers_read


def test_main_screen(snap_compare, app_factory) -> None:
    app = app_factory(emoji=False)

    assert snap_compare(app, terminal_size=(80, 24), run_before=markers_read)


def test_log_touch_dialog(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(emoji=False), terminal_size=(80, 24), press=["t", "x"])
