"""The dashboard's contact actions (open, log, next step, snooze, drop, warmer,
cooler, add, edit) and the callbacks of their dialogs.

Held by DashboardScreen: each change goes through the screen's `change`, and each
write is decided in store.actions (the same as the command line's). A dialog acts on
the contact it was opened on, by uid, and writes only the fields the user changed
there, expecting the values the dialog showed (`expect=True`): a
field changed elsewhere meanwhile is a conflict the user decides; a contact dropped or
removed elsewhere meanwhile gets nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from store import actions
from store.errors import InputError
from store.model import Contact
from store.rules.cadence import suggest_next_due
from store.rules.format import short_day
from store.rules.nudges import nudges_for
from store.rules.stats import summarize
from store.rules.suggest import cadence_date, snooze_date
from store.rules.text import clean
from tui.dashboard.undo import Change

if TYPE_CHECKING:
    from tui.dashboard.screen import DashboardScreen
    from tui.modals.log_touch import TouchEntry
    from tui.modals.next_step import NextStep, NextStepModal


class ContactActions:
    """The actions on the highlighted contact (or the review's card), and what their
    dialogs hand back: held by the dashboard, which they are given."""

    def __init__(self, dashboard: DashboardScreen) -> None:
        self.dashboard = dashboard

    def open(self) -> None:
        from tui.screens.contact import ContactScreen

        contact = self.dashboard.current_contact
        if contact is None:
            return
        with self.dashboard.guard():
            touches = self.dashboard.history(contact.uid)
            screen = ContactScreen(
                contact,
                touches,
                nudges_for(contact, touches, self.dashboard.store.settings, self.dashboard.today),
                summarize(touches),
                self.dashboard.today,
            )
            self.dashboard.app.push_screen(screen, partial(self._after_contact_screen, contact.uid))

    def _after_contact_screen(self, uid: str, choice: str | None) -> None:
        """Run the action chosen on the contact screen on that contact (by uid), not on
        whatever row is highlighted now; if it is gone or dropped meanwhile, say so."""
        actions: dict[str, Callable[[Contact | None], None]] = {
            "log": self._log_touch,
            "next": self._next_step,
            "drop": self._drop,
            "edit": self._edit,
            "snooze": self._snooze,
        }
        if choice not in actions:
            return
        self.dashboard.refresh_from_disk()
        contact = self.still_active(uid)
        if contact is not None:
            actions[choice](contact)

    def still_active(self, uid: str) -> Contact | None:
        """Contact `uid` as stored now, or None (and a note) if it is gone or dropped."""
        try:
            contact = self.dashboard.store.contact(uid)
        except InputError:
            self.dashboard.notify(
                "That contact was removed elsewhere; nothing was written",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return None
        if not contact.active:
            self.dashboard.notify(
                f"{clean(contact.name)} was dropped elsewhere (in the archive: A); "
                "nothing was written",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return None
        return contact

    def log_touch(self) -> None:
        self._log_touch(self.dashboard.current_contact)

    def _log_touch(self, contact: Contact | None) -> None:
        from tui.modals.log_touch import LogTouchModal

        if contact is None:
            return
        with self.dashboard.guard():
            settings = self.dashboard.store.settings
            modal = LogTouchModal(
                contact,
                self.dashboard.history(contact.uid),
                today=self.dashboard.today,
                suggested=suggest_next_due(contact, settings, self.dashboard.today),
                day_first=settings.day_first,
                now=self.dashboard.clock.now(),
                settings=settings,
            )
            self.dashboard.app.push_screen(modal, partial(self._logged, contact))

    def _logged(self, contact: Contact, entry: TouchEntry | None) -> None:
        if entry is None:
            return
        touch = actions.new_touch(
            contact,
            at=entry.at or self.dashboard.clock.now(),
            channel=entry.channel,
            outcome=entry.outcome,
            inbound=entry.direction == "in",
            note=entry.note,
        )
        label = f"Logged {entry.channel} ({entry.outcome}) with {clean(contact.name)}"
        self.dashboard.change(
            label,
            contact.uid,
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

    def _next_step_modal(self, contact: Contact, *, snooze: bool) -> NextStepModal:
        from tui.modals.next_step import NextStepModal

        settings = self.dashboard.store.settings
        if snooze:
            suggested = snooze_date(contact, settings, self.dashboard.today)
        else:
            suggested = cadence_date(contact, settings, self.dashboard.today)
        return NextStepModal(
            contact,
            self.dashboard.history(contact.uid),
            today=self.dashboard.today,
            suggested=suggested.day,
            day_first=settings.day_first,
            snooze=snooze,
            note=suggested.note(),
        )

    def next_step(self) -> None:
        self._next_step(self.dashboard.current_contact)

    def _next_step(self, contact: Contact | None) -> None:
        if contact is None:
            return
        with self.dashboard.guard():
            modal = self._next_step_modal(contact, snooze=False)
            self.dashboard.app.push_screen(modal, partial(self._next_set, contact))

    def _next_set(self, contact: Contact, result: NextStep | None) -> None:
        if result is None:
            return
        self.dashboard.change(
            f"Next step for {clean(contact.name)} set",
            contact.uid,
            lambda store, on_conflict: actions.set_next(
                store,
                contact,
                result.next_step,
                result.next_due,
                expect=True,
                on_conflict=on_conflict,
            ),
        )

    def snooze(self) -> None:
        self._snooze(self.dashboard.current_contact)

    def _snooze(self, contact: Contact | None) -> None:
        if contact is None:
            return
        with self.dashboard.guard():
            modal = self._next_step_modal(contact, snooze=True)
            self.dashboard.app.push_screen(modal, partial(self._snoozed, contact))

    def _snoozed(self, contact: Contact, result: NextStep | None) -> None:
        if result is None or result.next_due is None:
            return
        due = result.next_due
        self.dashboard.change(
            f"Snoozed {clean(contact.name)} until {short_day(due)}",
            contact.uid,
            lambda store, on_conflict: actions.snooze(
                store, contact, due, expect=True, on_conflict=on_conflict
            ),
        )

    def drop(self) -> None:
        self._drop(self.dashboard.current_contact)

    def _drop(self, contact: Contact | None) -> None:
        from tui.modals.drop import DropModal

        if contact is None:
            return
        with self.dashboard.guard():
            summary = summarize(self.dashboard.history(contact.uid))
            self.dashboard.app.push_screen(
                DropModal(contact, summary), partial(self._dropped, contact)
            )

    def _dropped(self, contact: Contact, choice: str | None) -> None:
        name = clean(contact.name)
        if choice == "stop":
            history = self.dashboard.history(contact.uid)
            self.dashboard.change(
                f"Stopped following up {name} (in the archive: A)",
                contact.uid,
                lambda store, on_conflict: actions.drop(
                    store, contact, "", history, expect=True, on_conflict=on_conflict
                ),
            )
        elif choice == "cool":
            self.dashboard.change(
                f"{name} cooled down",
                contact.uid,
                lambda store, on_conflict: actions.cool_down(
                    store, contact, expect=True, on_conflict=on_conflict
                ),
            )

    def warm_up(self) -> None:
        self._move(-1)

    def cool_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        contact = self.dashboard.current_contact
        if contact is None:
            return
        heat = actions.shifted_heat(contact.heat, step)
        if heat is None:
            return
        self.dashboard.change(
            f"{clean(contact.name)} moved to {heat}",
            contact.uid,
            lambda store, on_conflict: actions.set_heat(
                store, contact, heat, expect=True, on_conflict=on_conflict
            ),
        )

    def add(self) -> None:
        from tui.modals.contact_form import ContactFormModal

        modal = ContactFormModal(
            None,
            self.dashboard.today,
            self.dashboard.store.settings.day_first,
            self.dashboard.store.settings,
        )
        self.dashboard.app.push_screen(modal, self._added)

    def _added(self, fields: dict[str, Any] | None) -> None:
        if not fields:
            return
        with self.dashboard.guard():
            now = self.dashboard.clock.now()
            contact = actions.add(
                self.dashboard.store, Contact(created_at=now, updated_at=now, **fields)
            )
            self.dashboard.undo_stack.push(
                Change(f"Added {clean(contact.name)}", contact.uid, None)
            )
            self.dashboard.notify(f"Added {clean(contact.name)}", timeout=3, markup=False)
            self.dashboard.update_contact(contact.uid, keep=contact.uid)
            self.dashboard.columns.follow(contact.uid)
            self.dashboard.columns.focus(self.dashboard.columns.index)

    def edit(self) -> None:
        self._edit(self.dashboard.current_contact)

    def _edit(self, contact: Contact | None) -> None:
        from tui.modals.contact_form import ContactFormModal

        if contact is None:
            return
        modal = ContactFormModal(
            contact,
            self.dashboard.today,
            self.dashboard.store.settings.day_first,
            self.dashboard.store.settings,
        )
        self.dashboard.app.push_screen(modal, partial(self._edited, contact))

    def _edited(self, contact: Contact, values: dict[str, Any] | None) -> None:
        if not values:
            return
        self.dashboard.change(
            f"Saved {clean(values.get('name', contact.name))}",
            contact.uid,
            lambda store, on_conflict: actions.edit(
                store, contact, values, expect=True, on_conflict=on_conflict
            ),
        )
