"""Reading the rows' nudge markers and the touch histories off the event loop.

The dashboard runs `MarkerReader.read` in a thread after the first paint (every row)
and after each change on disk (only the contacts it changed). The reader keeps its own
Store on the same files (a Store is not shared across threads), one for the dashboard's
life: after another process's change it re-reads only what changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import msgspec

from store.clock import Clock
from store.errors import FollowupError
from store.model import Contact, Settings, Touch
from store.rules.stats import ChannelTally
from store.store import Store
from tui.dashboard.board import marker_for


class MarkersRead(msgspec.Struct):
    markers: dict[str, str]  # uid -> marker
    histories: dict[str, list[Touch]]  # uid -> touches, newest first
    uids: set[str] | None  # the contacts read (None: every contact)
    # every touch's channel counts (a read of every contact, dropped ones included)
    tally: ChannelTally | None = None


class MarkerReader:
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._reader: Store | None = None
        self._lock = threading.Lock()
        self.full_reads = 0  # reads of every contact's markers (the first, and after doubt)

    @property
    def store(self) -> Store | None:
        """The reader's own Store (None before the first read)."""
        return self._reader

    def read(
        self,
        today: date,
        deliver: Callable[[MarkersRead], None],
        known: Known | None = None,
    ) -> None:
        """Hand `deliver` the markers and histories of every contact (the first time)
        or of those changed on disk since the last read; nothing when nothing changed
        or the files can't be read (the dashboard's own reads report the problem).
        With `known` (the dashboard's contacts and settings, read after another
        process's change to the contacts of `known.uids`), only the journal is read
        again. Deliveries keep the order of the reads: each from newer files than the last."""
        with self._lock:
            try:
                read = self._read(today, known)
            except FollowupError:
                return
            if read is not None:
                deliver(read)

    def _read(self, today: date, known: Known | None) -> MarkersRead | None:
        first = self._reader is None
        if self._reader is None:
            self._reader = Store(self.path, clock=self.clock)
        reader = self._reader
        if known is not None and not first:
            journal = reader.sync(main=False)
            touched = reader.changed if journal else set()
            if touched is not None:
                return self._some(reader, today, known.uids | touched, known)
            reader.sync()  # the journal can't tell whose touches changed: read everything
            return self._every(reader, today)
        changed = reader.sync()
        if first or (reader.changed is None and changed):
            return self._every(reader, today)
        uids = reader.changed if changed else set()
        if not uids:
            return None
        contacts = {c.uid: c for c in reader.contacts() if c.uid in uids}
        return self._some(reader, today, uids, Known(contacts, reader.settings, uids))

    def _every(self, reader: Store, today: date) -> MarkersRead:
        self.full_reads += 1
        histories = reader.histories()
        settings = reader.settings
        contacts = reader.contacts()
        found = {c.uid: marker_for(c, histories.get(c.uid, []), settings, today) for c in contacts}
        tally = ChannelTally()
        for uid, touches in histories.items():
            tally.count(uid, touches)
        return MarkersRead(found, {c.uid: histories.get(c.uid, []) for c in contacts}, None, tally)

    def _some(self, reader: Store, today: date, uids: set[str], known: Known) -> MarkersRead | None:
        """The markers and histories of contacts `uids` alone (those still active)."""
        if not uids:
            return None
        histories = {uid: reader.touches(uid) for uid in uids if uid in known.contacts}
        found = {
            uid: marker_for(known.contacts[uid], touches, known.settings, today)
            for uid, touches in histories.items()
        }
        return MarkersRead(found, histories, set(uids))


class Known(msgspec.Struct, frozen=True):
    """What the dashboard read: its active contacts by uid, its settings, and the
    contacts another process changed."""

    contacts: Mapping[str, Contact]
    settings: Settings
    uids: set[str]
