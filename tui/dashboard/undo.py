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

from dataclasses import fields
from typing import Any

import msgspec

from store.errors import InputError
from store.model import Contact
from store.rules.text import clean
from store.store import Store
from store.undo import UNDO_ADD_REASON as UNDO_ADD_REASON
from store.undo import undo_change

LIMIT = 100


class Change(msgspec.Struct, frozen=True):
    """One change made in the dashboard, and how to revert it."""

    label: str  # "logged a call with Anna Berg"
    uid: str  # the contact it changed
    # field -> (before, after) of what the change wrote; None if the change added the contact
    written: dict[str, tuple[Any, Any]] | None
    touch_uid: str | None = None  # the touch it logged, if any
    after: Contact | None = None  # the contact as the change left it
    # The store's touch mark right after the change (Store.touch_mark): a touch of the
    # contact logged since has an id from it on. None: not known (nothing asked).
    touch_mark: int | None = None

    @property
    def question(self) -> str:
        """ "Undo: logged call (reached) with Anna Berg?" """
        return f"Undo: {self.label[:1].lower()}{self.label[1:]}?"


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
UNCOMPARED = frozenset({"updated_at", "id", "field_stamps"})


def changed_since(store: Store, change: Change) -> list[str]:
    """What was changed on `change`'s contact since the change (elsewhere, or by a later
    change already undone only partly), one sentence each; empty when nothing was, or
    when the change did not say how it left the contact."""
    if change.after is None:
        return []
    after = change.after
    try:
        now = store.contact(change.uid)
    except InputError:
        return [f"{clean(after.name)} was removed since"]
    found = []
    moved = [
        FIELD_NAMES.get(f.name, f.name.replace("_", " "))
        for f in fields(Contact)
        if f.name not in UNCOMPARED and getattr(now, f.name) != getattr(after, f.name)
    ]
    if moved:
        found.append(f"{clean(now.name)}: {', '.join(moved)} changed since")
    if change.touch_mark is not None:
        # no touch read unless one was logged since, anywhere
        added = store.touches_logged_since(change.uid, change.touch_mark)
        if added:
            s = "" if len(added) == 1 else "es"
            found.append(f"{len(added)} touch{s} with {clean(now.name)} logged since")
    return found


def revert(store: Store, change: Change) -> list[str]:
    """Put back what `change` wrote, where that still holds, in one transaction
    (store.undo.undo_change). Returns the names of the fields left as they are (changed
    again elsewhere)."""
    kept = undo_change(store, change.uid, change.written, change.touch_uid)
    return [FIELD_NAMES.get(f, f.replace("_", " ")) for f in kept]
