"""The dashboard's undo stack: for each change, the fields it wrote (before and after).

Undoing is one store action in one transaction (store/undo.py `undo_change`): it puts
back each field's old value only where the contact still holds the value the change
wrote (a compare-and-set), and removes a touch the change logged; it says which fields
it could not put back. It never brings back a contact dropped or removed elsewhere: a
change that did not write the status does not touch it. A contact the change added is
taken back unless it has gained touches meanwhile; then it goes to the archive with a
note, since a contact with a history is never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.store import Store
from store.undo import UNDO_ADD_REASON as UNDO_ADD_REASON
from store.undo import undo_change

LIMIT = 100


@dataclass(frozen=True)
class Change:
    """One change made in the dashboard, and how to revert it."""

    label: str  # "logged a call with Anna Berg"
    uid: str  # the contact it changed
    # field -> (before, after) of what the change wrote; None if the change added the contact
    written: dict[str, tuple[Any, Any]] | None
    touch_uid: str | None = None  # the touch it logged, if any


class UndoStack:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._changes: list[Change] = []

    def __len__(self) -> int:
        return len(self._changes)

    def __bool__(self) -> bool:
        return bool(self._changes)

    def push(self, change: Change) -> None:
        self._changes.append(change)
        del self._changes[: -self.limit]

    def peek(self) -> Change | None:
        return self._changes[-1] if self._changes else None

    def pop(self) -> Change | None:
        return self._changes.pop() if self._changes else None


FIELD_NAMES = {"next_step": "next step", "next_due": "next date", "drop_reason": "reason"}


def revert(store: Store, change: Change) -> list[str]:
    """Put back what `change` wrote, where that still holds, in one transaction
    (store.undo.undo_change). Returns the names of the fields left as they are (changed
    again elsewhere)."""
    kept = undo_change(store, change.uid, change.written, change.touch_uid)
    return [FIELD_NAMES.get(f, f.replace("_", " ")) for f in kept]
