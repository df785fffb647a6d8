"""The dashboard: the streak header, the HOT / WARM / COOL columns and every key.

The screen is given its store and clock. It reads contacts (cheap) for the first
paint; the nudge markers that need the touch history are filled in afterwards, a
chunk at a time, so a key press never waits on 50,000 touches. Every change made
here is snapshotted first, so `u` can revert it. Store errors become notifications.

The screen holds its parts, each given what it uses: the board (tui.dashboard.board,
no Textual: contacts, counts, view, markers, histories, streak), the columns drawing
it (rows), the contact actions and their dialogs' callbacks (actions), the review's
host (review), the marker thread's reader (markers) and the writes that wait for
another process (writes).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import OptionList, Static

if TYPE_CHECKING:
    from textual.widgets import Input

from store.clock import Clock
from store.errors import FollowupError, InputError
from store.model import Contact, Settings, Touch
from store.stats import channel_stats
from store.store import Store
from store.text import clean
from tui.dashboard import keys
from tui.dashboard.actions import ContactActions
from tui.dashboard.board import Board, marker_for
from tui.dashboard.detail import detail_text
from tui.dashboard.markers import MarkerReader, MarkersRead
from tui.dashboard.review import DashboardReview
from tui.dashboard.rows import FIRST_ROWS, Columns, long_lived
from tui.dashboard.undo import Change, UndoStack, revert
from tui.dashboard.writes import ThreadWrites

if TYPE_CHECKING:
    from store.store import FieldWrite, OnConflict

    # A write of only the fields a change means: given the store to write with and what
    # to do on a conflict, returns the touch it logged (if any) and what it wrote.
    Write = Callable[[Store, OnConflict], tuple[Touch | None, FieldWrite]]
from widgets.heat_column import HeatColumn, Row
from widgets.key_footer import KeyFooter
from widgets.streak_header import StreakHeader

POLL_SECONDS = 1.0

EMPTY_TEXT = """\
No contacts yet.

Press  a  to add your first contact,
or  D  to load sample contacts (the same as `followup demo`).

Press  ?  for help,  q  to quit."""


@dataclass(frozen=True)
class SampleChange(Change):
    """Loading the sample contacts: undone by taking back the untouched ones."""

    contact_uids: tuple[str, ...] = ()
    touch_uids: tuple[str, ...] = ()


class DashboardScreen(Screen[None]):
    BINDINGS = [*keys.BINDINGS]

    def __init__(
        self, store: Store, clock: Clock, *, emoji: bool | None = None, review: bool = False
    ) -> None:
        super().__init__()
        self.start_in_review = review
        self.store = store
        self.clock = clock
        self.emoji = emoji
        self.board = Board(clock.now().date())
        self.columns = Columns(self.board)
        self.actions = ContactActions(self)
        self.review = DashboardReview(self)
        self.markers = MarkerReader(store.path, clock)
        self.writes = ThreadWrites(self, store.path, clock)
        self.undo_stack = UndoStack()
        self._last_error = ""
        self._reported_problems: list[str] = []
        self._key_state: tuple[bool | None, ...] = ()

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StreakHeader(emoji=self.emoji, id="header")
        with Horizontal(id="columns"):
            yield from self.columns.all
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
        self.board.load(head.contacts, self.store.touch_days())
        self.render_contacts(counts=(head.per_heat, head.due_today, head.overdue))

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

    # -- what the dashboard shows ------------------------------------------------------

    @property
    def today(self) -> date:
        return self.board.today

    @property
    def current_contact(self) -> Contact | None:
        if self.review.screen is not None:  # the review's card, not the highlight
            return self.board.contacts.get(self.review.target or "")
        uid = self.columns.current_uid
        return self.board.contacts.get(uid) if uid is not None else None

    def focus_column(self, index: int) -> None:
        self.columns.focus(index)

    def _first_column_with_rows(self) -> int:
        return self.columns.first_with_rows()

    def reload(self, keep: str | None = None) -> None:
        """Redraw everything from the store; keep the highlight on `keep` (or as it was)."""
        with self.guard(), long_lived():
            self.board.load(self.store.contacts(), self.store.touch_days())
            self.render_contacts(keep)

    def render_contacts(
        self, keep: str | None = None, *, counts: tuple[dict[str, int], int, int] | None = None
    ) -> None:
        """Fill the columns and the header from the board (with `counts`: only the
        first rows of each column are known; the counts are of all contacts)."""
        board = self.board
        keep = keep if keep is not None else self.columns.current_uid
        ordered = board.columns(self.clock.now().date(), self.store.settings, counts=counts)
        today = board.today
        rows = {
            heat: [Row.from_contact(c, today, board.marker(c)) for c in members]
            for heat, members in ordered.items()
        }
        self.columns.draw(rows, keep=keep, first_paint=counts is not None)
        self._show_header()
        if keep is not None:
            self.columns.follow(keep)
        self.refresh_keys()

    def update_contact(self, uid: str, keep: str | None = None) -> None:
        """Redraw after a change this dashboard made to one contact: read only that
        contact, move or redraw only its row, and the header."""
        with self.guard():
            stored = self._stored(uid)
            if self.board.is_new_day(self.clock.now().date()):  # every due state moved
                self.board.apply(uid, stored)
                self.render_contacts(keep)
                return
            self.columns.move(self.board.apply(uid, stored), self.store.settings)
            self._show_header()
            if keep is not None:
                self.columns.follow(keep)
            self.refresh_keys()

    def _stored(self, uid: str) -> Contact | None:
        try:
            return self.store.contact(uid)
        except InputError:  # taken back (undo of an add)
            return None

    def apply_external(self, uids: set[str]) -> None:
        """Redraw after another process changed these contacts (or their touches): only
        their rows, their markers (by the marker thread) and the header."""
        self.board.forget(uids)
        for uid in uids:
            if uid in self.board.contacts or self._stored(uid) is not None:
                self.update_contact(uid)
        with self.guard():
            self.board.days = dict(self.store.touch_days())
        self._show_header()

    def _show_header(self) -> None:
        board = self.board
        streak = board.streak_now(self.store.settings.rest_days)
        header = self.query_one(StreakHeader)
        header.note = board.view_note()
        header.show(streak, board.due_counts["today"], board.due_counts["overdue"])
        empty = not board.contacts
        self.query_one("#columns").display = not empty
        self.query_one("#empty").display = empty

    def history(self, uid: str) -> list[Touch]:
        """One contact's touches, newest first: from the histories the thread read, else
        from the store (which reads all 50,000 touches the first time, then scans them)."""
        known = self.board.histories.get(uid)
        if known is not None:
            return list(known)
        with long_lived():
            return self.store.touches(uid)

    @work(thread=True, group="markers")
    def fill_markers(self) -> None:
        """Compute the rows' markers from their histories, in a thread (MarkerReader),
        after the first paint (every row) and after each change on disk (only the
        contacts it changed)."""
        self.board.fresh_markers.clear()

        def deliver(read: MarkersRead) -> None:
            with contextlib.suppress(RuntimeError):  # the app has closed
                self.app.call_from_thread(self._apply_markers, read)

        self.markers.read(self.board.today, deliver)

    def _apply_markers(self, read: MarkersRead) -> None:
        with long_lived():
            markers = self.board.apply_markers(read.markers, read.histories, read.uids)
            if read.uids is not None:
                for uid, marker in markers.items():
                    self.columns.mark(uid, marker)
                return
            self.columns.mark_all(markers)
        self.show_detail()

    def refresh_marker(self, uid: str) -> None:
        contact = self.board.contacts.get(uid)
        if contact is None:
            self.board.set_marker(uid, None)
            return
        with self.guard():
            marker = marker_for(contact, self.history(uid), self.store.settings, self.board.today)
            self.board.set_marker(uid, marker)
            self.columns.mark(uid, marker)

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
        new_day = self.board.is_new_day(self.clock.now().date())
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

    # -- writes ----------------------------------------------------------------------

    def fields_write(
        self, shown: Contact, values: dict[str, Any], touch: Touch | None = None
    ) -> Write:
        return self.actions.fields_write(shown, values, touch)

    def change(self, label: str, uid: str, write: Write, on_conflict: OnConflict = "stop") -> None:
        """Run `write` (only the fields it means to change, decided in the store's lock),
        remember what it wrote so `u` can revert it, redraw. When a field it saves was
        changed elsewhere since its dialog opened, ask first (ConflictModal).

        While another followup process holds the lock, the write waits in a thread
        (keys stay live, a note says so); otherwise it runs at once."""
        if self.store.lock_busy():
            self.writes.write(label, uid, write, on_conflict)
            return
        histories = self.board.histories
        known = histories.pop(uid, None)  # put back once the write went through
        column = self.columns.current
        # The highlight stays where it was (on the next contact), not chasing this one.
        position = column.highlighted if column.highlighted_uid == uid else None
        with self.guard():
            touch, result = write(self.store, on_conflict)
            if known is not None:
                self.board.histories[uid] = known
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
            self.board.touch_logged(uid, touch)
        if touch is not None or result.written:
            self.undo_stack.push(Change(label, uid, dict(result.written), touch_uid))
            self.notify(label, timeout=3, markup=False)
        else:
            self.notify("Nothing to change", timeout=3, markup=False)
        if touch is not None:
            self.call_later(self.refresh_marker, uid)
        before = replace(result.contact, **{f: old for f, (old, _) in result.written.items()})
        self.review.written(before, result.contact, logged=touch is not None)

    def _redraw_written(self, uid: str, column: HeatColumn, position: int | None) -> None:
        """Redraw contact `uid` after a write. The highlight stays where it was (now on
        the next contact) rather than chase this one, unless it moved to another column."""
        before = self.board.contacts.get(uid)
        if position is None:
            self.update_contact(uid, keep=uid)
            return
        self.update_contact(uid)
        after = self.board.contacts.get(uid)
        if after is not None and before is not None and after.heat != before.heat:
            self.columns.follow(uid)
        else:
            self.columns.stay_at(column, position)

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

    # -- writes that wait for another process (ThreadWrites) ---------------------------

    def on_unmount(self) -> None:
        """A write still waiting for the lock is not lost when the dashboard closes: it
        finishes first (or fails with the lock's timeout, as any write does)."""
        self.writes.wait(timeout=self.store.lock_timeout + 5)

    def waiting_note(self) -> None:
        self.board.waiting += 1
        self.notify(
            "Waiting for another followup process to finish writing; keys still work",
            title="followup",
            severity="warning",
            timeout=4,
            markup=False,
        )
        self.query_one(StreakHeader).note = self.board.view_note()

    def _waited(self) -> None:
        self.board.waiting -= 1
        self.query_one(StreakHeader).note = self.board.view_note()

    def thread_written(
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
        self.board.histories.pop(uid, None)
        self.refresh_from_disk()
        self._written(label, uid, write, on_conflict, *outcome)
        self.update_contact(uid, keep=uid)

    def thread_reverted(self, change: Change, outcome: list[str] | FollowupError) -> None:
        self._waited()
        if isinstance(outcome, FollowupError):
            self.report(outcome)
            return
        self.board.histories.pop(change.uid, None)
        self.refresh_from_disk()
        self._undone(change, outcome)
        self.update_contact(change.uid, keep=change.uid)
        self.refresh_marker(change.uid)

    # -- check_action --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        board = self.board
        if action in keys.CONTACT_ACTIONS:
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
            return not board.contacts
        elif action in ("filter", "today_only"):
            return bool(board.contacts) or bool(board.filter_text) or board.today_only
        elif action == "clear_filter":
            field = self.filter_field
            return bool(board.filter_text) or (field is not None and field.display)
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
        return list(keys.BINDINGS)

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, HeatColumn):
            self.columns.focused(event.widget)
        self.refresh_keys()

    # -- moving --------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.columns.current.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.columns.current.action_cursor_up()

    def action_column(self, step: int) -> None:
        self.focus_column(self.columns.index + step)

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
        contact = self.current_contact if self.review.screen is None else None
        if contact is None:
            widget.update("")
            return
        known = self.board.histories.get(contact.uid)
        widget.update(detail_text(contact, known[0] if known else None, self.board.today, known))

    @on(HeatColumn.Opened)
    def _opened(self, event: HeatColumn.Opened) -> None:
        self.action_open()

    # -- contact actions (ContactActions) --------------------------------------------

    def action_open(self) -> None:
        self.actions.action_open()

    def action_log_touch(self) -> None:
        self.actions.action_log_touch()

    def action_next_step(self) -> None:
        self.actions.action_next_step()

    def action_snooze(self) -> None:
        self.actions.action_snooze()

    def action_drop(self) -> None:
        self.actions.action_drop()

    def action_warm_up(self) -> None:
        self.actions.action_warm_up()

    def action_cool_down(self) -> None:
        self.actions.action_cool_down()

    def action_add(self) -> None:
        self.actions.action_add()

    def action_edit(self) -> None:
        self.actions.action_edit()

    def action_review(self) -> None:
        self.review.start()

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
            self.board.filter_text = event.value
            self.render_contacts()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        if not self.board.filter_text.strip():
            event.input.display = False
        self.focus_column(self.columns.with_rows())

    def action_clear_filter(self) -> None:
        self.board.filter_text = ""
        field = self.filter_field
        if field is not None:
            with field.prevent(field.Changed):
                field.value = ""
            field.display = False
        self.render_contacts()
        self.focus_column(self.columns.with_rows())

    def action_today_only(self) -> None:
        self.board.today_only = not self.board.today_only
        self.render_contacts()
        if not self.columns.current.rows:
            self.focus_column(self._first_column_with_rows())

    # -- undo ------------------------------------------------------------------------

    def action_undo(self) -> None:
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo", timeout=2, markup=False)
            return
        if isinstance(change, SampleChange):
            self._undo_samples(change)
            return
        if self.store.lock_busy():
            self.writes.revert(change)
            return
        known = self.board.histories.pop(change.uid, None)  # put back once it went through
        with self.guard():
            kept = revert(self.store, change)
            if known is not None:
                self.board.histories[change.uid] = known
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
            if change.touch_uid is not None and not self.board.touch_undone(
                change.uid, change.touch_uid
            ):
                self.board.days = dict(self.store.touch_days())

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

    # -- other screens -----------------------------------------------------------------

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
                self.fields_write(
                    shown, {"status": "active", "dropped_on": None, "drop_reason": ""}
                ),
            )
            self.refresh_marker(uid)

    def action_stats(self) -> None:
        from tui.screens.stats import StatsScreen

        with self.guard():
            with long_lived():
                stats = channel_stats(self.store.touches())
            self.app.push_screen(StatsScreen(stats, self.board.streak))

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
        return keys.key_help(self.app)

    def commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) of each binding that can run now, for ctrl+p."""
        return keys.commands(self.app, lambda name: self.check_action(name, ()))
