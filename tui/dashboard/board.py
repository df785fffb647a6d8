"""The dashboard's model, without Textual: what the columns and the header show.

The board holds the active contacts by uid, their counts by heat and by due state, the
filter and the today-only view, the rows' nudge markers and the touch histories (both
filled after the first paint), the touches per day, the streak, and the stats' best
channel (for the "try another channel" nudge: read from every touch only when that
nudge is shown, and kept until the touches change). The screen asks it
what to draw; after a change it hands the board the contact as stored now and gets
back the row move to make (`apply`). Everything here is plain data, so it is tested
without an app (tests/tui/test_board.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

import msgspec

from store.model import HEATS, Channel, Contact, Heat, Settings, Touch
from store.rules.cadence import column_order, due_state
from store.rules.format import touch_order
from store.rules.names import fold
from store.rules.nudges import MARKERS, has_next_step, nudges_for
from store.rules.stats import ChannelTally, channel_stats, proven_channel
from store.rules.streak import Streak, compute_streak
from store.rules.text import clean

NO_NEXT_STEP = MARKERS["no_next_step"]


def insertion_index(
    ordered: Sequence[Contact], contact: Contact, today: date, settings: Settings
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


def quick_marker(contact: Contact) -> str:
    """The marker before the histories are read: only "no next step"."""
    return "" if has_next_step(contact) else NO_NEXT_STEP


def matches(contact: Contact, needle: str) -> bool:
    """Whether the filter `needle` (folded: store.rules.names.fold) is in the contact's
    name or company as names are compared: case and accents aside ("zoe" finds Zoë).
    Anywhere in them, not only where a word starts: a filter narrows as it is typed,
    and a row too many is cheaper than a contact hidden."""
    return needle in fold(contact.name) or needle in fold(contact.company)


class RowMove(msgspec.Struct, frozen=True):
    """What one change does to the columns: the row leaves `old_heat`'s column (if
    set) and goes into `new_heat`'s (if set); `contact` is what the new row shows."""

    uid: str
    old_heat: Heat | None = None
    new_heat: Heat | None = None
    contact: Contact | None = None

    @property
    def moved_column(self) -> bool:
        return self.old_heat is not None and self.new_heat not in (None, self.old_heat)


class Board:
    """The dashboard's contacts, counts, view, markers, histories and streak."""

    # The streak's rule (store.rules.streak), run only when a day gained its first touch
    # or lost its last (`streak_now`); tests count its runs here.
    compute_streak = staticmethod(compute_streak)

    def __init__(self, today: date) -> None:
        self.today = today
        self.contacts: dict[str, Contact] = {}  # the active ones, by uid
        self.filter_text = ""
        self.today_only = False
        self.markers: dict[str, str] = {}  # from the touch history, filled after first paint
        self.markers_ready = False
        self.fresh_markers: set[str] = set()  # markers set here while the thread runs
        # Every contact's touches, newest first, from the marker thread (then kept up to
        # date with the touches logged and undone here); empty until it has run.
        self.histories: dict[str, list[Touch]] = {}
        self.days: dict[date, int] = {}  # touches per day (days with one only), for the streak
        self.logged_days: dict[str, date] = {}  # touch uid -> its day, for undo
        self.due_counts: Counter[str] = Counter()  # active contacts by due state
        self.heat_counts: Counter[str] = Counter()  # active contacts by heat
        self.streak = Streak(0, 0, False, 0)
        # The day and rest days of the streak computed last; None once a day gained its
        # first touch or lost its last (else only today's count can have changed).
        self._streak_for: tuple[date, tuple[int, ...]] | None = None
        self.waiting = 0  # writes waiting in a thread for another process's lock
        # The touches' version: one more at each change to them that the board is told
        # of (logged, undone, changed elsewhere, all read again); the best channel, with
        # the version it was read at.
        self.touches_version = 0
        self._proven: tuple[int, tuple[Channel, str] | None] | None = None
        # Every touch's channel counts, kept contact by contact as the histories are
        # (None until the thread has read them all, and when one can't be kept exact).
        self.tally: ChannelTally | None = None

    # -- loading ---------------------------------------------------------------------

    def load(self, contacts: Iterable[Contact], days: Mapping[date, int]) -> None:
        """Every active contact, read again (the histories too, later)."""
        self.histories = {}
        self.tally = None
        self.contacts = {c.uid: c for c in contacts}
        self.set_days(days)
        self.touches_version += 1

    def is_new_day(self, today: date) -> bool:
        return today != self.today

    def columns(
        self,
        today: date,
        settings: Settings,
        *,
        counts: tuple[Mapping[str, int], int, int] | None = None,
    ) -> dict[Heat, list[Contact]]:
        """Each heat's contacts the view lets through, in column order, on `today`; the
        counts are recomputed from the contacts (or taken from `counts`: per heat, due
        today, overdue, when only the first rows of each column are known)."""
        self.today = today
        by_heat: dict[Heat, list[Contact]] = {heat: [] for heat in HEATS}
        states = []
        for contact in self.contacts.values():
            states.append(due_state(contact, today))
            by_heat[contact.heat].append(contact)
        if counts is None:
            self.due_counts = Counter(states)
            self.heat_counts = Counter({heat: len(members) for heat, members in by_heat.items()})
        else:
            per_heat, due_today, overdue = counts
            self.due_counts = Counter(today=due_today, overdue=overdue)
            self.heat_counts = Counter(per_heat)
        return {
            heat: column_order(filter(self.shows, members), today, settings)
            for heat, members in by_heat.items()
        }

    # -- the view --------------------------------------------------------------------

    def shows(self, contact: Contact) -> bool:
        """Whether the filter and the today-only view let `contact` through."""
        needle = fold(self.filter_text.strip())
        if needle and not matches(contact, needle):
            return False
        return not self.today_only or due_state(contact, self.today) in ("overdue", "today")

    def view_note(self) -> str:
        notes = []
        if self.waiting:
            notes.append("saving: waiting for another followup process")
        if self.today_only:
            notes.append("today only (T)")
        if self.filter_text.strip():
            notes.append(f"filter: {clean(self.filter_text.strip())}")
        return ", ".join(notes)

    def marker(self, contact: Contact) -> str:
        return self.markers.get(contact.uid, quick_marker(contact))

    # -- changes -----------------------------------------------------------------------

    def apply(self, uid: str, stored: Contact | None) -> RowMove:
        """Contact `uid` is now `stored` (None: removed); the counts follow, and the
        returned move says which row leaves which column and which goes where."""
        old = self.contacts.pop(uid, None)
        new = stored if stored is not None and stored.active else None
        if new is not None:
            self.contacts[uid] = new
        today = self.today
        self.due_counts.subtract(due_state(c, today) for c in (old,) if c)
        self.due_counts.update(due_state(c, today) for c in (new,) if c)
        if old is not None:
            self.heat_counts[old.heat] -= 1
        if new is not None:
            self.heat_counts[new.heat] += 1
        leaves = old is not None and (new is None or new.heat != old.heat or not self.shows(new))
        joins = new is not None and self.shows(new)
        return RowMove(
            uid,
            old.heat if leaves and old is not None else None,
            new.heat if joins and new is not None else None,
            new,
        )

    def forget(self, uids: Iterable[str]) -> None:
        """Another process changed these contacts' touches: their histories are stale."""
        for uid in uids:
            self.histories.pop(uid, None)
        self.touches_version += 1

    def set_days(self, days: Mapping[date, int]) -> None:
        """The touches per day, read again; the streak is computed again only when the
        days with a touch are not the same."""
        new = dict(days)
        if min(new.values(), default=1) <= 0:
            new = {d: n for d, n in new.items() if n > 0}
        if new.keys() != self.days.keys():  # both hold only days with a touch
            self._streak_for = None
        self.days = new

    def touch_logged(self, uid: str, touch: Touch) -> None:
        day = touch.at.date()
        self.days[day] = self.days.get(day, 0) + 1
        if self.days[day] == 1:
            self._streak_for = None
        self.logged_days[touch.uid] = day
        self.history_changed(uid, added=touch)

    def touch_undone(self, uid: str, touch_uid: str) -> bool:
        """A touch logged here was taken back; False when its day is not known here
        (the caller reads the touch days again)."""
        self.history_changed(uid, removed=touch_uid)
        day = self.logged_days.pop(touch_uid, None)
        if day is None:
            return False
        self.days[day] -= 1
        if self.days[day] <= 0:  # only days with a touch are kept
            del self.days[day]
            self._streak_for = None
        return True

    def history_changed(self, uid: str, *, added: Touch | None = None, removed: str = "") -> None:
        """Keep the histories in step with a touch logged or undone here."""
        self.touches_version += 1
        known = self.histories.get(uid)
        if known is None:
            self.tally = None  # this contact's touches are not all known here
            return
        touches = [t for t in known if t.uid != removed]
        if added is not None:
            touches.append(added)
            touches.sort(key=touch_order, reverse=True)
        self.histories[uid] = touches
        if self.tally is not None:
            self.tally.count(uid, touches)

    def apply_markers(
        self,
        found: dict[str, str],
        histories: dict[str, list[Touch]],
        uids: set[str] | None,
        tally: ChannelTally | None = None,
    ) -> dict[str, str]:
        """Markers and histories from the thread: of every contact (`uids` None) or of
        the contacts in `uids`. Returns the markers to draw, by uid (all of them when
        `uids` is None)."""
        for uid in self.fresh_markers:  # changed here since the thread started
            found.pop(uid, None)
            histories.pop(uid, None)
        self.markers_ready = True
        if uids is None:
            self.markers.update(found)
            self.histories = histories
            # a contact changed here while the thread read: its count may be older
            self.tally = None if self.fresh_markers else tally
            return self.markers
        self.histories.update(histories)
        if self.tally is not None:
            for uid, touches in histories.items():
                self.tally.count(uid, touches)
        self.markers.update(found)
        return {uid: marker for uid, marker in found.items() if uid in self.contacts}

    def set_marker(self, uid: str, marker: str | None) -> None:
        """A marker computed here (None: the contact is gone)."""
        if marker is None:
            self.markers.pop(uid, None)
            return
        self.fresh_markers.add(uid)
        self.markers[uid] = marker

    def proven(self, every_touch: Callable[[], Iterable[Touch]]) -> tuple[Channel, str] | None:
        """The stats' best channel and its answered range (store.rules.stats.proven_channel,
        as `followup show` says it), from `every_touch()`: read once per version of the
        touches, and only when asked (a nudge that needs it is shown)."""
        if self.tally is not None:  # kept as the touches change: no read at all
            return proven_channel(self.tally.stats())
        known = self._proven
        if known is None or known[0] != self.touches_version:
            known = self._proven = (
                self.touches_version,
                proven_channel(channel_stats(every_touch())),
            )
        return known[1]

    # -- the header --------------------------------------------------------------------

    def streak_now(self, rest_days: Iterable[int]) -> Streak:
        """The streak, computed again only when a day gained its first touch or lost its
        last, the day changed or the rest days did; else only today's count moves."""
        key = (self.today, tuple(rest_days))
        if key != self._streak_for:
            self._streak_for = key
            self.streak = self.compute_streak(self.days, self.today, key[1])
        touches_today = self.days.get(self.today, 0)
        if touches_today != self.streak.touches_today:
            self.streak = msgspec.structs.replace(self.streak, touches_today=touches_today)
        return self.streak
