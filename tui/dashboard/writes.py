"""Writes that wait for another followup process's lock, in a thread: keys stay live.

`ThreadWrites` runs a dashboard write (or an undo) in a worker thread with its own Store
on the same files (a Store is not shared across threads), then hands the outcome back
to the dashboard on the event loop. A write still waiting when the dashboard closes is
not lost: `wait` lets it finish first (or fail with the lock's timeout, as any write).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store.clock import Clock
from store.errors import FollowupError
from store.store import Store
from tui.dashboard.undo import Change, revert

if TYPE_CHECKING:
    from store.model import Touch
    from store.store import FieldWrite, OnConflict
    from tui.dashboard.screen import DashboardScreen, Write


class ThreadWrites:
    def __init__(self, dashboard: DashboardScreen, path: Path, clock: Clock) -> None:
        self.dashboard = dashboard
        self.path = path
        self.clock = clock
        self._writer: Store | None = None
        self._writer_lock = threading.Lock()
        self._running = 0  # writes waiting in a thread (under the condition)
        self._done = threading.Condition()

    def write(self, label: str, uid: str, write: Write, on_conflict: OnConflict) -> None:
        self._in_thread(lambda: self._write(label, uid, write, on_conflict))

    def revert(self, change: Change) -> None:
        self._in_thread(lambda: self._revert(change))

    def wait(self, timeout: float) -> None:
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

        self.dashboard.waiting_note()
        self.dashboard.run_worker(run, thread=True, group="writes")

    def _store(self) -> Store:
        if self._writer is None:
            self._writer = Store(self.path, clock=self.clock)
        return self._writer

    def _write(self, label: str, uid: str, write: Write, on_conflict: OnConflict) -> None:
        outcome: tuple[Touch | None, FieldWrite] | FollowupError
        with self._writer_lock:
            try:
                outcome = write(self._store(), on_conflict)
            except FollowupError as error:
                outcome = error
        dashboard = self.dashboard
        with contextlib.suppress(RuntimeError):  # the app has closed
            dashboard.app.call_from_thread(
                dashboard.thread_written, label, uid, write, on_conflict, outcome
            )

    def _revert(self, change: Change) -> None:
        outcome: list[str] | FollowupError
        with self._writer_lock:
            try:
                outcome = revert(self._store(), change)
            except FollowupError as error:
                outcome = error
        with contextlib.suppress(RuntimeError):
            self.dashboard.app.call_from_thread(self.dashboard.thread_reverted, change, outcome)
