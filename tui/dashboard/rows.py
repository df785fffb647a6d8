"""Reading the store into the dashboard's columns, and the rows' nudge markers.

A mixin of DashboardScreen: the contacts (cheap) are read for the first paint and after
each change; the markers that need the touch history are filled in afterwards by a
thread, so a key press never waits on 50,000 touches.
"""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from typing import TYPE_CHECKING

from textual import work

from store.cadence import column_order, due_state
from store.errors import FollowupError, InputError
from store.model import HEATS, Contact, Settings, Touch
from store.nudges import MARKERS, nudges_for
from store.store import FirstScreen, Store
from store.streak import Streak, compute_streak
from store.text import clean
from widgets.heat_column import HeatColumn, Row
from widgets.streak_header import StreakHeader

if TYPE_CHECKING:
    from store.clock import Clock

NO_NEXT_STEP = MARKERS["no_next_step"]
FIRST_ROWS = 24  # rows per column drawn before the first paint; the rest right after


@contextmanager
def long_lived() -> Iterator[None]:
    """Build data that lives as long as the dashboard (5,000 contacts, 50,000 touches)
    without the cyclic garbage collector running in the middle of it.

    Nothing is frozen here: the app freezes once, after its first frame (tui.app).
    Freezing again after every change would keep every reference cycle alive at that
    moment (an old screen, an old reader's records) out of reach of the collector forever.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def insertion_index(
    ordered: list[Contact], contact: Contact, today: date, settings: Settings
) -> int:
    """Where `contact` goes in `ordered` (a column in column order): a binary search that
    asks column_order about two contacts at a time (its order is total: ties by uid)."""
    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        if column_order([ordered[middle], contact], today, settings)[0] is contact:
            high = middle
        else:
            low = middle + 1
    return low


def marker_for(contact: Contact, touches: list[Touch], settings: Settings, today: date) -> str:
    """The row's marker: the most important nudge's, or nothing."""
    nudges = nudges_for(contact, touches, settings, today)
    return nudges[0].marker if nudges else ""


def matches(contact: Contact, needle: str) -> bool:
    return needle in contact.name.casefold() or needle in contact.company.casefold()


class RowsMixin:
    """The columns and the header drawn from the store, and the rows' markers."""

    # Set by DashboardScreen.__init__.
    store: Store
    clock: Clock
    today: date
    filter_text: str
    today_only: bool
    contacts: dict[str, Contact]
    markers: dict[str, str]
    markers_ready: bool
    fresh_markers: set[str]
    histories: dict[str, list[Touch]]
    _generation: int
    _reader: Store | None
    waiting: int
    _reader_lock: threading.Lock
    column_index: int
    streak: Streak
    days: dict[date, int]
    due_counts: Counter[str]
    heat_counts: Counter[str]
    _streak_for: tuple[date, tuple[int, ...], int] | None
    # Provided by DashboardScreen (besides Textual's app, query_one and run_worker).
    columns: list[HeatColumn]
    current_column: HeatColumn
    current_uid: str | None
    column: Callable[[str], HeatColumn]
    focus_column: Callable[[int], None]
    refresh_keys: Callable[[], None]
    show_detail: Callable[[], None]
    guard: Callable[[], AbstractContextManager[None]]

    def reload(self, keep: str | None = None) -> None:
        """Redraw everything from the store; keep the highlight on `keep` (or as it was)."""
        with self.guard():
            self._reload(keep)

    def _reload(self, keep: str | None) -> None:
        self._generation += 1
        self.histories = {}  # another process may have logged touches: read them again
        with long_lived():
            self.contacts = {c.uid: c for c in self.store.contacts()}
            self.days = dict(self.store.touch_days())
            self._streak_for = None
            self.render_contacts(keep)

    def update_contact(self, uid: str, keep: str | None = None) -> None:
        """Redraw after a change this dashboard made to one contact: read only that
        contact, move or redraw only its row, and the header."""
        with self.guard():
            if self.clock.now().date() != self.today:  # a new day: every due state moved
                self._read_one(uid)
                self.render_contacts(keep)
                return
            old, new = self._read_one(uid)
            self.due_counts.subtract(due_state(c, self.today) for c in (old,) if c)
            self.due_counts.update(due_state(c, self.today) for c in (new,) if c)
            if old is not None:
                self.heat_counts[old.heat] -= 1
            if new is not None:
                self.heat_counts[new.heat] += 1
            if old is not None and (new is None or new.heat != old.heat or not self._shows(new)):
                self.column(old.heat).remove(uid, total=self.heat_counts[old.heat])
            if new is not None and self._shows(new):
                self._place(new)
            self._show_header()
            if keep is not None:
                self._follow(keep)
            self.refresh_keys()

    def apply_external(self, uids: set[str]) -> None:
        """Redraw after another process changed these contacts (or their touches): only
        their rows, their markers (by the marker thread) and the header."""
        for uid in uids:
            self.histories.pop(uid, None)
            if uid in self.contacts or self._readable(uid):
                self.update_contact(uid)
        with self.guard():
            self.days = dict(self.store.touch_days())
        self._show_header()

    def _readable(self, uid: str) -> bool:
        try:
            self.store.contact(uid)
        except InputError:
            return False
        return True

    def _read_one(self, uid: str) -> tuple[Contact | None, Contact | None]:
        """Contact `uid` as shown before and as stored now (None: not active, or gone)."""
        old = self.contacts.pop(uid, None)
        try:
            contact: Contact | None = self.store.contact(uid)
        except InputError:  # taken back (undo of an add)
            contact = None
        if contact is not None and contact.active:
            self.contacts[uid] = contact
            return old, contact
        return old, None

    def _shows(self, contact: Contact) -> bool:
        """Whether the filter and the today-only view let `contact` through."""
        needle = self.filter_text.casefold().strip()
        if needle and not matches(contact, needle):
            return False
        return not self.today_only or due_state(contact, self.today) in ("overdue", "today")

    def _place(self, contact: Contact) -> None:
        """Put the row of `contact` where column order says, in its heat's column."""
        column = self.column(contact.heat)
        others = [row.contact for row in column.rows if row.uid != contact.uid]
        index = insertion_index(others, contact, self.today, self.store.settings)
        marker = self.markers.get(contact.uid, self._quick_marker(contact))
        row = Row.from_contact(contact, self.today, marker)
        column.place(row, index, total=self.heat_counts[contact.heat])

    def render_contacts(self, keep: str | None = None, *, head: FirstScreen | None = None) -> None:
        """Fill the columns and the header from self.contacts (with `head`: only the
        first rows of each column are there; its counts are of all contacts)."""
        self.today = today = self.clock.now().date()
        settings = self.store.settings
        keep = keep if keep is not None else self.current_uid
        by_heat: dict[str, list[Contact]] = {heat: [] for heat in HEATS}
        states = []
        for contact in self.contacts.values():
            states.append(due_state(contact, today))
            by_heat[contact.heat].append(contact)
        self.due_counts = Counter(states)
        self.heat_counts = Counter({heat: len(members) for heat, members in by_heat.items()})
        if head is not None:
            self.due_counts = Counter(today=head.due_today, overdue=head.overdue)
            self.heat_counts = Counter(head.per_heat)
        markers = self.markers
        for heat, members in by_heat.items():
            rows = [
                Row.from_contact(c, today, markers.get(c.uid, self._quick_marker(c)))
                for c in column_order(filter(self._shows, members), today, settings)
            ]
            total = self.heat_counts[heat]
            shown = total if head is not None else len(rows)
            column = self.column(heat)
            column.set_rows(rows, total=total, shown=shown, keep=keep, first=FIRST_ROWS)
        self._show_header()
        if keep is not None:
            self._follow(keep)
        self.refresh_keys()

    def _show_header(self) -> None:
        rest_days = self.store.settings.rest_days
        key = (self.today, tuple(rest_days), sum(self.days.values()))
        if key != self._streak_for:  # a touch logged or undone, a new day, new settings
            self._streak_for = key
            self.streak = compute_streak(self.days, self.today, rest_days)
        header = self.query_one(StreakHeader)
        header.note = self._view_note()
        header.show(self.streak, self.due_counts["today"], self.due_counts["overdue"])
        empty = not self.contacts
        self.query_one("#columns").display = not empty
        self.query_one("#empty").display = empty

    @staticmethod
    def _quick_marker(contact: Contact) -> str:
        """The marker before the histories are read: only "no next step"."""
        return NO_NEXT_STEP if contact.next_due is None else ""

    def _view_note(self) -> str:
        notes = []
        if self.waiting:
            notes.append("saving: waiting for another followup process")
        if self.today_only:
            notes.append("today only (T)")
        if self.filter_text.strip():
            notes.append(f"filter: {clean(self.filter_text.strip())}")
        return ", ".join(notes)

    def _follow(self, uid: str) -> None:
        """Put the focus on the column that holds contact `uid`."""
        contact = self.contacts.get(uid)
        if contact is None:
            return
        index = HEATS.index(contact.heat)
        if index != self.column_index and self.current_column.has_focus:
            self.focus_column(index)
        elif index != self.column_index:
            self.column_index = index
        self.column(contact.heat).select_uid(uid)

    def history(self, uid: str) -> list[Touch]:
        """One contact's touches, newest first: from the histories the thread read, else
        from the store (which reads all 50,000 touches the first time, then scans them)."""
        known = self.histories.get(uid)
        if known is not None:
            return list(known)
        with long_lived():
            return self.store.touches(uid)

    def _history_changed(self, uid: str, *, added: Touch | None = None, removed: str = "") -> None:
        """Keep the histories in step with a touch logged or undone here."""
        known = self.histories.get(uid)
        if known is None:
            return
        touches = [t for t in known if t.uid != removed]
        if added is not None:
            touches.append(added)
            touches.sort(key=lambda t: (t.at.timestamp(), t.id), reverse=True)  # as the store
        self.histories[uid] = touches

    @work(thread=True, group="markers")
    def fill_markers(self) -> None:
        """Compute the rows' markers from their histories, in a thread, after the first
        paint (every row) and after each change on disk (only the contacts it changed).

        The thread keeps its own Store on the same files (a Store is not shared across
        threads), one for the dashboard's life: after another process's change it
        re-reads only what changed. Results go back to the event loop in the order they
        were read, each from a newer version of the files than the one before.
        """
        self.fresh_markers.clear()
        with self._reader_lock:
            try:
                first = self._reader is None
                if self._reader is None:
                    self._reader = Store(self.store.path, clock=self.clock)
                reader = self._reader
                changed = reader.sync()
                uids = None if first else (reader.changed if changed else set())
                if uids is not None and not uids:
                    return
                histories = reader.histories()
                settings = reader.settings
                today = self.today
                contacts = reader.contacts()
                if uids is not None:
                    contacts = [c for c in contacts if c.uid in uids]
                found = {
                    c.uid: marker_for(c, histories.get(c.uid, []), settings, today)
                    for c in contacts
                }
                every = {c.uid: histories.get(c.uid, []) for c in contacts}
            except FollowupError:
                return  # the dashboard's own reads report the problem
            try:
                self.app.call_from_thread(self._apply_markers, found, every, uids)
            except RuntimeError:
                return  # the app has closed

    def _apply_markers(
        self,
        found: dict[str, str],
        histories: dict[str, list[Touch]],
        uids: set[str] | None,
    ) -> None:
        """Markers and histories from the thread: of every contact (`uids` None) or of
        the contacts in `uids`."""
        for uid in self.fresh_markers:  # changed here since the thread started
            found.pop(uid, None)
            histories.pop(uid, None)
        with long_lived():
            if uids is None:
                self.markers.update(found)
                self.histories = histories
            else:
                self.histories.update(histories)
                for uid, marker in found.items():
                    self.markers[uid] = marker
                    contact = self.contacts.get(uid)
                    if contact is not None:
                        self.column(contact.heat).set_marker(uid, marker)
                self.markers_ready = True
                return
            for column in self.columns:
                column.set_markers(self.markers)
        self.markers_ready = True
        self.show_detail()

    def refresh_marker(self, uid: str) -> None:
        contact = self.contacts.get(uid)
        if contact is None:
            self.markers.pop(uid, None)
            return
        self.fresh_markers.add(uid)
        with self.guard():
            self.markers[uid] = marker_for(
                contact, self.history(uid), self.store.settings, self.today
            )
            self.column(contact.heat).set_marker(uid, self.markers[uid])
