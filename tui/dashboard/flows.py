"""The dashboard's dialog flows: each one `@work` method that reads top to bottom.

Build the dialog, `await self.app.push_screen_wait(...)`, decide the write with
store.actions, and post it up as `Flows.Decided` (the dashboard hands it to its writes,
whose outcome comes back as a message of their own). A flow that needs the dashboard
for its last step posts that too: `Flows.Adding` (the fields of a new contact),
`Flows.SettingsChosen`. An action picked on the contact screen starts its own flow on
that contact, as stored once the board has read what other processes changed.

A dialog acts on the contact it was opened on, by uid, and writes only the fields the
user changed there, expecting the values the dialog showed (`expect=True`): a field
changed elsewhere meanwhile is a conflict the user decides (`resolve_conflict`); a
contact dropped or removed elsewhere meanwhile gets nothing written. Dialogs
(tui/modals/) only collect and dismiss; they never write.

`Flows` is a widget that is never shown: it is what runs the workers and posts the
messages, given only the store (read), the clock, the board, the histories and the
board's re-read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec
from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker

from store import actions
from store.clock import Clock
from store.errors import FollowupError, InputError
from store.model import Contact, Settings, Touch
from store.rules.cadence import suggest_next_due
from store.rules.format import short_day
from store.rules.nudges import nudges_for
from store.rules.stats import channel_stats, summarize
from store.rules.suggest import cadence_date, snooze_date
from store.rules.text import clean
from store.store import Store
from tui.dashboard import keys
from tui.dashboard.board import Board
from tui.dashboard.rows import long_lived
from tui.dashboard.undo import Change
from tui.dashboard.writes import Pending, Write

if TYPE_CHECKING:
    from tui.modals.next_step import NextStepModal


OPENING_SECONDS = 10.0  # the longest the keys wait for a dialog to open (a first one,
# on a loaded machine, took 1.7 s: past this the keys typed with it went to the board)


class Flows(Widget):
    """The dialog flows of one dashboard (never displayed)."""

    class Decided(Message):
        """A flow decided a write."""

        def __init__(self, pending: Pending) -> None:
            super().__init__()
            self.pending = pending

    class Adding(Message):
        """The fields of a new contact, as the form checked them."""

        def __init__(self, fields: dict[str, Any]) -> None:
            super().__init__()
            self.fields = fields

    class UndoChosen(Message):
        """The user said yes to undoing `change` though its contact changed since."""

        def __init__(self, change: Change) -> None:
            super().__init__()
            self.change = change

    class SettingsChosen(Message):
        def __init__(self, settings: Settings) -> None:
            super().__init__()
            self.settings = settings

    def __init__(
        self,
        store: Store,
        clock: Clock,
        board: Board,
        history: Callable[[str], list[Touch]],
        refresh_board: Callable[[], None],
    ) -> None:
        super().__init__(id="flows")
        self.display = False
        self.store = store
        self.clock = clock
        self.board = board
        self.history = history
        self.refresh_board = refresh_board  # read what other processes changed

    def _decided(self, label: str, contact: Contact, write: Write) -> None:
        self.post_message(Flows.Decided(Pending(label, contact.uid, write)))

    def _report(self, error: FollowupError) -> None:
        self.notify(str(error), title="followup", severity="error", timeout=8, markup=False)

    # -- starting a flow ---------------------------------------------------------------

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
            await self.opened(lambda: flow(contact))

    async def opened(self, start: Callable[[], Worker[None]]) -> None:
        """Run `start` (a flow) and wait until its dialog is on the screen with the
        focus in it, or the flow ended without one. The key that asked for it is still
        being handled meanwhile, so the app takes no other key: the keys typed right
        after it ("t e": one read of the terminal) reach the dialog's bindings, as they
        did when dialogs opened at once; those the board's column took meanwhile (text
        typed right after `a`) the app types again into the dialog (tui/app.py)."""
        depth = len(self.app.screen_stack)
        worker = start()
        deadline = time.monotonic() + OPENING_SECONDS
        turns = 0
        while not worker.is_finished and time.monotonic() < deadline:
            stack = self.app.screen_stack
            if len(stack) > depth and self._ready(stack[-1]):
                return
            turns += 1
            await asyncio.sleep(0 if turns < 50 else 0.002)

    def _ready(self, screen: Screen[Any]) -> bool:
        """The dialog takes keys: its focus is set, or none will be (without the app's
        focus, or with nothing that can take it)."""
        if screen.focused is not None or not self.app.app_focus:
            return True
        return screen.is_mounted and not screen.focus_chain

    # -- on a contact ------------------------------------------------------------------

    @work(group="dialogs")
    async def log_touch(self, contact: Contact) -> None:
        from tui.modals.log_touch import LogTouchModal

        today = self.board.today
        try:
            settings = self.store.settings
            modal = LogTouchModal(
                contact,
                self.history(contact.uid),
                today=today,
                suggested=suggest_next_due(contact, settings, today),
                day_first=settings.day_first,
                now=self.clock.now(),
                settings=settings,
            )
        except FollowupError as error:
            self._report(error)
            return
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
        self._decided(
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
        try:
            modal = self._next_step_modal(contact, snooze=False)
        except FollowupError as error:
            self._report(error)
            return
        result = await self.app.push_screen_wait(modal)
        if result is None:
            return
        self._decided(
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
        try:
            modal = self._next_step_modal(contact, snooze=True)
        except FollowupError as error:
            self._report(error)
            return
        result = await self.app.push_screen_wait(modal)
        if result is None or result.next_due is None:
            return
        due = result.next_due
        self._decided(
            f"Snoozed {clean(contact.name)} until {short_day(due)}",
            contact,
            lambda store, on_conflict: actions.snooze(
                store, contact, due, expect=True, on_conflict=on_conflict
            ),
        )

    def _next_step_modal(self, contact: Contact, *, snooze: bool) -> NextStepModal:
        from tui.modals.next_step import NextStepModal

        settings, today = self.store.settings, self.board.today
        if snooze:
            suggested = snooze_date(contact, settings, today)
        else:
            suggested = cadence_date(contact, settings, today)
        return NextStepModal(
            contact,
            self.history(contact.uid),
            today=today,
            suggested=suggested.day,
            day_first=settings.day_first,
            snooze=snooze,
            note=suggested.note(),
        )

    @work(group="dialogs")
    async def drop(self, contact: Contact) -> None:
        from tui.modals.drop import DropModal

        try:
            summary = summarize(self.history(contact.uid))
        except FollowupError as error:
            self._report(error)
            return
        modal = DropModal(contact, summary)
        choice = await self.app.push_screen_wait(modal)
        name = clean(contact.name)
        if choice == "stop":
            history = self.history(contact.uid)
            reason = modal.reason
            self._decided(
                f"Stopped following up {name} (in the archive: A)",
                contact,
                lambda store, on_conflict: actions.drop(
                    store, contact, reason, history, expect=True, on_conflict=on_conflict
                ),
            )
        elif choice == "cool":
            self._decided(
                f"{name} cooled down",
                contact,
                lambda store, on_conflict: actions.cool_down(
                    store, contact, expect=True, on_conflict=on_conflict
                ),
            )

    @work(group="dialogs")
    async def edit(self, contact: Contact) -> None:
        from tui.modals.contact_form import ContactFormModal

        settings = self.store.settings
        modal = ContactFormModal(contact, self.board.today, settings.day_first, settings)
        values = await self.app.push_screen_wait(modal)
        if not values:
            return
        self._decided(
            f"Saved {clean(values.get('name', contact.name))}",
            contact,
            lambda store, on_conflict: actions.edit(
                store, contact, values, expect=True, on_conflict=on_conflict
            ),
        )

    @work(group="dialogs")
    async def open_contact(self, contact: Contact) -> None:
        """The contact screen; the action chosen there runs on that contact (by uid),
        not on whatever row is highlighted by then."""
        from tui.screens.contact import ContactScreen

        today = self.board.today
        try:
            touches = self.history(contact.uid)
            nudges = nudges_for(
                contact,
                touches,
                self.store.settings,
                today,
                lambda: self.board.proven(self.store.touches),
            )
        except FollowupError as error:
            self._report(error)
            return
        screen = ContactScreen(contact, touches, nudges, summarize(touches), today)
        choice = await self.app.push_screen_wait(screen)
        if choice is None or choice == "open":
            return
        self.refresh_board()  # what other processes did meanwhile
        now = self._still_active(contact.uid)
        if now is not None:
            await self.start(now, choice)

    def _still_active(self, uid: str) -> Contact | None:
        """Contact `uid` as stored now, or None (and a note) if it is gone or dropped."""
        try:
            contact = self.store.contact(uid)
        except InputError:
            self.notify(
                "That contact was removed elsewhere; nothing was written",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return None
        if not contact.active:
            self.notify(
                f"{clean(contact.name)} was dropped elsewhere (in the archive: A); "
                "nothing was written",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return None
        return contact

    # -- without a contact -------------------------------------------------------------

    @work(group="dialogs")
    async def add(self) -> None:
        from tui.modals.contact_form import ContactFormModal

        settings = self.store.settings
        modal = ContactFormModal(None, self.board.today, settings.day_first, settings)
        fields = await self.app.push_screen_wait(modal)
        if fields:
            self.post_message(Flows.Adding(fields))

    @work(group="dialogs")
    async def confirm_undo(self, change: Change, since: list[str]) -> None:
        """Its contact was changed since the change `u` would undo: ask first."""
        from tui.modals.confirm import ConfirmModal

        modal = ConfirmModal(change.question, since, "undo", "keep everything as it is")
        if await self.app.push_screen_wait(modal):
            self.post_message(Flows.UndoChosen(change))
        else:
            self.notify("Nothing was undone", timeout=3, markup=False)

    @work(group="dialogs")
    async def resolve_conflict(self, pending: Pending, conflicts: dict[str, Any]) -> None:
        """A field being saved was changed elsewhere since its dialog opened: ask."""
        from tui.modals.conflict import ConflictModal

        modal = ConflictModal(f"Not saved yet: {pending.label}", conflicts)
        choice = await self.app.push_screen_wait(modal)
        if choice == "overwrite":
            self.post_message(
                Flows.Decided(msgspec.structs.replace(pending, on_conflict="overwrite"))
            )
        elif choice == "keep":
            self.post_message(Flows.Decided(msgspec.structs.replace(pending, on_conflict="keep")))
        else:
            self.notify("Nothing was saved", timeout=3, markup=False)

    def stats(self) -> None:
        from tui.screens.stats import StatsScreen

        try:
            with long_lived():
                stats = channel_stats(self.store.touches())
        except FollowupError as error:
            self._report(error)
            return
        self.app.push_screen(StatsScreen(stats, self.board.streak))

    def help(self) -> None:
        from tui.screens.help import HelpScreen

        settings = self.store.settings
        self.app.push_screen(HelpScreen(keys.key_help(self.app), settings.cadence, settings))

    @work(group="dialogs")
    async def archive(self) -> None:
        """The archive of dropped contacts; restoring one is a write."""
        from tui.screens.archive import ArchiveScreen

        try:
            screen = ArchiveScreen(self.store.dropped(), self.board.today)
            uid = await self.app.push_screen_wait(screen)
            if uid is None:
                return
            shown = self.store.contact(uid)
        except FollowupError as error:
            self._report(error)
            return
        self._decided(
            f"Restored {clean(shown.name)}",
            shown,
            lambda store, on_conflict: actions.restore(
                store, shown, expect=True, on_conflict=on_conflict
            ),
        )

    @work(group="dialogs")
    async def settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        try:
            now = self.store.settings
        except FollowupError as error:
            self._report(error)
            return
        chosen = await self.app.push_screen_wait(SettingsScreen(now))
        if chosen is not None and chosen != now:
            self.post_message(Flows.SettingsChosen(chosen))
