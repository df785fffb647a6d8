"""The dashboard's undo stack: before each change, a snapshot of what it changes.

Undoing writes the snapshot back (`store.put_contact`) and removes a touch the change
logged (`store.delete_touch`), in one transaction. A contact the change added is taken
back (`store.remove_new_contact`) unless it has gained touches meanwhile; then it goes to
the archive with a note, since a contact with a history is never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from store.clock import today
from store.model import Contact
from store.store import Store

LIMIT = 100
UNDO_ADD_REASON = "added by mistake (undone)"


@dataclass(frozen=True)
class Change:
    """One change made in the dashboard, and how to revert it."""

    label: str  # "logged a call with Anna Berg"
    uid: str  # the contact it changed
    before: Contact | None  # the contact as it was; None if the change added it
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

    def clear(self) -> None:
        self._changes.clear()


def revert(store: Store, change: Change) -> None:
    """Write back what `change` changed, in one transaction."""
    with store.transaction():
        if change.touch_uid is not None:
            store.delete_touch(change.touch_uid)
        if change.before is not None:
            store.put_contact(change.before)
        elif not store.touches(change.uid):
            store.remove_new_contact(change.uid)
        else:
            current = store.contact(change.uid)
            store.put_contact(
                replace(
                    current,
                    status="dropped",
                    dropped_on=today(store.clock),
                    drop_reason=UNDO_ADD_REASON,
                )
            )
