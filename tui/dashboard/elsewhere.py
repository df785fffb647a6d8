"""What was changed elsewhere (another terminal, a script) since each of the dashboard's
changes: `u` asks first when anything was, to any contact.

The person who presses `u` right after working in another terminal means the change
made there, which the dashboard can't take back; undoing an older change of the
dashboard unasked would take back something they did not have in mind. The dashboard's
own later changes are on the undo stack above it and are undone first, unasked.

Each external change read by a poll is put down to the change on top of the undo stack
then; when that change is undone, what was changed elsewhere since it was also changed
since the one now on top. A write of the dashboard made in a thread (it waited for the
lock) is read back as a change on disk: its contact is left out (`own`). Without
Textual: tested on its own (tests/tui/test_undo_asks.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

MANY = 3  # names said; past them "and 2 more"


class Elsewhere:
    """The contacts changed elsewhere since each change on the undo stack (by identity:
    a change is any object the stack holds); None for "everything was read again"."""

    def __init__(self) -> None:
        self._since: dict[int, tuple[object, set[str] | None]] = {}
        self._own: str | None = None

    def noted(self, top: object | None, uids: set[str] | None, stack_size: int) -> None:
        """A poll read these contacts changed elsewhere (None: anything); `top` is the
        change on top of the undo stack (None: nothing to undo), of `stack_size`."""
        if uids is not None and self._own is not None:
            uids = uids - {self._own}
        if top is None or (uids is not None and not uids):
            return
        before = self.since(top)
        self._since.pop(id(top), None)
        self._since[id(top)] = (top, None if before is None or uids is None else before | uids)
        while len(self._since) > stack_size:  # of changes the stack no longer holds
            del self._since[next(iter(self._since))]

    def since(self, change: object) -> set[str] | None:
        known = self._since.get(id(change))
        return known[1] if known is not None and known[0] is change else set()

    def popped(self, change: object, top: object | None, stack_size: int) -> None:
        """`change` left the undo stack; `top` is on top now."""
        uids = self.since(change)
        self._since.pop(id(change), None)
        self.noted(top, uids, stack_size)

    @contextmanager
    def own(self, uid: str | None) -> Iterator[None]:
        """Meanwhile, contact `uid` read changed on disk was changed here (a write that
        waited for the lock, made by a thread's own Store)."""
        self._own = uid
        try:
            yield
        finally:
            self._own = None

    def lines(self, change: object, uid: str, name_of: Callable[[str], str | None]) -> list[str]:
        """The sentence for `u`'s question: the other contacts changed elsewhere since
        `change` (of contact `uid`, whose own changes undo.changed_since says), by name
        (`name_of`: None for a contact gone); none when there were none."""
        uids = self.since(change)
        if uids is None:
            return ["The database was changed elsewhere since"]
        names = sorted((n for u in uids - {uid} if (n := name_of(u)) is not None), key=str.casefold)
        if not names:
            return []
        more = f" and {len(names) - MANY} more" if len(names) > MANY else ""
        return [f"Changed elsewhere since: {', '.join(names[:MANY])}{more}"]
