"""Snapshot tests of the drop dialog and the contact screen at 80x24 (fixed data).

Update after an intended change with `pytest tests/tui/test_snapshots_screens.py --snapshot-update`,
then look at the new pictures before committing them.
"""

from __future__ import annotations

from typing import Any

from tests.tui.test_screens import SIZE, Host, contact_screen, drop_modal


def test_drop_dialog_snapshot(snap_compare: Any) -> None:
    assert snap_compare(Host(drop_modal), terminal_size=SIZE)


def test_contact_screen_snapshot(snap_compare: Any) -> None:
    assert snap_compare(Host(contact_screen), terminal_size=SIZE)
