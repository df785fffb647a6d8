"""Reading the rows' nudge markers and the touch histories off the event loop.

The dashboard runs `MarkerReader.read` in a thread after the first paint (every row)
and after each change on disk (only the contacts it changed). The reader keeps its own
Store on the same files (a Store is not shared across threads), one for the dashboard's
life: after another process's change it re-reads only what changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from store.clock import Clock
from store.errors import FollowupError
from store.model import Touch
from store.store import Store
from tui.dashboard.board import marker_for


@dataclass
class MarkersRead:
    markers: dict[str, str]  # uid -> marker
    histories: dict[str, list[Touch]]  # uid -> touches, newest first
    uids: set[str] | None  # the contacts read (None: every contact)


class MarkerReader:
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._reader: Store | None = None
        self._lock = threading.Lock()

    def read(self, today: date, deliver: Callable[[MarkersRead], None]) -> None:
        """Hand `deliver` the markers and histories of every contact (the first time)
        or of those changed on disk since the last read; nothing when nothing changed
        or the files can't be read (the dashboard's own reads report the problem).
        Deliveries keep the order of the reads: each from newer files than the last."""
        with self._lock:
            try:
                first = self._reader is None
                if self._reader is None:
                    self._reader = Store(self.path, clock=self.clock)
                reader = self._reader
                changed = reader.sync()
                uids = None if first else (reader.changed if changed else set())
                if uids is not None and not uids:
                    return
                histories = reader.histories()
                settings = reader.settings
                contacts = reader.contacts()
                if uids is not None:
                    contacts = [c for c in contacts if c.uid in uids]
                found = {
                    c.uid: marker_for(c, histories.get(c.uid, []), settings, today)
                    for c in contacts
                }
                every = {c.uid: histories.get(c.uid, []) for c in contacts}
            except FollowupError:
                return
            deliver(MarkersRead(found, every, None if uids is None else set(uids)))
