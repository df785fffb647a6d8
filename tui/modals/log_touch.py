"""Log a touch: a keyboard chain. `t`, a channel letter, enter.

The channel letter (c e x m l s o) fills the channel's usual outcome. The next step and
date follow the outcome (store/rules/suggest.py): after a reached touch the old step is shown
as "was: ..." and the field starts empty (saving it empty asks once); after no reply or
waiting the step stays, dated at least a week out. Every field stays editable: r / n / w
pick the outcome, i flips the direction, tab walks the inputs; When (default now;
"yesterday 14:30") back-dates the touch. Hints show live and never block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import msgspec
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Input, Label, Static

from store import actions
from store.errors import InputError
from store.model import (
    CHANNEL_KEYS,
    DEFAULT_OUTCOME,
    TEXT_MAX,
    Channel,
    Contact,
    Direction,
    Outcome,
    Settings,
    Touch,
)
from store.rules import dates
from store.rules.format import short_day
from store.rules.nudges import next_step_warnings
from store.rules.suggest import StepSuggestion, after_touch
from store.rules.text import clean
from tui.modals.step_dialog import StepDialog
from widgets.date_input import DateInput

OUTCOME_KEYS: dict[str, Outcome] = {"r": "reached", "n": "no-reply", "w": "waiting"}


class TouchEntry(msgspec.Struct, frozen=True):
    """What the dialog collected; the dashboard turns it into a Touch."""

    channel: Channel
    outcome: Outcome
    direction: Direction
    note: str
    next_step: str
    next_due: date | None
    at: datetime | None = None  # None: now


def choice_line(title: str, keys: Mapping[str, str], chosen: str) -> Content:
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

    AUTO_FOCUS = "Choices"  # from the first frame: a channel letter typed with `t` lands here
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
        now: datetime | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(contact, touches, today=today, suggested=suggested, day_first=day_first)
        self._date_edited = False
        self._step_edited = False
        self._asked_empty = False
        channel: Channel = contact.channel or "call"
        self._channel: Channel = channel
        self._outcome: Outcome = DEFAULT_OUTCOME[channel]
        # The outcome picked with its key (None: it follows the suggestion, and an
        # inbound touch is reached).
        self._outcome_chosen: Outcome | None = None
        self._direction: Direction = "out"
        self.now = now
        self.settings = settings
        self._when: datetime | None = None  # None: now
        self._when_error: str | None = None
        self.suggestion = self._suggest()

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
            yield Static("", id="was", classes="dialog-line", markup=False)
            yield from self.next_step_field()
            yield from self.date_field("Next date", self._suggested_day().isoformat())
            if self.now is not None:
                with Horizontal(classes="field"):
                    yield Label("When", classes="field-label")
                    yield Input("now", placeholder="now, yesterday 14:30", id="when", compact=True)
                    yield Static("", id="when-preview", markup=False)
            yield self.hint_area()
            yield self.error_line()
            yield Static(
                "enter save · esc cancel · tab next field · letters pick when here",
                classes="dialog-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        if self.suggestion is not None:
            self.query_one("#next-step", Input).value = clean(self.suggestion.step)
        self._show_was()
        self._sync_choices()
        self.query_one(Choices).focus()

    # -- the suggestion --------------------------------------------------------------

    def _suggest(self) -> StepSuggestion | None:
        if self.settings is None:
            return None
        day = (self._when or self.now or datetime.combine(self.today, datetime.min.time())).date()
        return after_touch(
            self.contact,
            self._outcome,
            day,
            self.settings,
            inbound=self._direction == "in",
        )

    def _suggested_day(self) -> date:
        if self.suggestion is None:
            return self.suggested
        return max(self.suggestion.due.day, self.today)

    def _resuggest(self) -> None:
        """The outcome, direction or When changed: follow the suggestion where the user
        has not typed their own step or date."""
        if self.settings is None:
            return
        self.suggestion = self._suggest()
        if not self._step_edited:
            step = self.query_one("#next-step", Input)
            with step.prevent(Input.Changed):
                step.value = clean(self.suggestion.step if self.suggestion else "")
        if not self._date_edited:
            self.query_one(DateInput).value = self._suggested_day().isoformat()
        self._show_was()

    def _show_was(self) -> None:
        was = self.query_one("#was", Static)
        text = clean(self.suggestion.was) if self.suggestion is not None else ""
        was.update(f"was: {text} (presumed done)" if text else "")
        was.display = bool(text)

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
            at=self._when,
        )

    def action_save(self) -> None:
        if self._when_error is not None:
            self.query_one("#when", Input).focus()
            self.notify(self._when_error, severity="error", markup=False)
            return
        if not self.check_limits():  # a text over its limit is said first
            return
        step = self.query_one("#next-step", Input).value.strip()
        if self.settings is not None and not step and not self._asked_empty:
            step_field = self.query_one("#next-step", Input)
            step_field.focus()  # what the person types next is the step
            self._asked_empty = True
            self.notify("no next step? enter again to save without one", markup=False)
            self.show_hints()
            return
        super().action_save()

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
        found = [w.text for w in warnings]
        if self._when_error:
            found.insert(0, f"When: {self._when_error}")
        if self._asked_empty:
            found.insert(0, "no next step? enter again to save without one")
        suggested = self.suggestion.due if self.suggestion is not None else None
        note = suggested.note() if suggested is not None else ""
        if suggested is not None and note and not self._date_edited and due.date == suggested.day:
            found.append(note)
        return found

    # -- actions -------------------------------------------------------------------

    def action_channel(self, channel: Channel) -> None:
        self._channel = channel
        self._outcome = actions.suggested_outcome(channel, inbound=self._direction == "in")
        self._outcome_chosen = None
        if not self._date_edited and self.settings is None:
            self.query_one(DateInput).value = self.suggested.isoformat()
        self._resuggest()
        self._sync_choices()

    def action_outcome(self, outcome: Outcome) -> None:
        self._outcome = outcome
        self._outcome_chosen = outcome
        if outcome == "no-reply":  # an inbound touch is never unanswered: outbound
            self._direction = "out"
        self._resuggest()
        self._sync_choices()

    def action_direction(self) -> None:
        self._direction = "in" if self._direction == "out" else "out"
        inbound = self._direction == "in"
        chosen = self._outcome_chosen
        if chosen is None or (inbound and chosen == "no-reply"):
            self._outcome = actions.suggested_outcome(self._channel, inbound=inbound)
        else:
            self._outcome = chosen
        self._resuggest()
        self._sync_choices()

    # -- events --------------------------------------------------------------------

    @on(Input.Changed, "#next-step")
    def _step_changed(self) -> None:
        if self.query_one("#next-step", Input).has_focus:
            self._step_edited = True
        self._asked_empty = False
        self.show_hints()

    @on(Input.Changed, "#when")
    def _when_changed(self, event: Input.Changed) -> None:
        assert self.now is not None
        preview = self.query_one("#when-preview", Static)
        text = event.value.strip()
        self._when_error = None
        self._when = None
        if text and text.casefold() != "now":
            try:
                self._when = dates.parse_when(text, self.now, day_first=self.day_first)
            except InputError as error:
                self._when_error = str(error)
        if self._when_error:
            preview.update(" ?")
        else:
            moment = self._when or self.now
            preview.update(f" {short_day(moment.date())} {moment:%H:%M}" if self._when else "")
        self.set_class(self._when_error is not None, "-bad-when")
        self._resuggest()
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
