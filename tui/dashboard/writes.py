"""The dashboard's writes and their undo.

`Writes` runs each change (only the fields it means to change, decided in the store's
lock), remembers what it wrote so `u` can revert it, and has the dashboard redraw. When
a field it saves was changed elsewhere since its dialog opened, it asks first
(ConflictModal). While another followup process holds the lock, the write (or the undo)
waits in a worker thread with its own Store on the same files (a Store is not shared
across threads), keys stay live and a note says so; the outcome comes back to the event
loop. A write still waiting when the dashboard closes is not lost: `wait` lets it
finish first (or fail with the lock's timeout, as any write does).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from store.errors import FollowupError
from store.store import Store
from tui.dashboard.undo import Change, UndoStack, revert
from tui.dashboard.view import UNREAD, Unread
from widgets.heat_column import HeatColumn

if TYPE_CHECKING:
    from store.model import Contact, Touch
    from store.store import FieldWrite, OnConflict

    # Typed here, not imported, so mypy sees the collaborator without a cycle at run time.
    from tui.dashboard.screen import DashboardScreen

    # A write of only the fields a change means: given the store to write with and what
    # to do on a conflict, returns the touch it logged (if any) and what it wrote.
    Write = Callable[[Store, OnConflict], tuple[Touch | None, FieldWrite]]


@dataclass(frozen=True)
class SampleChange(Change):
    """Loading the sample contacts: undone by taking back the untouched ones."""

    contact_uids: tuple[str, ...] = ()
    touch_uids: tuple[str, ...] = ()


class Writes:
    """The writes of `dashboard`, in its store (or a thread's) and on its undo stack."""

    def __init__(self, dashboard: DashboardScreen, undo_stack: UndoStack) -> None:
        self.dashboard = dashboard
        self.undo_stack = undo_stack
        self._writer: Store | None = None  # the write threads' own Store
        self._writer_lock = threading.Lock()
        self._running = 0  # writes waiting in a thread (under the condition)
        self._done = threading.Condition()

    # -- a change ----------------------------------------------------------------------

    def change(self, label: str, uid: str, write: Write, on_conflict: OnConflict = "stop") -> None:
        dashboard = self.dashboard
        if dashboard.store.lock_busy():
            self._in_thread(lambda: self._write_in_thread(label, uid, write, on_conflict))
            return
        histories = dashboard.board.histories
        known = histories.pop(uid, None)  # put back once the write went through
        column = dashboard.columns.current
        # The highlight stays where it was (on the next contact), not chasing this one.
        position = column.highlighted if column.highlighted_uid == uid else None
        stored: Contact | Unread = UNREAD  # read again if the write failed
        with dashboard.guard():
            touch, result = write(dashboard.store, on_conflict)
            stored = result.contact
            if known is not None:
                dashboard.board.histories[uid] = known
            self._written(label, uid, write, on_conflict, touch, result)
        self._redraw_written(uid, column, position, stored)

    def _written(
        self,
        label: str,
        uid: str,
        write: Write,
        on_conflict: OnConflict,
        touch: Touch | None,
        result: FieldWrite,
    ) -> None:
        dashboard = self.dashboard
        if result.conflicts and on_conflict == "stop":
            self._ask_conflict(label, uid, write, result.conflicts)
            return
        touch_uid = None
        if touch is not None:
            touch_uid = touch.uid
            dashboard.board.touch_logged(uid, touch)
        if touch is not None or result.written:
            self.undo_stack.push(Change(label, uid, dict(result.written), touch_uid))
            dashboard.notify(label, timeout=3, markup=False)
        else:
            dashboard.notify("Nothing to change", timeout=3, markup=False)
        if touch is not None:
            dashboard.call_later(dashboard.refresh_marker, uid)
        before = replace(result.contact, **{f: old for f, (old, _) in result.written.items()})
        dashboard.review.written(before, result.contact, logged=touch is not None)

    def _redraw_written(
        self, uid: str, column: HeatColumn, position: int | None, stored: Contact | Unread
    ) -> None:
        """Redraw contact `uid` (`stored`: as the write returned it) after a write. The
        highlight stays where it was (now on the next contact) rather than chase this
        one, unless it moved to another column."""
        dashboard = self.dashboard
        before = dashboard.board.contacts.get(uid)
        if position is None:
            dashboard.update_contact(uid, keep=uid, stored=stored)
            return
        dashboard.update_contact(uid, stored=stored, follow=False)
        after = dashboard.board.contacts.get(uid)
        if after is not None and before is not None and after.heat != before.heat:
            dashboard.columns.follow(uid)
        else:
            dashboard.columns.stay_at(column, position)

    def _ask_conflict(
        self, label: str, uid: str, write: Write, conflicts: dict[str, tuple[Any, Any]]
    ) -> None:
        from tui.modals.conflict import ConflictModal

        def chosen(choice: str | None) -> None:
            if choice in ("overwrite", "keep"):
                self.change(label, uid, write, "overwrite" if choice == "overwrite" else "keep")
            else:
                self.dashboard.notify("Nothing was saved", timeout=3, markup=False)

        modal = ConflictModal(f"Not saved yet: {label}", conflicts)
        self.dashboard.app.push_screen(modal, chosen)

    # -- undo ------------------------------------------------------------------------

    def undo(self) -> None:
        dashboard = self.dashboard
        change = self.undo_stack.pop()
        if change is None:
            dashboard.notify("Nothing to undo", timeout=2, markup=False)
            return
        if isinstance(change, SampleChange):
            self._undo_samples(change)
            return
        if dashboard.store.lock_busy():
            self._in_thread(lambda: self._revert_in_thread(change))
            return
        known = dashboard.board.histories.pop(change.uid, None)  # put back once it went through
        with dashboard.guard():
            kept = revert(dashboard.store, change)
            if known is not None:
                dashboard.board.histories[change.uid] = known
            self._undone(change, kept)
        dashboard.update_contact(change.uid, keep=change.uid)
        dashboard.refresh_marker(change.uid)

    def _undone(self, change: Change, kept: list[str]) -> None:
        dashboard = self.dashboard
        with dashboard.guard():
            if kept:
                dashboard.notify(
                    f"Undone: {change.label}, except {', '.join(kept)} "
                    "(changed elsewhere since; left as it is)",
                    timeout=6,
                    severity="warning",
                    markup=False,
                )
            else:
                dashboard.notify(f"Undone: {change.label}", timeout=3, markup=False)
            if change.touch_uid is not None and not dashboard.board.touch_undone(
                change.uid, change.touch_uid
            ):
                dashboard.board.set_days(dashboard.store.touch_days())

    def _undo_samples(self, change: SampleChange) -> None:
        from store.demo import remove_samples

        dashboard = self.dashboard
        with dashboard.guard():
            removed = remove_samples(dashboard.store, change.contact_uids, change.touch_uids)
            kept = len(change.contact_uids) - removed
            note = f" ({kept} you changed are kept)" if kept else ""
            dashboard.notify(
                f"Undone: removed {removed} sample contacts{note}", timeout=4, markup=False
            )
        dashboard.reload()
        dashboard.columns.focus(dashboard.columns.first_with_rows())
        dashboard.fill_markers()

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
                job()
            finally:
                with self._done:
                    self._running -= 1
                    self._done.notify_all()

        self._waiting(+1)
        self.dashboard.notify(
            "Waiting for another followup process to finish writing; keys still work",
            title="followup",
            severity="warning",
            timeout=4,
            markup=False,
        )
        self.dashboard.run_worker(run, thread=True, group="writes")

    def _waiting(self, step: int) -> None:
        board = self.dashboard.board
        board.waiting += step
        self.dashboard.header.note = board.view_note()

    def _store(self) -> Store:
        """The Store the write threads use (a Store is not shared across threads)."""
        if self._writer is None:
            store = self.dashboard.store
            self._writer = Store(store.path, clock=store.clock)
        return self._writer

    def _write_in_thread(self, label: str, uid: str, write: Write, on_conflict: OnConflict) -> None:
        outcome: tuple[Touch | None, FieldWrite] | FollowupError
        with self._writer_lock:
            try:
                outcome = write(self._store(), on_conflict)
            except FollowupError as error:
                outcome = error
        with contextlib.suppress(RuntimeError):  # the app has closed
            self.dashboard.app.call_from_thread(
                self._thread_written, label, uid, write, on_conflict, outcome
            )

    def _thread_written(
        self,
        label: str,
        uid: str,
        write: Write,
        on_conflict: OnConflict,
        outcome: tuple[Touch | None, FieldWrite] | FollowupError,
    ) -> None:
        dashboard = self.dashboard
        self._waiting(-1)
        if isinstance(outcome, FollowupError):
            dashboard.report(outcome)
            return
        dashboard.board.histories.pop(uid, None)
        dashboard.refresh_from_disk()
        self._written(label, uid, write, on_conflict, *outcome)
        dashboard.update_contact(uid, keep=uid)

    def _revert_in_thread(self, change: Change) -> None:
        outcome: list[str] | FollowupError
        with self._writer_lock:
            try:
                outcome = revert(self._store(), change)
            except FollowupError as error:
                outcome = error
        with contextlib.suppress(RuntimeError):
            self.dashboard.app.call_from_thread(self._thread_reverted, change, outcome)

    def _thread_reverted(self, change: Change, outcome: list[str] | FollowupError) -> None:
        dashboard = self.dashboard
        self._waiting(-1)
        if isinstance(outcome, FollowupError):
            dashboard.report(outcome)
            return
        dashboard.board.histories.pop(change.uid, None)
        dashboard.refresh_from_disk()
        self._undone(change, outcome)
        dashboard.update_contact(change.uid, keep=change.uid)
        dashboard.refresh_marker(change.uid)
