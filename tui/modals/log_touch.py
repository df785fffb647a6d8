"""Log a touch: a keyboard chain. `t`, a channel letter, enter.

The channel letter (c e x m l s o) fills the channel's usual outcome; the next date is
prefilled one cadence from today and the next step keeps its current text. Every field
stays editable: r / n / w pick the outcome, i flips the direction, tab walks the inputs.
Hints (a vague next step, too soon after no reply) show live and never block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Input, Label, Static

from store.model import (
    CHANNEL_KEYS,
    DEFAULT_OUTCOME,
    TEXT_MAX,
    Channel,
    Contact,
    Direction,
    Outcome,
    Touch,
)
from store.nudges import next_step_warnings
from store.text import clean
from tui.modals.step_dialog import StepDialog
from widgets.date_input import DateInput

OUTCOME_KEYS: dict[str, Outcome] = {"r": "reached", "n": "no-reply", "w": "waiting"}


@dataclass(frozen=True)
class TouchEntry:
    """What the dialog collected; the dashboard turns it into a Touch."""

    channel: Channel
    outcome: Outcome
    direction: Direction
    note: str
    next_step: str
    next_due: date | None


def choice_line(title: str, keys: dict[str, str], chosen: str) -> Content:
    """`Channel  c call  e email ...` with the chosen one reversed."""
    parts: list[Content | tuple[str, str] | str] = [(f"{title:<9}", "bold")]
    for key, value in keys.items():
        if value == chosen:
            parts.append((f" {key} {value} ", "reverse bold $accent"))
        else:
            parts.extend([" ", (key, "bold $accent"), f" {value} "])
    return Content.assemble(*parts)


class Choices(Static, can_focus=True):
    """The channel, outcome and direction, picked with single keys (the dialog's bindings)."""

    channel: reactive[str] = reactive("call")
    outcome: reactive[str] = reactive("reached")
    direction: reactive[str] = reactive("out")

    def render(self) -> Content:
        return Content("\n").join(
            [
                choice_line("Channel", dict(CHANNEL_KEYS), self.channel),
                Content.assemble(
                    choice_line("Outcome", OUTCOME_KEYS, self.outcome),
                    "   ",
                    (" i ", "bold $accent"),
                    f"direction: {self.direction}",
                ),
            ]
        )


class LogTouchModal(StepDialog[TouchEntry]):
    """Log a touch with one contact; dismisses a TouchEntry, or None on escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="log_touch.cancel"),
        Binding("enter", "save", "Save", id="log_touch.save"),
        *(
            Binding(key, f"channel('{channel}')", channel, show=False, id=f"log_touch.{channel}")
            for key, channel in CHANNEL_KEYS.items()
        ),
        *(
            Binding(key, f"outcome('{outcome}')", outcome, show=False, id=f"log_touch.{outcome}")
            for key, outcome in OUTCOME_KEYS.items()
        ),
        Binding("i", "direction", "In/out", show=False, id="log_touch.direction"),
    ]

    def __init__(
        self,
        contact: Contact,
        touches: Sequence[Touch],
        *,
        today: date,
        suggested: date,
        day_first: bool = True,
    ) -> None:
        super().__init__(contact, touches, today=today, suggested=suggested, day_first=day_first)
        self._date_edited = False
        channel: Channel = contact.channel or "call"
        self._channel: Channel = channel
        self._outcome: Outcome = DEFAULT_OUTCOME[channel]
        self._direction: Direction = "out"

    def compose(self) -> ComposeResult:
        name = clean(self.contact.name)
        company = clean(self.contact.company)
        with Vertical(id="log-touch", classes="dialog") as box:
            box.border_title = Content(
                f"Log a touch · {name}" + (f" ({company})" if company else "")
            )
            yield Choices(id="choices")
            with Horizontal(classes="field"):
                yield Label("Note", classes="field-label")
                yield Input(placeholder="what happened (optional)", id="note", compact=True)
            yield from self.next_step_field()
            yield from self.date_field("Next date", self.suggested.isoformat())
            yield self.hint_area()
            yield self.error_line()
            yield Static(
                "enter save · esc cancel · tab next field · letters pick when here",
                classes="dialog-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self._sync_choices()
        self.query_one(Choices).focus()

    # -- reading -------------------------------------------------------------------

    def limits(self) -> list[tuple[str, str, str, int]]:
        note = self.query_one("#note", Input).value
        return [("note", "note", note, TEXT_MAX), *super().limits()]

    def result(self) -> TouchEntry:
        due = self.query_one(DateInput)
        return TouchEntry(
            channel=self._channel,
            outcome=self._outcome,
            direction=self._direction,
            note=self.query_one("#note", Input).value.strip(),
            next_step=self.query_one("#next-step", Input).value.strip(),
            next_due=due.date,
        )

    def hints(self) -> list[str]:
        due = self.query_one(DateInput)
        warnings = next_step_warnings(
            self.query_one("#next-step", Input).value,
            due.date,
            self.touches,
            self.today,
            this_outcome=self._outcome,
            this_direction=self._direction,
            name=self.contact.name,
        )
        return [w.text for w in warnings]

    # -- actions -------------------------------------------------------------------

    def action_channel(self, channel: Channel) -> None:
        self._channel = channel
        self._outcome = DEFAULT_OUTCOME[channel]
        if not self._date_edited:
            self.query_one(DateInput).value = self.suggested.isoformat()
        self._sync_choices()

    def action_outcome(self, outcome: Outcome) -> None:
        self._outcome = outcome
        self._sync_choices()

    def action_direction(self) -> None:
        self._direction = "in" if self._direction == "out" else "out"
        self._sync_choices()

    # -- events --------------------------------------------------------------------

    @on(Input.Changed, "#next-step")
    def _step_changed(self) -> None:
        self.show_hints()

    @on(DateInput.Changed)
    def _date_changed(self) -> None:
        if self.query_one(DateInput).input.has_focus:
            self._date_edited = True
        self.show_hints()

    def _sync_choices(self) -> None:
        choices = self.query_one(Choices)
        choices.channel = self._channel
        choices.outcome = self._outcome
        choices.direction = self._direction
        self.show_hints()
