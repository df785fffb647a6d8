"""The dashboard: the streak header, the HOT / WARM / COOL columns and every key.

The screen is given its store and clock. It reads contacts (cheap) for the first
paint; the nudge markers that need the touch history are filled in afterwards, a
chunk at a time, so a key press never waits on 50,000 touches. Every change made
here is snapshotted first, so `u` can revert it. Store errors become notifications.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.widgets import Input

    from tui.modals.log_touch import TouchEntry
    from tui.modals.next_step import NextStep, NextStepModal

from store.cadence import column_order, due_state, first_due, suggest_next_due
from store.clock import Clock
from store.errors import FollowupError, InputError
from store.model import HEATS, Contact, Heat, Settings, Touch
from store.nudges import MARKERS, nudges_for
from store.stats import channel_stats, summarize
from store.store import FirstScreen, Store
from store.streak import Streak, compute_streak
from store.text import clean
from tui.undo import Change, UndoStack, revert
from widgets.heat_column import HeatColumn, Row
from widgets.key_footer import KeyFooter
from widgets.streak_header import StreakHeader

POLL_SECONDS = 1.0
NO_NEXT_STEP = MARKERS["no_next_step"]
FIRST_ROWS = 24  # rows per column drawn before the first paint; the rest right after

EMPTY_TEXT = """\
No contacts yet.

Press  a  to add your first contact,
or  D  to load sample contacts (the same as `followup demo`).

Press  ?  for help,  q  to quit."""

# Actions that need a highlighted contact.
CONTACT_ACTIONS = frozenset(
    {"open", "log_touch", "next_step", "snooze", "drop", "edit", "warm_up", "cool_down"}
)


@contextmanager
def long_lived() -> Iterator[None]:
    """Build data that lives as long as the dashboard (5,000 contacts, 50,000 touches)
    without the cyclic garbage collector, then freeze everything alive.

    Otherwise every later collection of the oldest generation walks all of it again:
    100-180 ms on the heavy database, landing on whatever key press allocates next.
    Frozen objects are still freed when their last reference goes; only a reference
    cycle alive at this moment is never collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
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


class DashboardScreen(Screen[None]):
    BINDINGS = [
        Binding("t", "log_touch", "Log", id="log_touch", tooltip="Log a touch"),
        Binding("n", "next_step", "Next", id="next_step", tooltip="Set the next step"),
        Binding("s", "snooze", "Snooze", id="snooze", tooltip="Move the next date"),
        Binding("d", "drop", "Drop", id="drop", tooltip="Stop following up (asks first)"),
        Binding("a", "add", "Add", id="add", tooltip="Add a contact"),
        Binding("e", "edit", "Edit", id="edit", tooltip="Edit the contact"),
        Binding("slash", "filter", "Filter", key_display="/", id="filter"),
        Binding("T", "today_only", "Today", id="today_only", tooltip="Today-only view"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        # Also keys, but past what a footer 80 columns wide shows: in help and ctrl+p.
        Binding("plus", "warm_up", "Warmer", key_display="+", show=False, id="warm_up",
                tooltip="Warm up"),
        Binding("minus", "cool_down", "Cooler", key_display="-", show=False, id="cool_down",
                tooltip="Cool down"),
        Binding("enter", "open", "Open", show=False, id="open", tooltip="Open the contact"),
        Binding("A", "archive", "Archive", show=False, id="archive",
                tooltip="Archive of dropped contacts"),
        Binding("S", "stats", "Stats", show=False, id="stats", tooltip="Channel stats"),
        Binding("D", "demo", "Sample data", id="demo", tooltip="Load sample contacts"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
        Binding("j,down", "cursor_down", "Down", show=False, id="down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="up"),
        Binding("h,left", "column(-1)", "Column left", show=False, id="left"),
        Binding("l,right", "column(1)", "Column right", show=False, id="right"),
        Binding("tab", "column(1)", "Next column", show=False, id="next_column"),
        Binding("shift+tab", "column(-1)", "Previous column", show=False, id="previous_column"),
    ]  # fmt: skip

    def __init__(self, store: Store, clock: Clock, *, emoji: bool | None = None) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.emoji = emoji
        self.today = clock.now().date()
        self.filter_text = ""
        self.today_only = False
        self.undo_stack = UndoStack()
        self.markers: dict[str, str] = {}  # from the touch history, filled after first paint
        self.markers_ready = False
        self.fresh_markers: set[str] = set()  # markers set here while the thread runs
        # Every contact's touches, newest first, from the same thread (then kept up to date
        # with the touches logged and undone here); empty until it has run.
        self.histories: dict[str, list[Touch]] = {}
        self._generation = 0  # of the contacts read: a thread from an older one is ignored
        self.column_index = 0
        self.contacts: dict[str, Contact] = {}
        self.streak = Streak(0, 0, False, 0)
        self._last_error = ""
        self._reported_problems: list[str] = []
        self.days: dict[date, int] = {}  # touches per day, for the streak
        self._key_state: tuple[bool | None, ...] = ()
        self.due_counts: Counter[str] = Counter()  # active contacts by due state
        self.heat_counts: Counter[str] = Counter()  # active contacts by heat
        self.logged_days: dict[str, date] = {}  # touch uid -> its day, for undo
        self._streak_for: tuple[date, tuple[int, ...], int] | None = None
        self.heat_columns = {
            heat: HeatColumn(heat, id=f"col-{heat}", classes=f"heat-{heat}") for heat in HEATS
        }

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StreakHeader(emoji=self.emoji, id="header")
        with Horizontal(id="columns"):
            yield from self.heat_columns.values()
        yield Static(EMPTY_TEXT, id="empty", markup=False)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        with self.guard(), long_lived():
            self._first_paint()
        self.focus_column(self._first_column_with_rows())
        self.set_interval(POLL_SECONDS, self.poll, name="poll")
        self.call_after_refresh(self._after_first_paint)

    def _first_paint(self) -> None:
        """Only the first screenful of each column, and the counts: no need to build
        every contact before the first frame."""
        head = self.store.first_screen(self.clock.now().date(), FIRST_ROWS)
        self.contacts = {c.uid: c for c in head.contacts}
        self.days = dict(self.store.touch_days())
        self.render_contacts(head=head)

    def _after_first_paint(self) -> None:
        self.reload()
        self.fill_markers()
        self.report_unreadable()

    def report_unreadable(self) -> None:
        """Records of a hand-edited file that can't be read: said once, kept on disk."""
        problems = self.store.problems
        if problems and problems != self._reported_problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.notify(
                f"{len(problems)} record(s) in {self.store.path} can't be read and are left "
                f"as they are: {clean(problems[0])}{more}",
                title="followup",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self._reported_problems = problems

    @property
    def columns(self) -> list[HeatColumn]:
        return list(self.heat_columns.values())

    def column(self, heat: str) -> HeatColumn:
        return self.heat_columns[heat]

    @property
    def current_column(self) -> HeatColumn:
        return self.columns[self.column_index]

    @property
    def current_uid(self) -> str | None:
        uid = self.current_column.highlighted_uid
        return uid if uid in self.contacts else None

    @property
    def current_contact(self) -> Contact | None:
        uid = self.current_uid
        return self.contacts.get(uid) if uid is not None else None

    def focus_column(self, index: int) -> None:
        self.column_index = index % len(HEATS)
        self.current_column.focus()

    def _first_column_with_rows(self) -> int:
        for index, column in enumerate(self.columns):
            if column.rows:
                return index
        return 0

    # -- reading the store ---------------------------------------------------------

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

    def refresh_keys(self) -> None:
        """Refresh the footer only when what check_action allows has changed (the
        footer rebuilds itself on every refresh)."""
        state = tuple(self.check_action(b.action.split("(")[0], ()) for b in self.key_bindings)
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    @property
    def key_bindings(self) -> list[Binding]:
        return [b for b in self.BINDINGS if isinstance(b, Binding)]

    @staticmethod
    def _quick_marker(contact: Contact) -> str:
        """The marker before the histories are read: only "no next step"."""
        return NO_NEXT_STEP if contact.next_due is None else ""

    def _view_note(self) -> str:
        notes = []
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

    @work(thread=True, exclusive=True, group="markers")
    def fill_markers(self) -> None:
        """Compute every row's marker from its history, in a thread, after the first paint.

        The thread opens its own Store on the same files (a Store is not shared
        across threads) and hands the markers back to the event loop.
        """
        worker = get_current_worker()
        generation = self._generation
        self.fresh_markers.clear()
        try:
            reader = Store(self.store.path, clock=self.clock)
            histories = reader.histories()
            settings = reader.settings
            today = self.today
            contacts = reader.contacts()
            found = {
                c.uid: marker_for(c, histories.get(c.uid, []), settings, today) for c in contacts
            }
            every = {c.uid: histories.get(c.uid, []) for c in contacts}
        except FollowupError:
            return  # the dashboard's own reads report the problem
        if not worker.is_cancelled:
            self.app.call_from_thread(self._apply_markers, found, every, generation)

    def _apply_markers(
        self, found: dict[str, str], histories: dict[str, list[Touch]], generation: int
    ) -> None:
        if generation != self._generation:
            return  # read before the store changed under us; a newer thread follows
        for uid in self.fresh_markers:  # changed here since the thread started
            found.pop(uid, None)
            histories.pop(uid, None)
        with long_lived():
            self.markers.update(found)
            self.histories = histories
            for column in self.columns:
                column.set_markers(self.markers)
        self.markers_ready = True

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

    # -- live updates and errors ---------------------------------------------------

    def poll(self) -> None:
        """Pick up changes other processes made (and a new day)."""
        try:
            changed = self.store.sync()
        except FollowupError as error:
            if str(error) != self._last_error:
                self.report(error)
            self._last_error = str(error)
            return
        self._last_error = ""
        for notice in self.store.take_notices():
            self.notify(notice, title="followup", severity="warning", timeout=10, markup=False)
        if changed or self.clock.now().date() != self.today:
            self.reload()
            self.fill_markers()
            self.report_unreadable()

    def report(self, error: FollowupError) -> None:
        self.notify(str(error), title="followup", severity="error", timeout=8, markup=False)

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn a store error into a notification; the dashboard keeps running."""
        try:
            yield
        except FollowupError as error:
            self.report(error)

    def change(self, label: str, uid: str, write: Callable[[], Any]) -> Any:
        """Snapshot contact `uid`, run `write`, remember how to undo it, redraw."""
        result = None
        known = self.histories.pop(uid, None)  # put back once the write went through
        with self.guard():
            before = self.store.contact(uid)
            result = write()
            if known is not None:
                self.histories[uid] = known
            touch_uid = None
            if isinstance(result, Touch):
                touch_uid = result.uid
                day = result.at.date()
                self.days[day] = self.days.get(day, 0) + 1
                self.logged_days[touch_uid] = day
                self._history_changed(uid, added=result)
            self.undo_stack.push(Change(label, uid, before, touch_uid))
            self.notify(label, timeout=3, markup=False)
        self.update_contact(uid, keep=uid)
        if isinstance(result, Touch):
            self.refresh_marker(uid)
        return result

    # -- check_action --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CONTACT_ACTIONS:
            contact = self.current_contact
            if contact is None:
                return False
            if action == "warm_up" and contact.heat == "hot":
                return None
            if action == "cool_down" and contact.heat == "cool":
                return None
        elif action == "undo":
            return True if self.undo_stack else None
        elif action == "demo":
            return not self.contacts
        elif action in ("filter", "today_only"):
            return bool(self.contacts) or bool(self.filter_text) or self.today_only
        elif action == "clear_filter":
            field = self.filter_field
            return bool(self.filter_text) or (field is not None and field.display)
        return True

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, HeatColumn):
            self.column_index = self.columns.index(event.widget)
        self.refresh_keys()

    # -- moving --------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.current_column.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.current_column.action_cursor_up()

    def action_column(self, step: int) -> None:
        self.focus_column(self.column_index + step)

    # -- contact actions -----------------------------------------------------------

    @on(HeatColumn.Opened)
    def _opened(self, event: HeatColumn.Opened) -> None:
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.contact import ContactScreen

        contact = self.current_contact
        if contact is None:
            return
        with self.guard():
            touches = self.history(contact.uid)
            screen = ContactScreen(
                contact,
                touches,
                nudges_for(contact, touches, self.store.settings, self.today),
                summarize(touches),
                self.today,
            )
            self.app.push_screen(screen, self._after_contact_screen)

    def _after_contact_screen(self, choice: str | None) -> None:
        actions = {
            "log": self.action_log_touch,
            "next": self.action_next_step,
            "drop": self.action_drop,
            "edit": self.action_edit,
            "snooze": self.action_snooze,
        }
        if choice in actions:
            actions[choice]()

    def action_log_touch(self) -> None:
        from tui.modals.log_touch import LogTouchModal

        contact = self.current_contact
        if contact is None:
            return
        with self.guard():
            settings = self.store.settings
            modal = LogTouchModal(
                contact,
                self.history(contact.uid),
                today=self.today,
                suggested=suggest_next_due(contact, settings, self.today),
                day_first=settings.day_first,
            )
            self.app.push_screen(modal, partial(self._logged, contact))

    def _logged(self, contact: Contact, entry: TouchEntry | None) -> None:
        if entry is None:
            return
        touch = Touch(
            contact_uid=contact.uid,
            at=self.clock.now(),
            channel=entry.channel,
            outcome=entry.outcome,
            direction=entry.direction,
            note=entry.note,
        )
        label = f"Logged {entry.channel} ({entry.outcome}) with {clean(contact.name)}"
        self.change(
            label,
            contact.uid,
            lambda: self.store.log_touch(touch, next_step=entry.next_step, next_due=entry.next_due),
        )

    def _next_step_modal(self, contact: Contact, *, snooze: bool) -> NextStepModal:
        from tui.modals.next_step import NextStepModal

        settings = self.store.settings
        return NextStepModal(
            contact,
            self.history(contact.uid),
            today=self.today,
            suggested=suggest_next_due(contact, settings, self.today),
            day_first=settings.day_first,
            snooze=snooze,
        )

    def action_next_step(self) -> None:
        contact = self.current_contact
        if contact is None:
            return
        with self.guard():
            modal = self._next_step_modal(contact, snooze=False)
            self.app.push_screen(modal, partial(self._next_set, contact))

    def _next_set(self, contact: Contact, result: NextStep | None) -> None:
        if result is None:
            return
        self.change(
            f"Next step for {clean(contact.name)} set",
            contact.uid,
            lambda: self.store.update(
                contact.uid, next_step=result.next_step, next_due=result.next_due
            ),
        )

    def action_snooze(self) -> None:
        contact = self.current_contact
        if contact is None:
            return
        with self.guard():
            modal = self._next_step_modal(contact, snooze=True)
            self.app.push_screen(modal, partial(self._snoozed, contact))

    def _snoozed(self, contact: Contact, result: NextStep | None) -> None:
        if result is None or result.next_due is None:
            return
        when = result.next_due.strftime("%a %-d %b")
        self.change(
            f"Snoozed {clean(contact.name)} until {when}",
            contact.uid,
            lambda: self.store.update(contact.uid, next_due=result.next_due),
        )

    def action_drop(self) -> None:
        from tui.modals.drop import DropModal

        contact = self.current_contact
        if contact is None:
            return
        with self.guard():
            summary = summarize(self.history(contact.uid))
            self.app.push_screen(DropModal(contact, summary), partial(self._dropped, contact))

    def _dropped(self, contact: Contact, choice: str | None) -> None:
        name = clean(contact.name)
        if choice == "stop":
            summary = summarize(self.history(contact.uid))
            reason = (
                f"{summary.unanswered_run} unanswered in a row"
                if summary.unanswered_run
                else "stopped following up"
            )
            self.change(
                f"Stopped following up {name} (in the archive: A)",
                contact.uid,
                lambda: self.store.update(
                    contact.uid, status="dropped", dropped_on=self.today, drop_reason=reason
                ),
            )
        elif choice == "cool":
            self.change(
                f"{name} cooled down",
                contact.uid,
                lambda: self.store.update(contact.uid, heat="cool"),
            )

    def action_warm_up(self) -> None:
        self._move(-1)

    def action_cool_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        contact = self.current_contact
        if contact is None:
            return
        index = HEATS.index(contact.heat) + step
        if not 0 <= index < len(HEATS):
            return
        heat: Heat = HEATS[index]
        self.change(
            f"{clean(contact.name)} moved to {heat}",
            contact.uid,
            lambda: self.store.update(contact.uid, heat=heat),
        )

    def action_add(self) -> None:
        from tui.modals.contact_form import ContactFormModal

        modal = ContactFormModal(None, self.today, self.store.settings.day_first)
        self.app.push_screen(modal, self._added)

    def _added(self, fields: dict[str, Any] | None) -> None:
        if not fields:
            return
        with self.guard():
            now = self.clock.now()
            fields = dict(fields)
            fields.setdefault("next_due", first_due(self.today))
            contact = self.store.add_contact(Contact(created_at=now, updated_at=now, **fields))
            self.undo_stack.push(Change(f"Added {clean(contact.name)}", contact.uid, None))
            self.notify(f"Added {clean(contact.name)}", timeout=3, markup=False)
            self.update_contact(contact.uid, keep=contact.uid)
            self._follow(contact.uid)
            self.focus_column(self.column_index)

    def action_edit(self) -> None:
        from tui.modals.contact_form import ContactFormModal

        contact = self.current_contact
        if contact is None:
            return
        modal = ContactFormModal(contact, self.today, self.store.settings.day_first)
        self.app.push_screen(modal, partial(self._edited, contact))

    def _edited(self, contact: Contact, changes: dict[str, Any] | None) -> None:
        if not changes:
            return
        self.change(
            f"Saved {clean(changes.get('name', contact.name))}",
            contact.uid,
            lambda: self.store.update(contact.uid, **changes),
        )

    # -- views ---------------------------------------------------------------------

    @property
    def filter_field(self) -> Input | None:
        """The filter line, mounted the first time / is pressed (not before the first paint)."""
        from textual.widgets import Input

        found = self.query("#filter").results(Input)
        return next(found, None)

    async def action_filter(self) -> None:
        from textual.widgets import Input

        field = self.filter_field
        if field is None:
            field = Input(placeholder="filter: name or company (esc clears)", id="filter")
            await self.mount(field, before=self.query_one(KeyFooter))
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.filter_text = event.value
            self.render_contacts()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        if not self.filter_text.strip():
            event.input.display = False
        self.focus_column(self._column_with_rows())

    def _column_with_rows(self) -> int:
        if self.current_column.rows:
            return self.column_index
        return self._first_column_with_rows()

    def action_clear_filter(self) -> None:
        self.filter_text = ""
        field = self.filter_field
        if field is not None:
            with field.prevent(field.Changed):
                field.value = ""
            field.display = False
        self.render_contacts()
        self.focus_column(self._column_with_rows())

    def action_today_only(self) -> None:
        self.today_only = not self.today_only
        self.render_contacts()
        if not self.current_column.rows:
            self.focus_column(self._first_column_with_rows())

    def action_undo(self) -> None:
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo", timeout=2, markup=False)
            return
        known = self.histories.pop(change.uid, None)  # put back once the write went through
        with self.guard():
            revert(self.store, change)
            self.notify(f"Undone: {change.label}", timeout=3, markup=False)
            if known is not None:
                self.histories[change.uid] = known
            if change.touch_uid is not None:
                self._history_changed(change.uid, removed=change.touch_uid)
                day = self.logged_days.pop(change.touch_uid, None)
                if day is None:
                    self.days = dict(self.store.touch_days())
                else:
                    self.days[day] -= 1
        self.update_contact(change.uid, keep=change.uid)
        self.refresh_marker(change.uid)

    def action_archive(self) -> None:
        from tui.screens.archive import ArchiveScreen

        with self.guard():
            self.app.push_screen(ArchiveScreen(self.store.dropped(), self.today), self._restored)

    def _restored(self, uid: str | None) -> None:
        if uid is None:
            return
        with self.guard():
            name = clean(self.store.contact(uid).name)
            self.change(
                f"Restored {name}",
                uid,
                lambda: self.store.update(uid, status="active", dropped_on=None, drop_reason=""),
            )
            self.refresh_marker(uid)

    def action_stats(self) -> None:
        from tui.screens.stats import StatsScreen

        with self.guard():
            with long_lived():
                stats = channel_stats(self.store.touches())
            self.app.push_screen(StatsScreen(stats, self.streak))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.key_help(), self.store.settings.cadence))

    def action_quit(self) -> None:
        self.app.exit()

    def action_demo(self) -> None:
        from store.demo import sample

        with self.guard():
            added = self.store.add_many(*sample(self.clock.now()))
            self.notify(f"Loaded {added} sample contacts", timeout=3, markup=False)
        self.reload()
        self.focus_column(self._first_column_with_rows())
        self.fill_markers()

    # -- keys for help and the command palette -------------------------------------

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) of every binding, for the help screen."""
        rows = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            keys = "/".join(
                self.app.get_key_display(replace(binding, key=key.strip(), key_display=None))
                if len(binding.key.split(",")) > 1
                else self.app.get_key_display(binding)
                for key in binding.key.split(",")
            )
            rows.append((keys, binding.tooltip or binding.description))
        return rows

    def commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) of each binding that can run now, for ctrl+p."""
        found = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            action = binding.action
            name = action.split("(")[0]
            if self.check_action(name, ()) is not True:
                continue
            key = self.app.get_key_display(replace(binding, key=binding.key.split(",")[0]))
            found.append((binding.tooltip or binding.description, f"key: {key}", action))
        return found
