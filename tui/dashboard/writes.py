"""The dashboard's writes and their undo, answered with messages.

`Writes` runs each change (only the fields it means to change, decided in the store's
lock) and each undo. Normally it writes at once, in the dashboard's store. While another
followup process holds the lock, it writes in a worker thread with its own Store on the
same files (a Store is not shared across threads), so keys stay live. Either way the
outcome goes back to its host as one message, `Written`, `Undone` or `Failed` (with
`waited` set when it came from the thread), which the dashboard handles once. A write
still waiting when the dashboard closes is not lost: `wait` lets it finish first (or fail
with the lock's timeout, as any write does).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import msgspec
from textual.message import Message

from store.errors import FollowupError
from store.store import Store
from tui.dashboard.undo import Change, revert

if TYPE_CHECKING:
    from store.model import Touch
    from store.store import FieldWrite, OnConflict

# A write of only the fields a change means: given the store to write with and what to
# do on a conflict, returns the touch it logged (if any) and what it wrote.
Write: TypeAlias = "Callable[[Store, OnConflict], tuple[Touch | None, FieldWrite]]"


class Pending(msgspec.Struct, frozen=True):
    """A change asked for: its label (for the note and the undo), the contact, the
    write, and what to do when a field it saves was changed elsewhere."""

    label: str
    uid: str
    write: Write
    on_conflict: OnConflict = "stop"


class Host(Protocol):
    """What the writes need from the screen they answer."""

    def post_message(self, message: Message) -> bool: ...
    def run_in_thread(self, job: Callable[[], None], group: str) -> object: ...


class Writes:
    """The writes and undos of one dashboard, in its store or a thread's."""

    class Written(Message):
        """A change went through (`conflicts` left to decide when it stopped on them)."""

        def __init__(
            self,
            pending: Pending,
            touch: Touch | None,
            result: FieldWrite,
            *,
            waited: bool,
            touch_mark: int | None = None,
        ) -> None:
            super().__init__()
            self.pending = pending
            self.touch = touch
            self.result = result
            self.waited = waited
            # the store's touch mark right after the write, for its undo (undo.Change)
            self.touch_mark = touch_mark

        @property
        def conflicts(self) -> dict[str, tuple[Any, Any]]:
            return self.result.conflicts if self.pending.on_conflict == "stop" else {}

    class Undone(Message):
        """A change was reverted; `kept`: the fields left as they are."""

        def __init__(self, change: Change, kept: list[str], *, waited: bool) -> None:
            super().__init__()
            self.change = change
            self.kept = kept
            self.waited = waited

    class Failed(Message):
        """A write or an undo of contact `uid` was refused; nothing was written."""

        def __init__(
            self, uid: str, error: FollowupError, *, waited: bool, undoing: bool = False
        ) -> None:
            super().__init__()
            self.uid = uid
            self.error = error
            self.waited = waited
            self.undoing = undoing

    class Waiting(Message):
        """A write starts waiting for another process's lock."""

    def __init__(self, store: Store, host: Host) -> None:
        self.store = store
        self.host = host
        self._writer: Store | None = None  # the write threads' own Store
        self._writer_lock = threading.Lock()
        self._running = 0  # writes waiting in a thread (under the condition)
        self._done = threading.Condition()

    def change(self, pending: Pending) -> None:
        """Write `pending` now, or in a thread while another process holds the lock."""
        if self.store.lock_busy():
            self._in_thread(lambda: self._post(self._write(self._store(), pending, waited=True)))
            return
        self._post(self._write(self.store, pending, waited=False))

    def undo(self, change: Change) -> None:
        """Put back what `change` wrote, where that still holds."""
        if self.store.lock_busy():
            self._in_thread(lambda: self._post(self._revert(self._store(), change, waited=True)))
            return
        self._post(self._revert(self.store, change, waited=False))

    @staticmethod
    def _write(store: Store, pending: Pending, *, waited: bool) -> Message:
        try:
            touch, result = pending.write(store, pending.on_conflict)
        except FollowupError as error:
            return Writes.Failed(pending.uid, error, waited=waited)
        mark = store.touch_mark()  # as this write left the database: nothing read
        return Writes.Written(pending, touch, result, waited=waited, touch_mark=mark)

    @staticmethod
    def _revert(store: Store, change: Change, *, waited: bool) -> Message:
        try:
            kept = revert(store, change)
        except FollowupError as error:
            return Writes.Failed(change.uid, error, waited=waited, undoing=True)
        return Writes.Undone(change, kept, waited=waited)

    def _post(self, message: Message) -> None:
        with contextlib.suppress(RuntimeError):  # the app has closed
            self.host.post_message(message)

    # -- writes that wait for another process ----------------------------------------

    def wait(self, timeout: float) -> None:
        """Until the writes waiting in threads have finished (or `timeout` seconds)."""
        with self._done:
            self._done.wait_for(lambda: self._running == 0, timeout=timeout)

    def _in_thread(self, job: Callable[[], None]) -> None:
        with self._done:
            self._running += 1

        def run() -> None:
            try:
                with self._writer_lock:
                    job()
            finally:
                with self._done:
                    self._running -= 1
                    self._done.notify_all()

        self.host.post_message(Writes.Waiting())
        self.host.run_in_thread(run, "writes")

    def _store(self) -> Store:
        """The Store the write threads use (a Store is not shared across threads)."""
        if self._writer is None:
            self._writer = Store(self.store.path, clock=self.store.clock)
        return self._writer
