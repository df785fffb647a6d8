"""The dashboard: the streak header, the HOT / WARM / COOL columns and every key.

The screen is given its store and clock. It reads contacts (cheap) for the first
paint; the nudge markers that need the touch history are filled in afterwards, a
chunk at a time, so a key press never waits on 50,000 touches. Every change made
here is remembered, so `u` can revert it. Store errors become notifications.

The screen holds its parts, each given only what it uses, none holding the screen:
the board (tui.dashboard.board, no Textual: contacts, counts, view, markers,
histories, streak), the columns drawing it (rows), the view reading the store into
them (view, with the marker thread's reader), the writes and the undo stack (writes,
undo) and the morning review (review). The parts answer with messages
(`Writes.Written`, `Writes.Undone`, `Writes.Failed`, `BoardView.MarkersReady`) handled
once here, or through the small protocol each defines (`view.Host`, `writes.Host`,
`ReviewHost`), which this screen implements.

Each dialog flow (log, next, snooze, drop, edit, add, open, review, conflict, archive,
settings) is one `@work` method that reads top to bottom: build the dialog, await
`push_screen_wait`, decide the write in store.actions, hand it to the writes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.worker import Worker

from store import actions
from store.clock import Clock
from store.errors import FollowupError, InputError
from store.model import Contact
from store.rules.cadence import suggest_next_due
from store.rules.format import short_day
from store.rules.nudges import nudges_for
from store.rules.stats import channel_stats, summarize
from store.rules.suggest import cadence_date, snooze_date
from store.rules.text import clean
from store.store import Store
from tui.dashboard import keys
from tui.dashboard.board import Board
from tui.dashboard.detail import detail_text
from tui.dashboard.markers import MarkerReader
from tui.dashboard.review import Review
from tui.dashboard.rows import Columns, long_lived
from tui.dashboard.undo import Change, UndoStack
from tui.dashboard.view import UNREAD, BoardView, Unread
from tui.dashboard.writes import Pending, SampleChange, Write, Writes
from widgets.heat_column import HeatColumn
from widgets.key_footer import KeyFooter
from widgets.streak_header import StreakHeader

if TYPE_CHECKING:
    from textual.widgets import Input

    from tui.modals.next_step import NextStepModal

POLL_SECONDS = 1.0
OPENING_SECONDS = 2.0  # the longest the keys wait for a dialog to open

EMPTY_TEXT = """\
No contacts yet.

Press  a  to add your first contact,
or  D  to load sample contacts (the same as `followup demo`).

Press  ?  for help,  q  to quit."""


class DashboardScreen(Screen[None]):
    BINDINGS = [*keys.BINDINGS]

    def __init__(
        self, store: Store, clock: Clock, *, emoji: bool | None = None, review: bool = False
    ) -> None:
        super().__init__()
        self.start_in_review = review
        self.store = store
        self.clock = clock
        self.board = Board(clock.now().date())
        self.columns = Columns(self.board)
        self.undo_stack = UndoStack()
        reader = MarkerReader(store.path, clock)
        self.view = BoardView(store, clock, self.board, self.columns, reader, self)
        self.writes = Writes(store, self)
        self.review = Review(store, self.board, self.view.history, self.start)
        self._key_state: tuple[bool | None, ...] = ()
        self._detail_for: tuple[object, ...] = ()  # what the detail line shows
        self._filter: Input | None = None  # the filter line, once mounted
        # Made here and kept, as the columns are: each change shows the header and the
        # detail line, and a query for them would walk the DOM every time.
        self.header = StreakHeader(emoji=emoji, id="header")
        self.columns_box = Horizontal(*self.columns.all, id="columns")
        self.empty_note = Static(EMPTY_TEXT, id="empty", markup=False)
        self.detail_line = Static("", id="detail", markup=False)

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.columns_box
        yield self.empty_note
        yield self.detail_line
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        with self.guard(), long_lived():
            self.view.first_paint()
        self.columns.focus(self.columns.first_with_rows())
        self.set_interval(POLL_SECONDS, self.poll, name="poll")
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.view.reload()
        self.view.fill_markers()
        self.view.report_unreadable()
        if self.start_in_review:
            self.start_in_review = False
            self.action_review()

    @property
    def today(self) -> date:
        return self.board.today

    @property
    def current_contact(self) -> Contact | None:
        """The highlighted contact (the review's card while the review is open)."""
        if self.review.screen is not None:
            return self.review.card
        uid = self.columns.current_uid
        return self.board.contacts.get(uid) if uid is not None else None

    # -- what the parts ask of the screen (view.Host, writes.Host) -----------------------

    def drawn(self) -> None:
        """The board changed: the header, the empty note, the keys, the detail line."""
        board = self.board
        streak = board.streak_now(self.store.settings.rest_days)
        self.header.note = board.view_note()
        self.header.show(streak, board.due_counts["today"], board.due_counts["overdue"])
        empty = not board.contacts
        self.columns_box.display = not empty
        self.empty_note.display = empty
        self.refresh_keys()

    def report(self, error: FollowupError) -> None:
        self.notify(str(error), title="followup", severity="error", timeout=8, markup=False)

    def warn(self, text: str, timeout: float) -> None:
        self.notify(text, title="followup", severity="warning", timeout=timeout, markup=False)

    def say(self, text: str, timeout: float = 3) -> None:
        self.notify(text, timeout=timeout, markup=False)

    def run_in_thread(self, job: Callable[[], None], group: str) -> object:
        return self.run_worker(job, thread=True, group=group)

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn a store error into a notification; the dashboard keeps running."""
        try:
            yield
        except FollowupError as error:
            self.report(error)

    # -- live updates ----------------------------------------------------------------

    def poll(self) -> None:
        """Pick up changes other processes made (and a new day)."""
        self.view.refresh_from_disk()

    @on(BoardView.MarkersReady)
    def _markers_ready(self, event: BoardView.MarkersReady) -> None:
        self.view.apply_markers(event.read)
        self.show_detail()  # the highlighted contact's last touch, read again

    def on_unmount(self) -> None:
        """A write still waiting for the lock is not lost when the dashboard closes: it
        finishes first (or fails with the lock's timeout, as any write does)."""
        self.writes.wait(timeout=self.store.lock_timeout + 5)

    # -- writes and their outcome ----------------------------------------------------------

    def write(self, label: str, contact: Contact, write: Write) -> None:
        """Hand a change of `contact` to the writes; its outcome comes back as a message."""
        self.writes.change(Pending(label, contact.uid, write))

    @on(Writes.Written)
    def _written(self, event: Writes.Written) -> None:
        pending, result, touch = event.pending, event.result, event.touch
        uid = pending.uid
        if event.waited:
            self._waiting(-1)
            self.board.histories.pop(uid, None)
            self.view.refresh_from_disk()
        if event.conflicts:
            self.resolve_conflict(pending, event.conflicts)
        else:
            if touch is not None:
                self.board.touch_logged(uid, touch)
            if touch is not None or result.written:
                written = dict(result.written)
                self.undo_stack.push(
                    Change(pending.label, uid, written, touch.uid if touch is not None else None)
                )
                self.say(pending.label)
            else:
                self.say("Nothing to change")
            if touch is not None or "status" in result.written:  # a new history or row
                self.call_later(self.view.refresh_marker, uid)
            before = replace(result.contact, **{f: old for f, (old, _) in result.written.items()})
            self.review.written(before, result.contact, logged=touch is not None)
        if event.waited:
            self.view.update_contact(uid, keep=uid)
        else:
            self._redraw_written(uid, result.contact)

    @on(Writes.Failed)
    def _failed(self, event: Writes.Failed) -> None:
        if event.waited:
            self._waiting(-1)
            self.report(event.error)
            return
        uid = event.uid
        self.board.histories.pop(uid, None)  # read again from the store
        self.report(event.error)
        if event.undoing:
            self.view.update_contact(uid, keep=uid)
            self.view.refresh_marker(uid)
        else:
            self._redraw_written(uid, UNREAD)

    def _redraw_written(self, uid: str, stored: Contact | Unread) -> None:
        """Redraw contact `uid` after a write made at once (`stored`: as the write
        returned it; None: read it again). The highlight stays where it was (now on the
        next contact) rather than chase this one, unless it moved to another column."""
        column = self.columns.current
        if column.highlighted_uid != uid:
            self.view.update_contact(uid, keep=uid, stored=stored)
            return
        position = column.highlighted
        before = self.board.contacts.get(uid)
        self.view.update_contact(uid, stored=stored, follow=False)
        after = self.board.contacts.get(uid)
        if after is not None and before is not None and after.heat != before.heat:
            self.columns.follow(uid)
        elif position is not None:
            self.columns.stay_at(column, position)

    @on(Writes.Waiting)
    def _write_waits(self) -> None:
        self._waiting(+1)
        self.warn("Waiting for another followup process to finish writing; keys still work", 4)

    def _waiting(self, step: int) -> None:
        self.board.waiting += step
        self.header.note = self.board.view_note()

    @work(group="dialogs")
    async def resolve_conflict(
        self, pending: Pending, conflicts: dict[str, tuple[object, object]]
    ) -> None:
        """A field being saved was changed elsewhere since the dialog opened: ask."""
        from tui.modals.conflict import ConflictModal

        modal = ConflictModal(f"Not saved yet: {pending.label}", conflicts)
        choice = await self.app.push_screen_wait(modal)
        if choice == "overwrite":
            self.writes.change(replace(pending, on_conflict="overwrite"))
        elif choice == "keep":
            self.writes.change(replace(pending, on_conflict="keep"))
        else:
            self.say("Nothing was saved")

    def action_undo(self) -> None:
        change = self.undo_stack.pop()
        if change is None:
            self.say("Nothing to undo", timeout=2)
        elif isinstance(change, SampleChange):
            self._undo_samples(change)
        else:
            self.writes.undo(change)

    @on(Writes.Undone)
    def _undone(self, event: Writes.Undone) -> None:
        change, kept = event.change, event.kept
        if event.waited:
            self._waiting(-1)
            self.board.histories.pop(change.uid, None)
            self.view.refresh_from_disk()
        if kept:
            self.warn(
                f"Undone: {change.label}, except {', '.join(kept)} "
                "(changed elsewhere since; left as it is)",
                6,
            )
        else:
            self.say(f"Undone: {change.label}")
        with self.guard():
            if change.touch_uid is not None and not self.board.touch_undone(
                change.uid, change.touch_uid
            ):
                self.board.set_days(self.store.touch_days())
        self.view.update_contact(change.uid, keep=change.uid)
        self.view.refresh_marker(change.uid)

    def _undo_samples(self, change: SampleChange) -> None:
        from store.demo import remove_samples

        with self.guard():
            removed = remove_samples(self.store, change.contact_uids, change.touch_uids)
            kept = len(change.contact_uids) - removed
            note = f" ({kept} you changed are kept)" if kept else ""
            self.say(f"Undone: removed {removed} sample contacts{note}", timeout=4)
        self.view.reload()
        self.columns.focus(self.columns.first_with_rows())
        self.view.fill_markers()

    # -- check_action --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        board = self.board
        if action in keys.PRIORITY_ACTIONS and self.filter_field is self.focused is not None:
            return False  # a letter of the filter
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
        self.columns.focus(self.columns.index + step)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The line under the columns: the highlighted contact's full next step, goal
        and last touch (once the histories are read)."""
        widget = self.detail_line
        contact = self.current_contact if self.review.screen is None else None
        known = self.board.histories.get(contact.uid) if contact is not None else None
        last = known[0] if known else None
        shown = (contact, last, self.board.today, known is None)
        if shown == self._detail_for:  # a key often asks twice (the highlight, the keys)
            return
        self._detail_for = shown
        # Its size is fixed (two lines, the screen's width): a new text needs no layout
        # of the screen, which would cost more than every line the change drew.
        if contact is None:
            widget.update("", layout=False)
            return
        widget.update(detail_text(contact, last, self.board.today, known), layout=False)

    @on(HeatColumn.Opened)
    async def _opened(self, event: HeatColumn.Opened) -> None:
        await self.start_on_current("open")

    # -- the keys on a contact: each starts its dialog flow --------------------------

    async def action_open(self) -> None:
        await self.start_on_current("open")

    async def action_log_touch(self) -> None:
        await self.start_on_current("log")

    async def action_next_step(self) -> None:
        await self.start_on_current("next")

    async def action_snooze(self) -> None:
        await self.start_on_current("snooze")

    async def action_drop(self) -> None:
        await self.start_on_current("drop")

    async def action_edit(self) -> None:
        await self.start_on_current("edit")

    async def start_on_current(self, what: str) -> None:
        contact = self.current_contact
        if contact is not None:
            await self.start(contact, what)

    async def start(self, contact: Contact, what: str) -> None:
        """Start the dialog flow `what` on `contact` (from a key or the review's card:
        tui.screens.review.Act); return once its dialog is on the screen."""
        flows: dict[str, Callable[[Contact], Worker[None]]] = {
            "open": self.open_contact,
            "log": self.log_touch,
            "next": self.set_next_step,
            "snooze": self.snooze,
            "drop": self.drop,
            "edit": self.edit,
        }
        flow = flows.get(what)
        if flow is not None:
            await self._until_shown(lambda: flow(contact))

    async def _until_shown(self, start: Callable[[], Worker[None]]) -> None:
        """Run `start` (a flow) and wait until its dialog is on the screen with the
        focus in it, or the flow ended without one. The key that asked for it is still
        being handled meanwhile, so the app takes no other key: keys typed right after
        ("t e", "a Zoe", in one read of the terminal) go to the dialog."""
        depth = len(self.app.screen_stack)
        worker = start()
        deadline = time.monotonic() + OPENING_SECONDS
        turns = 0
        while not worker.is_finished and time.monotonic() < deadline:
            stack = self.app.screen_stack
            if len(stack) > depth and (stack[-1].focused or not self.app.app_focus):
                print("DBG shown", turns, stack[-1].focused, self.app.app_focus)
                return  # (without the app's focus no widget takes it by itself)
            turns += 1
            await asyncio.sleep(0 if turns < 50 else 0.002)

    def action_warm_up(self) -> None:
        self._move(-1)

    def action_cool_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        contact = self.current_contact
        heat = actions.shifted_heat(contact.heat, step) if contact is not None else None
        if contact is None or heat is None:
            return
        self.write(
            f"{clean(contact.name)} moved to {heat}",
            contact,
            lambda store, on_conflict: actions.set_heat(
                store, contact, heat, expect=True, on_conflict=on_conflict
            ),
        )

    async def action_add(self) -> None:
        await self._until_shown(self.add)

    def action_review(self) -> None:
        self.run_review()

    # -- the dialog flows ----------------------------------------------------------
    # A dialog acts on the contact it was opened on, by uid, and writes only the fields
    # the user changed there, expecting the values the dialog showed (`expect=True`):
    # a field changed elsewhere meanwhile is a conflict the user decides (the writes
    # answer with its conflicts, resolve_conflict asks); a contact dropped or removed
    # elsewhere meanwhile gets nothing written.

    @work(group="dialogs")
    async def log_touch(self, contact: Contact) -> None:
        from tui.modals.log_touch import LogTouchModal

        with self.guard():
            settings = self.store.settings
            modal = LogTouchModal(
                contact,
                self.view.history(contact.uid),
                today=self.today,
                suggested=suggest_next_due(contact, settings, self.today),
                day_first=settings.day_first,
                now=self.clock.now(),
                settings=settings,
            )
            entry = await self.app.push_screen_wait(modal)
        if entry is None:
            return
        touch = actions.new_touch(
            contact,
            at=entry.at or self.clock.now(),
            channel=entry.channel,
            outcome=entry.outcome,
            inbound=entry.direction == "in",
            note=entry.note,
        )
        self.write(
            f"Logged {entry.channel} ({entry.outcome}) with {clean(contact.name)}",
            contact,
            lambda store, on_conflict: actions.log(
                store,
                contact,
                touch,
                next_step=entry.next_step,
                next_due=entry.next_due,
                expect=True,
                on_conflict=on_conflict,
            ),
        )

    @work(group="dialogs")
    async def set_next_step(self, contact: Contact) -> None:
        with self.guard():
            modal = self._next_step_modal(contact, snooze=False)
            result = await self.app.push_screen_wait(modal)
        if result is None:
            return
        self.write(
            f"Next step for {clean(contact.name)} set",
            contact,
            lambda store, on_conflict: actions.set_next(
                store,
                contact,
                result.next_step,
                result.next_due,
                expect=True,
                on_conflict=on_conflict,
            ),
        )

    @work(group="dialogs")
    async def snooze(self, contact: Contact) -> None:
        with self.guard():
            modal = self._next_step_modal(contact, snooze=True)
            result = await self.app.push_screen_wait(modal)
        if result is None or result.next_due is None:
            return
        due = result.next_due
        self.write(
            f"Snoozed {clean(contact.name)} until {short_day(due)}",
            contact,
            lambda store, on_conflict: actions.snooze(
                store, contact, due, expect=True, on_conflict=on_conflict
            ),
        )

    def _next_step_modal(self, contact: Contact, *, snooze: bool) -> NextStepModal:
        from tui.modals.next_step import NextStepModal

        settings = self.store.settings
        if snooze:
            suggested = snooze_date(contact, settings, self.today)
        else:
            suggested = cadence_date(contact, settings, self.today)
        return NextStepModal(
            contact,
            self.view.history(contact.uid),
            today=self.today,
            suggested=suggested.day,
            day_first=settings.day_first,
            snooze=snooze,
            note=suggested.note(),
        )

    @work(group="dialogs")
    async def drop(self, contact: Contact) -> None:
        from tui.modals.drop import DropModal

        with self.guard():
            history = self.view.history(contact.uid)
            choice = await self.app.push_screen_wait(DropModal(contact, summarize(history)))
        name = clean(contact.name)
        if choice == "stop":
            history = self.view.history(contact.uid)
            self.write(
                f"Stopped following up {name} (in the archive: A)",
                contact,
                lambda store, on_conflict: actions.drop(
                    store, contact, "", history, expect=True, on_conflict=on_conflict
                ),
            )
        elif choice == "cool":
            self.write(
                f"{name} cooled down",
                contact,
                lambda store, on_conflict: actions.set_heat(
                    store, contact, "cool", expect=True, on_conflict=on_conflict
                ),
            )

    @work(group="dialogs")
    async def edit(self, contact: Contact) -> None:
        from tui.modals.contact_form import ContactFormModal

        settings = self.store.settings
        modal = ContactFormModal(contact, self.today, settings.day_first, settings)
        values = await self.app.push_screen_wait(modal)
        if not values:
            return
        self.write(
            f"Saved {clean(values.get('name', contact.name))}",
            contact,
            lambda store, on_conflict: actions.edit(
                store, contact, values, expect=True, on_conflict=on_conflict
            ),
        )

    @work(group="dialogs")
    async def add(self) -> None:
        from tui.modals.contact_form import ContactFormModal

        settings = self.store.settings
        modal = ContactFormModal(None, self.today, settings.day_first, settings)
        fields = await self.app.push_screen_wait(modal)
        if not fields:
            return
        with self.guard():
            now = self.clock.now()
            contact = actions.add(self.store, Contact(created_at=now, updated_at=now, **fields))
            self.undo_stack.push(Change(f"Added {clean(contact.name)}", contact.uid, None))
            self.say(f"Added {clean(contact.name)}")
            self.view.update_contact(contact.uid, keep=contact.uid)
            self.columns.follow(contact.uid)
            self.columns.focus(self.columns.index)

    @work(group="dialogs")
    async def open_contact(self, contact: Contact) -> None:
        """The contact screen; the action chosen there runs on that contact (by uid),
        not on whatever row is highlighted now; if it is gone or dropped, say so."""
        from tui.screens.contact import ContactScreen

        with self.guard():
            touches = self.view.history(contact.uid)
            screen = ContactScreen(
                contact,
                touches,
                nudges_for(contact, touches, self.store.settings, self.today),
                summarize(touches),
                self.today,
            )
            choice = await self.app.push_screen_wait(screen)
        if choice is None or choice == "open":
            return
        self.view.refresh_from_disk()
        now = self.still_active(contact.uid)
        if now is not None:
            await self.start(now, choice)

    def still_active(self, uid: str) -> Contact | None:
        """Contact `uid` as stored now, or None (and a note) if it is gone or dropped."""
        try:
            contact = self.store.contact(uid)
        except InputError:
            self.warn("That contact was removed elsewhere; nothing was written", 6)
            return None
        if not contact.active:
            self.warn(
                f"{clean(contact.name)} was dropped elsewhere (in the archive: A); "
                "nothing was written",
                6,
            )
            return None
        return contact

    @work(group="dialogs")
    async def run_review(self) -> None:
        """The morning review: its screen shows the cards, and asks `act` for the flows."""
        with self.guard():
            await self.app.push_screen_wait(self.review.open())
        self.review.closed()
        self.show_detail()  # hidden while the review was on top

    # -- views ---------------------------------------------------------------------

    @property
    def filter_field(self) -> Input | None:
        """The filter line, mounted the first time / is pressed (not before the first
        paint); kept, not queried: the keys ask for it after every change."""
        field = self._filter
        return field if field is not None and field.is_attached else None

    async def action_filter(self) -> None:
        from textual.widgets import Input

        field = self.filter_field
        if field is None:
            field = Input(placeholder="filter: name or company (esc clears)", id="filter")
            await self.mount(field, before=self.query_one(KeyFooter))
            self._filter = field
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.board.filter_text = event.value
            self.view.render_contacts()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        if not self.board.filter_text.strip():
            event.input.display = False
        self.columns.focus(self.columns.with_rows())

    def action_clear_filter(self) -> None:
        self.board.filter_text = ""
        field = self.filter_field
        if field is not None:
            with field.prevent(field.Changed):
                field.value = ""
            field.display = False
        self.view.render_contacts()
        self.columns.focus(self.columns.with_rows())

    def action_today_only(self) -> None:
        self.board.today_only = not self.board.today_only
        self.view.render_contacts()
        if not self.columns.current.rows:
            self.columns.focus(self.columns.first_with_rows())

    # -- other screens -----------------------------------------------------------------

    @work(group="dialogs")
    async def action_archive(self) -> None:
        from tui.screens.archive import ArchiveScreen

        with self.guard():
            screen = ArchiveScreen(self.store.dropped(), self.today)
            uid = await self.app.push_screen_wait(screen)
            if uid is None:
                return
            shown = self.store.contact(uid)
            self.write(
                f"Restored {clean(shown.name)}",
                shown,
                lambda store, on_conflict: actions.restore(
                    store, shown, expect=True, on_conflict=on_conflict
                ),
            )

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

    @work(group="dialogs")
    async def action_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        with self.guard():
            settings = await self.app.push_screen_wait(SettingsScreen(self.store.settings))
            if settings is None or settings == self.store.settings:
                return
            self.store.save_settings(settings)
            self.say("Settings saved")
        self.view.reload()
        self.view.fill_markers()

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
            self.say(f"Loaded {added} sample contacts (tagged sample; u takes them back)", 4)
        self.view.reload()
        self.columns.focus(self.columns.first_with_rows())
        self.view.fill_markers()

    # -- keys for help and the command palette -------------------------------------

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) of every binding, for the help screen."""
        return keys.key_help(self.app)

    def commands(self) -> list[tuple[str, str, str]]:
        """(title, help, action) of each binding that can run now, for ctrl+p."""
        return keys.commands(self.app, lambda name: self.check_action(name, ()))
