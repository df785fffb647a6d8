"""Taking a change back: `followup unlog` and the dashboard's `u`, each one store action
in one transaction. A change is taken back exactly: the touch it logged is removed and
each field it wrote is put back where the contact still holds what it wrote
(compare-and-set); a field changed since keeps the newer value. A log keeps what it
replaced on its touch (`Touch.replaced`, written by store.actions.log), so unlog can
do this in another process, days later.

Plain Python: imports no Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from store.actions import newest_touch
from store.errors import InputError
from store.model import Touch
from store.rules.writes import replaced_written

if TYPE_CHECKING:
    from store.model import Contact
    from store.store import Store


class Unlogged(NamedTuple):
    """What `unlog` took back: the touch, and the fields it left as they are."""

    touch: Touch
    kept: list[str]  # fields changed again since the log (the newer value stays)


def unlog(store: Store, shown: Contact) -> Unlogged | None:
    """Remove the contact's newest touch and put back the next step and date its log
    replaced, where the contact still holds what that log wrote (a step changed since
    stays), in one transaction. None: the contact has no touch."""
    with store.transaction():
        newest = newest_touch(store.touches(shown.uid))
        if newest is None:
            return None
        kept = undo_change(store, shown.uid, replaced_written(newest.replaced), newest.uid)
    return Unlogged(newest, kept)


UNDO_ADD_REASON = "added by mistake (undone)"


def undo_change(
    store: Store,
    uid: str,
    written: Mapping[str, tuple[Any, Any]] | None,
    touch_uid: str | None = None,
) -> list[str]:
    """Take back one change, in one transaction: remove the touch it logged (`touch_uid`,
    if any) and put back each field it wrote (`written`: field -> (before, after), as in
    `FieldWrite.written`) where the contact still holds the value it wrote
    (compare-and-set). `written` None means the change added the contact: it is taken
    back, or dropped to the archive when it has touches since (a history is never
    deleted). Returns the fields left as they are (changed again since)."""
    with store.transaction():
        if touch_uid is not None:
            store.delete_touch(touch_uid, uid)
        if written is not None:
            return store.revert_fields(uid, written) if written else []
        try:
            store.contact(uid)
        except InputError:
            return []  # removed elsewhere already
        if not store.touches(uid):
            store.remove_new_contact(uid)
        else:
            values = {
                "status": "dropped",
                "dropped_on": store.clock.now().date(),
                "drop_reason": UNDO_ADD_REASON,
            }
            store.update_fields(uid, values, allow_dropped=True)
    return []
