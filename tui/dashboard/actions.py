"""The dashboard's contact actions (open, log, next step, snooze, drop, warmer,
cooler, add, edit) and the callbacks of their dialogs.

Held by DashboardScreen: each change goes through the screen's `change`. A dialog
acts on the contact it was opened on, by uid, and writes only the fields the user
changed there, expecting the values the dialog showed (`Store.update_fields`): a
field changed elsewhere meanwhile is a conflict the user decides; a contact dropped or
removed elsewhere meanwhile gets nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from store import actions
from store.cadence import suggest_next_due
from store.errors import InputError
from store.model import Contact, Touch
from store.nudges import nudges_for
from store.stats import summarize
from store.suggest import cadence_date, short_day, snooze_date
from store.text import clean
from tui.dashboard.undo import Change

if TYPE_CHECKING:
    from textual.app import App

    from store.clock import Clock
    from store.store import FieldWrite, OnConflict, Store
    from tui.dashboard.screen import DashboardScreen
    from tui.dashboard.undo import UndoStack
    from tui.dashboard.writes import Write
    from tui.modals.log_touch import TouchEntry
    from tui.modals.next_step import NextStep, NextStepModal


class ContactActions:
    """The actions on the highlighted contact, and what their dialogs hand back.

    Held by the dashboard, which it is given: what it uses of it is named below."""

    def __init__(self, dashboard: DashboardScreen) -> None:
        self.dashboard = dashboard

    # -- what the actions use of the dashboard -----------------------------------------

    @property
    def app(self) -> App[None]:
        return self.dashboard.app

    @property
    def store(self) -> Store:
        return self.dashboard.store

    @property
    def clock(self) -> Clock:
        return self.dashboard.clock

    @property
    def today(self) -> date:
        return self.dashboard.board.today

    @property
    def undo_stack(self) -> UndoStack:
        return self.dashboard.undo_stack

    @property
    def column_index(self) -> int:
        return self.dashboard.columns.index

    @property
    def current_contact(self) -> Contact | None:
        return self.dashboard.current_contact

    def notify(self, message: str, **options: Any) -> None:
        self.dashboard.notify(message, **options)

    def guard(self) -> AbstractContextManager[None]:
        return self.dashboard.guard()

    def change(self, label: str, uid: str, write: Write) -> None:
        self.dashboard.change(label, uid, write)

    def focus_column(self, index: int) -> None:
        self.dashboard.columns.focus(index)

    def history(self, uid: str) -> list[Touch]:
        return self.dashboard.history(uid)

    def update_contact(self, uid: str, keep: str | None = None) -> None:
        self.dashboard.update_contact(uid, keep)

    def refresh_from_disk(self) -> None:
        self.dashboard.refresh_from_disk()

    def _follow(self, uid: str) -> None:
        self.dashboard.columns.follow(uid)

    # -- the actions and their dialogs' callbacks ---------------------------------------

    def fields_write(
        self,
        shown: Contact,
        values: dict[str, Any],
        touch: Touch | None = None,
    ) -> Callable[[Store, OnConflict], tuple[Touch | None, FieldWrite]]:
        """The write of the fields in `values` that differ from the contact as its
        dialog showed it (`shown`), expecting those shown values on disk."""
        changes = {k: v for k, v in values.items() if getattr(shown, k) != v}
        expect = {k: getattr(shown, k) for k in changes}

        def write(store: Store, on_conflict: OnConflict) -> tuple[Touch | None, FieldWrite]:
            if touch is None:
                return None, store.update_fields(
                    shown.uid, changes, expect, on_conflict=on_conflict
                )
            return store.log_fields(touch, changes, expect, on_conflict=on_conflict)

        return write

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
            self.app.push_screen(screen, partial(self._after_contact_screen, contact.uid))

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
        self.refresh_from_disk()
        contact = self.still_active(uid)
        if contact is not None:
            actions[choice](contact)

    def still_active(self, uid: str) -> Contact | None:
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

    def action_log_touch(self) -> None:
        self._log_touch(self.current_contact)

    def _log_touch(self, contact: Contact | None) -> None:
        from tui.modals.log_touch import LogTouchModal

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
                now=self.clock.now(),
                settings=settings,
            )
            self.app.push_screen(modal, partial(self._logged, contact))

    def _logged(self, contact: Contact, entry: TouchEntry | None) -> None:
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
        label = f"Logged {entry.channel} ({entry.outcome}) with {clean(contact.name)}"
        self.change(
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

        settings = self.store.settings
        if snooze:
            suggested = snooze_date(contact, settings, self.today)
        else:
            suggested = cadence_date(contact, settings, self.today)
        return NextStepModal(
            contact,
            self.history(contact.uid),
            today=self.today,
            suggested=suggested.day,
            day_first=settings.day_first,
            snooze=snooze,
            note=suggested.note(),
        )

    def action_next_step(self) -> None:
        self._next_step(self.current_contact)

    def _next_step(self, contact: Contact | None) -> None:
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
            lambda store, on_conflict: actions.set_next(
                store,
                contact,
                result.next_step,
                result.next_due,
                expect=True,
                on_conflict=on_conflict,
            ),
        )

    def action_snooze(self) -> None:
        self._snooze(self.current_contact)

    def _snooze(self, contact: Contact | None) -> None:
        if contact is None:
            return
        with self.guard():
            modal = self._next_step_modal(contact, snooze=True)
            self.app.push_screen(modal, partial(self._snoozed, contact))

    def _snoozed(self, contact: Contact, result: NextStep | None) -> None:
        if result is None or result.next_due is None:
            return
        due = result.next_due
        self.change(
            f"Snoozed {clean(contact.name)} until {short_day(due)}",
            contact.uid,
            lambda store, on_conflict: actions.snooze(
                store, contact, due, expect=True, on_conflict=on_conflict
            ),
        )

    def action_drop(self) -> None:
        self._drop(self.current_contact)

    def _drop(self, contact: Contact | None) -> None:
        from tui.modals.drop import DropModal

        if contact is None:
            return
        with self.guard():
            summary = summarize(self.history(contact.uid))
            self.app.push_screen(DropModal(contact, summary), partial(self._dropped, contact))

    def _dropped(self, contact: Contact, choice: str | None) -> None:
        name = clean(contact.name)
        if choice == "stop":
            history = self.history(contact.uid)
            self.change(
                f"Stopped following up {name} (in the archive: A)",
                contact.uid,
                lambda store, on_conflict: actions.drop(
                    store, contact, "", history, expect=True, on_conflict=on_conflict
                ),
            )
        elif choice == "cool":
            self.change(
                f"{name} cooled down",
                contact.uid,
                lambda store, on_conflict: actions.set_heat(
                    store, contact, "cool", expect=True, on_conflict=on_conflict
                ),
            )

    def action_warm_up(self) -> None:
        self._move(-1)

    def action_cool_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        contact = self.current_contact
        if contact is None:
            return
        heat = actions.shifted_heat(contact.heat, step)
        if heat is None:
            return
        self.change(
            f"{clean(contact.name)} moved to {heat}",
            contact.uid,
            lambda store, on_conflict: actions.set_heat(
                store, contact, heat, expect=True, on_conflict=on_conflict
            ),
        )

    def action_add(self) -> None:
        from tui.modals.contact_form import ContactFormModal

        modal = ContactFormModal(
            None, self.today, self.store.settings.day_first, self.store.settings
        )
        self.app.push_screen(modal, self._added)

    def _added(self, fields: dict[str, Any] | None) -> None:
        if not fields:
            return
        with self.guard():
            now = self.clock.now()
            contact = actions.add(self.store, Contact(created_at=now, updated_at=now, **fields))
            self.undo_stack.push(Change(f"Added {clean(contact.name)}", contact.uid, None))
            self.notify(f"Added {clean(contact.name)}", timeout=3, markup=False)
            self.update_contact(contact.uid, keep=contact.uid)
            self._follow(contact.uid)
            self.focus_column(self.column_index)

    def action_edit(self) -> None:
        self._edit(self.current_contact)

    def _edit(self, contact: Contact | None) -> None:
        from tui.modals.contact_form import ContactFormModal

        if contact is None:
            return
        modal = ContactFormModal(
            contact, self.today, self.store.settings.day_first, self.store.settings
        )
        self.app.push_screen(modal, partial(self._edited, contact))

    def _edited(self, contact: Contact, values: dict[str, Any] | None) -> None:
        if not values:
            return
        self.change(
            f"Saved {clean(values.get('name', contact.name))}",
            contact.uid,
            lambda store, on_conflict: actions.edit(
                store, contact, values, expect=True, on_conflict=on_conflict
            ),
        )
