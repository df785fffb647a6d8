"""What the two dialogs that set a next step share (log a touch, next step / snooze):
the contact and its history, the suggested date, a live hint area that never blocks,
and saving only with a valid date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from store.errors import InputError
from store.model import FIELD_LIMITS, Contact, Touch
from store.rules.text import check_text, clean
from tui.stylesheets import SCREENS_CSS
from widgets.date_input import DateInput

Result = TypeVar("Result")


class StepDialog(ModalScreen[Result | None]):
    """A dialog about one contact's next step; subclasses give `hints()` and `result()`."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    def __init__(
        self,
        contact: Contact,
        touches: Sequence[Touch],
        *,
        today: date,
        suggested: date,
        day_first: bool = True,
    ) -> None:
        super().__init__()
        self.contact = contact
        self.touches = list(touches)
        self.today = today
        self.suggested = suggested
        self.day_first = day_first

    def hints(self) -> list[str]:
        raise NotImplementedError

    def result(self) -> Result:
        raise NotImplementedError

    def next_step_field(self) -> ComposeResult:
        """The labelled input for the next step, holding the contact's current one."""
        with Horizontal(classes="field"):
            yield Label("Next step", classes="field-label")
            yield Input(
                clean(self.contact.next_step),
                placeholder="e.g. send the proposal",
                id="next-step",
                compact=True,
            )

    def date_field(self, label: str, value: str, *, allow_empty: bool = True) -> ComposeResult:
        """The labelled date input with its live preview."""
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield DateInput(
                value,
                today=self.today,
                day_first=self.day_first,
                allow_empty=allow_empty,
                compact=True,
                id="next-due",
            )

    def hint_area(self) -> Static:
        return Static("", id="hints", classes="hints", markup=False)

    def error_line(self) -> Static:
        """Where a limit the store enforces is shown; the dialog then stays open."""
        error = Static("", id="dialog-error", classes="dialog-error", markup=False)
        error.display = False
        return error

    def limits(self) -> list[tuple[str, str, str, int]]:
        """(input id, what, text, limit) of each text field the store limits."""
        found = self.query("#next-step").results(Input)
        return [
            ("next-step", "next step", field.value, FIELD_LIMITS["next_step"]) for field in found
        ]

    def check_limits(self) -> bool:
        """Show the first text over its limit inline and focus it; True if none is."""
        message = None
        for field_id, what, text, limit in self.limits():
            try:
                check_text(text, what, limit)
            except InputError as error:
                message = str(error)
                self.query_one(f"#{field_id}", Input).focus()
                break
        widget = self.query_one("#dialog-error", Static)
        widget.update(message or "")
        widget.display = message is not None
        return message is None

    def show_hints(self) -> None:
        hints = self.hints()
        widget = self.query_one("#hints", Static)
        widget.update("\n".join(f"hint: {text}" for text in hints))
        widget.display = bool(hints)

    def action_save(self) -> None:
        due = self.query_one(DateInput)
        if not due.valid:
            due.focus()
            self.notify(due.error or "check the date", severity="error", markup=False)
            return
        if not self.check_limits():
            return
        self.dismiss(self.result())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
