"""Snapshots of the review card and the settings screen at 80x24 on the fixture store.

Update after a deliberate change with `pytest tests/tui/test_snapshots_review.py
--snapshot-update` and look at the new SVG before committing it."""

from __future__ import annotations


def test_review_card(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(emoji=False), terminal_size=(80, 24), press=["R"])


def test_review_summary(snap_compare, app_factory) -> None:
    app = app_factory(emoji=False)
    assert snap_compare(app, terminal_size=(80, 24), press=["R", "space", "space"])


def test_settings_screen(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(emoji=False), terminal_size=(80, 24), press=["comma"])
