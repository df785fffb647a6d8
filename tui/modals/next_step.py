"""Set a contact's next step and its date (n), or only move the date (s, snooze).

The date field previews the parsed date live ("Fri 27 Nov 2026 (in 3 days)") and shows
an inline error for a bad or past date; hints (vague next step, too soon after no reply)
show live and never block.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import msgspec
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from store.model import Contact, Touch
from store.rules.nudges import next_step_warnings
from store.rules.suggest import sooner_warning
from store.rules.text import clean
from tui.modals.step_dialog import StepDialog
from widgets.date_input import DateInput


class NextStep(msgspec.Struct, frozen=True):
    next_step: str
    next_due: date | None


class NextStepModal(StepDialog[NextStep]):
    """Dismisses a NextStep (in snooze mode its next_step is the contact's own), or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="next_step.cancel"),
        Binding("enter", "save", "Save", id="next_step.save"),
    ]

    def __init__(
        self,
        contact: Contact,
        touches: Sequence[Touch],
        *,
        today: date,
        suggested: date,
        day_first: bool = True,
        snooze: bool = False,
        note: str = "",
    ) -> None:
        super().__init__(contact, touches, today=today, suggested=suggested, day_first=day_first)
        self.snooze = snooze
        self.note = note  # what the suggestion says about itself: moved off a rest day
        self._asked_sooner = False

    def _initial_date(self) -> str:
        due = self.contact.next_due
        if self.snooze:  # after the current date: a snooze never makes it due sooner
            return self.suggested.isoformat()
        if due is not None and due >= self.today:
            return due.isoformat()
        return self.suggested.isoformat()

    def compose(self) -> ComposeResult:
        name = clean(self.contact.name)
        with Vertical(id="next-step-dialog", classes="dialog") as box:
            if self.snooze:
                box.border_title = Content(f"Snooze · {name}")
                step = clean(self.contact.next_step) or "no next step"
                yield Static(f"Next step: {step}", classes="dialog-line", markup=False)
            else:
                box.border_title = Content(f"Next step · {name}")
                yield from self.next_step_field()
            yield from self.date_field(
                "Until" if self.snooze else "Next date",
                self._initial_date(),
                allow_empty=not self.snooze,
            )
            yield self.hint_area()
            yield self.error_line()
            yield Static("enter save · esc cancel", classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        self.show_hints()
        if self.snooze:
            self.query_one(DateInput).focus()
        else:
            self.query_one("#next-step", Input).focus()

    @property
    def next_step_text(self) -> str:
        if self.snooze:
            return self.contact.next_step
        return self.query_one("#next-step", Input).value.strip()

    def hints(self) -> list[str]:
        warnings = next_step_warnings(
            self.next_step_text,
            self.query_one(DateInput).date,
            self.touches,
            self.today,
            name=self.contact.name,
        )
        found = [w.text for w in warnings]
        chosen = self.query_one(DateInput).date
        sooner = sooner_warning(self.contact, chosen)
        if sooner:
            found.insert(0, sooner + (" (enter again to save)" if self._asked_sooner else ""))
        if self.note and chosen == self.suggested:
            found.append(self.note)
        return found

    def action_save(self) -> None:
        chosen = self.query_one(DateInput).date
        if self.snooze and sooner_warning(self.contact, chosen) and not self._asked_sooner:
            self._asked_sooner = True
            self.show_hints()
            return
        super().action_save()

    def result(self) -> NextStep:
        return NextStep(self.next_step_text, self.query_one(DateInput).date)

    @on(Input.Changed)
    @on(DateInput.Changed)
    def _changed(self) -> None:
        self._asked_sooner = False
        self.show_hints()
