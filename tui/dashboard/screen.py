"""The dashboard: the streak header, the HOT / WARM / COOL columns and every key.

The screen is given its store and clock. It reads contacts (cheap) for the first
paint; the nudge markers that need the touch history are filled in afterwards, a
chunk at a time, so a key press never waits on 50,000 touches. Every change made
here is snapshotted first, so `u` can revert it. Store errors become notifications.

Reading the store into rows and markers is in `rows`, the contact actions and
their dialogs' callbacks in `actions`: mixins of this screen.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import OptionList, Static

if TYPE_CHECKING:
    from textual.widgets import Input

from store import actions
from store.clock import Clock
from store.errors import FollowupError
from store.model import HEATS, Contact, Settings, Touch
from store.stats import channel_stats
from store.store import Store
from store.streak import Streak
from store.text import clean
from tui.dashboard.actions import ContactActionsMixin
from tui.dashboard.detail import detail_text
from tui.dashboard.review import ReviewHostMixin
from tui.dashboard.rows import FIRST_ROWS, RowsMixin, long_lived
from tui.dashboard.undo import Change, UndoStack, revert

if TYPE_CHECKING:
    from store.store import FieldWrite, OnConflict

    # A write of only the fields a change means: given the store to write with and what
    # to do on a conflict, returns the touch it logged (if any) and what it wrote.
    Write = Callable[[Store, OnConflict], tuple[Touch | None, FieldWrite]]
from widgets.heat_column import HeatColumn
from widgets.key_footer import KeyFooter
from widgets.streak_header import StreakHeader

POLL_SECONDS = 1.0

EMPTY_TEXT = """\
No contacts yet.

Press  a  to add your first contact,
or  D  to load sample contacts (the same as `followup demo`).

Press  ?  for help,  q  to quit."""

# Actions that need a highlighted contact.
CONTACT_ACTIONS = frozenset(
    {"open", "log_touch", "next_step", "snooze", "drop", "edit", "warm_up", "cool_down"}
)


@dataclass(frozen=True)
class SampleChange(Change):
    """Loading the sample contacts: undone by taking back the untouched ones."""

    contact_uids: tuple[str, ...] = ()
    touch_uids: tuple[str, ...] = ()


class DashboardScreen(RowsMixin, ContactActionsMixin, ReviewHostMixin, Screen[None]):
    BINDINGS = [
        Binding("t", "log_touch", "Log", id="log_touch", tooltip="Log a touch"),
        Binding("n", "next_step", "Next", id="next_step", tooltip="Set the next step"),
        Binding("s", "snooze", "Snooze", id="snooze", tooltip="Move the next date"),
        Binding("d", "drop", "Drop", id="drop", tooltip="Stop following up (asks first)"),
        Binding("a", "add", "Add", id="add", tooltip="Add a contact"),
        Binding("e", "edit", "Edit", show=False, id="edit", tooltip="Edit the contact"),
        Binding("slash", "filter", "Filter", key_display="/", id="filter"),
        Binding("T", "today_only", "Today", show=False, id="today_only",
                tooltip="Today-only view"),
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
        Binding("comma", "settings", "Settings", key_display=",", show=False, id="settings",
                tooltip="Settings: cadence, rest days, high value, date order, daily target"),
        Binding("R", "review", "Review", show=False, id="review",
                tooltip="Review: the morning queue, one contact at a time"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
        Binding("j,down", "cursor_down", "Down", show=False, id="down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="up"),
        Binding("h,left", "column(-1)", "Column left", show=False, id="left"),
        Binding("l,right", "column(1)", "Column right", show=False, id="right"),
        Binding("tab", "column(1)", "Next column", show=False, id="next_column"),
        Binding("shift+tab", "column(-1)", "Previous column", show=False, id="previous_column"),
    ]  # fmt: skip

    def __init__(
        self, store: Store, clock: Clock, *, emoji: bool | None = None, review: bool = False
    ) -> None:
        super().__init__()
        self.start_in_review = review
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
        self._generation = 0  # of the contacts read
        self._reader: Store | None = None  # the marker thread's own Store
        self._reader_lock = threading.Lock()
        self._writer: Store | None = None  # the write threads' own Store
        self._writer_lock = threading.Lock()
        self.waiting = 0  # writes waiting in a thread for another process's lock
        self._threads_writing = 0  # the same, counted by the threads (under the condition)
        self._writes_done = threading.Condition()
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
        yield Static("", id="detail", markup=False)
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
        if self.start_in_review:
            self.start_in_review = False
            self.action_review()

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
        if self.review_screen is not None:  # the review's card, not the highlight
            return self.contacts.get(self.review_target or "")
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

    # -- live updates and errors ---------------------------------------------------

    def poll(self) -> None:
        """Pick up changes other processes made (and a new day)."""
        self.refresh_from_disk()

    def refresh_from_disk(self) -> None:
        """Read what other processes changed and redraw what it touched."""
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
        new_day = self.clock.now().date() != self.today
        if changed and not new_day and self.store.changed is not None:
            self.apply_external(self.store.changed)  # only what changed
            self.fill_markers()
            self.report_unreadable()
        elif changed or new_day:
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

    def change(self, label: str, uid: str, write: Write, on_conflict: OnConflict = "stop") -> None:
        """Run `write` (only the fields it means to change, decided in the store's lock),
        remember what it wrote so `u` can revert it, redraw. When a field it saves was
        changed elsewhere since its dialog opened, ask first (ConflictModal).

        While another followup process holds the lock, the write waits in a thread
        (keys stay live, a note says so); otherwise it runs at once."""
        if self.store.lock_busy():
            self._in_thread(partial(self._write_in_thread, label, uid, write, on_conflict))
            return
        known = self.histories.pop(uid, None)  # put back once the write went through
        column = self.current_column
        # The highlight stays where it was (on the next contact), not chasing this one.
        position = column.highlighted if column.highlighted_uid == uid else None
        with self.guard():
            touch, result = write(self.store, on_conflict)
            if known is not None:
                self.histories[uid] = known
            self._written(label, uid, write, on_conflict, touch, result)
        self._redraw_written(uid, column, position)

    def _written(
        self,
        label: str,
        uid: str,
        write: Write,
        on_conflict: OnConflict,
        touch: Touch | None,
        result: FieldWrite,
    ) -> None:
        if result.conflicts and on_conflict == "stop":
            self._ask_conflict(label, uid, write, result.conflicts)
            return
        touch_uid = None
        if touch is not None:
            touch_uid = touch.uid
            day = touch.at.date()
            self.days[day] = self.days.get(day, 0) + 1
            self.logged_days[touch_uid] = day
            self._history_changed(uid, added=touch)
        if touch is not None or result.written:
            self.undo_stack.push(Change(label, uid, dict(result.written), touch_uid))
            self.notify(label, timeout=3, markup=False)
        else:
            self.notify("Nothing to change", timeout=3, markup=False)
        if touch is not None:
            self.call_later(self.refresh_marker, uid)
        before = replace(result.contact, **{f: old for f, (old, _) in result.written.items()})
        self.review_written(before, result.contact, logged=touch is not None)

    def _redraw_written(self, uid: str, column: HeatColumn, position: int | None) -> None:
        """Redraw contact `uid` after a write. The highlight stays where it was (now on
        the next contact) rather than chase this one, unless it moved to another column."""
        before = self.contacts.get(uid)
        if position is None:
            self.update_contact(uid, keep=uid)
            return
        self.update_contact(uid)
        after = self.contacts.get(uid)
        if after is not None and before is not None and after.heat != before.heat:
            self._follow(uid)
        else:
            self.stay_at(column, position)

    # -- writes that wait for another process ----------------------------------------

    def _in_thread(self, job: Callable[[], None]) -> None:
        """Run a write in a thread, and say it is waiting for another process."""
        with self._writes_done:
            self._threads_writing += 1

        def run() -> None:
            try:
                job()
            finally:
                with self._writes_done:
                    self._threads_writing -= 1
                    self._writes_done.notify_all()

        self._waiting_note()
        self.run_worker(run, thread=True, group="writes")

    def on_unmount(self) -> None:
        """A write still waiting for the lock is not lost when the dashboard closes: it
        finishes first (or fails with the lock's timeout, as any write does)."""
        with self._writes_done:
            self._writes_done.wait_for(
                lambda: self._threads_writing == 0, timeout=self.store.lock_timeout + 5
            )

    def _waiting_note(self) -> None:
        self.waiting += 1
        self.notify(
            "Waiting for another followup process to finish writing; keys still work",
            title="followup",
            severity="warning",
            timeout=4,
            markup=False,
        )
        self.query_one(StreakHeader).note = self._view_note()

    def _writer_store(self) -> Store:
        """The Store the write threads use (a Store is not shared across threads)."""
        if self._writer is None:
            self._writer = Store(self.store.path, clock=self.clock)
        return self._writer

    def _write_in_thread(self, label: str, uid: str, write: Write, on_conflict: OnConflict) -> None:
        outcome: tuple[Touch | None, FieldWrite] | FollowupError
        with self._writer_lock:
            try:
                outcome = write(self._writer_store(), on_conflict)
            except FollowupError as error:
                outcome = error
        with contextlib.suppress(RuntimeError):  # the app has closed
            self.app.call_from_thread(self._thread_written, label, uid, write, on_conflict, outcome)

    def _thread_written(
        self,
        label: str,
        uid: str,
        write: Write,
        on_conflict: OnConflict,
        outcome: tuple[Touch | None, FieldWrite] | FollowupError,
    ) -> None:
        self._waited()
        if isinstance(outcome, FollowupError):
            self.report(outcome)
            return
        self.histories.pop(uid, None)
        self.refresh_from_disk()
        self._written(label, uid, write, on_conflict, *outcome)
        self.update_contact(uid, keep=uid)

    def _waited(self) -> None:
        self.waiting -= 1
        self.query_one(StreakHeader).note = self._view_note()

    def _revert_in_thread(self, change: Change) -> None:
        outcome: list[str] | FollowupError
        with self._writer_lock:
            try:
                outcome = revert(self._writer_store(), change)
            except FollowupError as error:
                outcome = error
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self._thread_reverted, change, outcome)

    def _thread_reverted(self, change: Change, outcome: list[str] | FollowupError) -> None:
        self._waited()
        if isinstance(outcome, FollowupError):
            self.report(outcome)
            return
        self.histories.pop(change.uid, None)
        self.refresh_from_disk()
        self._undone(change, outcome)
        self.update_contact(change.uid, keep=change.uid)
        self.refresh_marker(change.uid)

    def _ask_conflict(
        self, label: str, uid: str, write: Write, conflicts: dict[str, tuple[Any, Any]]
    ) -> None:
        from tui.modals.conflict import ConflictModal

        def chosen(choice: str | None) -> None:
            if choice in ("overwrite", "keep"):
                self.change(label, uid, write, "overwrite" if choice == "overwrite" else "keep")
            else:
                self.notify("Nothing was saved", timeout=3, markup=False)

        self.app.push_screen(ConflictModal(f"Not saved yet: {label}", conflicts), chosen)

    def stay_at(self, column: HeatColumn, position: int) -> None:
        """Highlight row `position` of `column` (or its last); an emptied column hands
        the focus to the first column with rows."""
        if not column.rows:
            if column is self.current_column:
                self.focus_column(self._first_column_with_rows())
            return
        column.highlighted = min(position, len(column.rows) - 1)

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

    def refresh_keys(self) -> None:
        """Refresh the footer only when what check_action allows has changed (the
        footer rebuilds itself on every refresh)."""
        self.show_detail()
        state = tuple(self.check_action(b.action.split("(")[0], ()) for b in self.key_bindings)
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    @property
    def key_bindings(self) -> list[Binding]:
        return [b for b in self.BINDINGS if isinstance(b, Binding)]

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

    # -- contact actions (in ContactActionsMixin; an @on handler must be on the Screen)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The line under the columns: the highlighted contact's full next step, goal
        and last touch (once the histories are read)."""
        detail = self.query("#detail").results(Static)
        widget = next(detail, None)
        if widget is None:
            return
        contact = self.current_contact if self.review_screen is None else None
        if contact is None:
            widget.update("")
            return
        known = self.histories.get(contact.uid)
        widget.update(detail_text(contact, known[0] if known else None, self.today, known))

    @on(HeatColumn.Opened)
    def _opened(self, event: HeatColumn.Opened) -> None:
        self.action_open()

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
        if isinstance(change, SampleChange):
            self._undo_samples(change)
            return
        if self.store.lock_busy():
            self._in_thread(partial(self._revert_in_thread, change))
            return
        known = self.histories.pop(change.uid, None)  # put back once the write went through
        with self.guard():
            kept = revert(self.store, change)
            if known is not None:
                self.histories[change.uid] = known
            self._undone(change, kept)
        self.update_contact(change.uid, keep=change.uid)
        self.refresh_marker(change.uid)

    def _undone(self, change: Change, kept: list[str]) -> None:
        with self.guard():
            if kept:
                self.notify(
                    f"Undone: {change.label}, except {', '.join(kept)} "
                    "(changed elsewhere since; left as it is)",
                    timeout=6,
                    severity="warning",
                    markup=False,
                )
            else:
                self.notify(f"Undone: {change.label}", timeout=3, markup=False)
            if change.touch_uid is not None:
                self._history_changed(change.uid, removed=change.touch_uid)
                day = self.logged_days.pop(change.touch_uid, None)
                if day is None:
                    self.days = dict(self.store.touch_days())
                else:
                    self.days[day] -= 1

    def _undo_samples(self, change: SampleChange) -> None:
        from store.demo import remove_samples

        with self.guard():
            removed = remove_samples(self.store, change.contact_uids, change.touch_uids)
            kept = len(change.contact_uids) - removed
            note = f" ({kept} you changed are kept)" if kept else ""
            self.notify(f"Undone: removed {removed} sample contacts{note}", timeout=4, markup=False)
        self.reload()
        self.focus_column(self._first_column_with_rows())
        self.fill_markers()

    def action_archive(self) -> None:
        from tui.screens.archive import ArchiveScreen

        with self.guard():
            self.app.push_screen(ArchiveScreen(self.store.dropped(), self.today), self._restored)

    def _restored(self, uid: str | None) -> None:
        if uid is None:
            return
        with self.guard():
            shown = self.store.contact(uid)
            self.change(
                f"Restored {clean(shown.name)}",
                uid,
                lambda store, on_conflict: actions.restore(
                    store, shown, expect=True, on_conflict=on_conflict
                ),
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

        settings = self.store.settings
        self.app.push_screen(HelpScreen(self.key_help(), settings.cadence, settings))

    def action_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        with self.guard():
            self.app.push_screen(SettingsScreen(self.store.settings), self._settings_saved)

    def _settings_saved(self, settings: Settings | None) -> None:
        if settings is None or settings == self.store.settings:
            return
        with self.guard():
            self.store.save_settings(settings)
            self.notify("Settings saved", timeout=3, markup=False)
        self.reload()
        self.fill_markers()

    def action_quit(self) -> None:
        self.app.exit()

    def action_demo(self) -> None:
        from store.demo import sample

        with self.guard():
            contacts, touches = sample(self.clock.now())
            added = self.store.add_many(contacts, touches)
            self.undo_stack.push(
                SampleChange(
                    f"Loaded {added} sample contacts",
                    "",
                    None,
                    contact_uids=tuple(c.uid for c in contacts),
                    touch_uids=tuple(t.uid for t in touches),
                )
            )
            self.notify(
                f"Loaded {added} sample contacts (tagged sample; u takes them back)",
                timeout=4,
                markup=False,
            )
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
            found.append((command_title(binding), f"key: {key}", action))
        return found


def command_title(binding: Binding) -> str:
    """ "Snooze: move the next date": the footer's word first, so typing either finds it."""
    word, about = binding.description, binding.tooltip
    if not about or about.casefold() == word.casefold():
        return word
    if about.casefold().startswith(word.casefold()):
        return about
    return f"{word}: {about[0].lower()}{about[1:]}"
