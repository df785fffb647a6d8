"""Add or edit a contact. Validates on save, errors inline beside the field.

Dismisses a dict of the contact's fields, ready for `Contact(**values, ...)` or
`store.update_fields(uid, values)`: text stripped, `channel` None or a channel, `value` a
float or None, `tags` a tuple, `next_due` a date or None. Escape dismisses None.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static

from store.errors import InputError
from store.model import CHANNELS, FIELD_LIMITS, HEATS, KINDS, TAG_MAX, Contact, Settings
from store.rules import values
from store.rules.cadence import first_due
from store.rules.dates import parse_due
from store.rules.emails import check_email
from store.rules.nudges import VAGUE_TEXT, is_vague
from store.rules.text import check_name, check_text, clean
from tui.stylesheets import SCREENS_CSS
from widgets.date_input import DateInput
from widgets.letter_select import LetterSelect

NO_CHANNEL = "none"
VAGUE_HINT = VAGUE_TEXT  # the wording lives in store/rules/nudges.py

# (field, label, placeholder) of the one-line text inputs, in form order.
TEXT_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("Name", "required"),
    "company": ("Company", ""),
    "role": ("Role", ""),
    "goal": ("Goal", "what you follow up for: book a demo, get the offer"),
    "email": ("Email", ""),
    "phone": ("Phone", ""),
    "value": ("Value", "deal size, e.g. 12000 or 12k"),
    "tags": ("Tags", "comma separated"),
    "next_step": ("Next step", "a specific reason: send the pricing deck"),
    "cadence_days": ("Cadence", "days between follow-ups; empty: the heat's"),
}
# The checked fields as the form shows them, top to bottom (the focus goes to the first
# invalid one).
FORM_ORDER = (
    "name", "company", "role", "goal", "cadence_days",
    "email", "phone", "value", "tags", "next_step", "next_due",
)  # fmt: skip
CONTACT_OK = "ok to contact"
DO_NOT_CONTACT = "do not contact"
CADENCE_MAX = 3650


def parse_cadence(text: str) -> int | None:
    """ "14" -> 14 days; "" or "default" -> None (the heat's cadence)."""
    compact = text.strip().lower().removesuffix("d").removesuffix("days").strip()
    if compact in ("", "default"):
        return None
    if not compact.isdigit() or not 1 <= int(compact) <= CADENCE_MAX:
        raise InputError(f"a cadence is a number of days from 1 to {CADENCE_MAX}, or empty")
    return int(compact)


def parse_value(text: str) -> float | None:
    """The value field in the one grammar of store/rules/values.py; "" -> None."""
    return values.parse_value(text) if text.strip() else None


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma separated tags, trimmed, empty ones and repeats left out."""
    tags = (check_text(t, "tag", TAG_MAX).strip() for t in text.split(","))
    return tuple(dict.fromkeys(t for t in tags if t))


def _value_text(value: float | None) -> str:
    """A stored value as the form shows it, in a spelling parse_value reads back."""
    if value is None:
        return ""
    if value == int(value):
        return str(int(value))
    text = f"{value:.6f}".rstrip("0")
    decimals = text.partition(".")[2]
    return text + "0" if len(decimals) == 3 else text  # "1.125" could be read two ways


class ContactFormModal(ModalScreen[dict[str, Any] | None]):
    """The add / edit form; ctrl+s (or enter on the due date) saves."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    AUTO_FOCUS = "#field-name"  # from the first frame: a name typed with `a` lands here
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        contact: Contact | None,
        today: date,
        day_first: bool,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.contact = contact
        self.today = today
        self.day_first = day_first
        self.settings = settings

    # -- layout ------------------------------------------------------------------

    def _initial(self, field: str) -> str:
        c = self.contact
        if c is None:
            return ""
        if field == "value":
            return _value_text(c.value)
        if field == "cadence_days":
            return str(c.cadence_days) if c.cadence_days else ""
        if field == "tags":
            return ", ".join(clean(t) for t in c.tags)
        return clean(getattr(c, field))

    def _choice_row(self, field: str, label: str, choices: Sequence[str], value: str) -> Horizontal:
        """A labelled drop-down of fixed choices."""
        select: Select[str] = LetterSelect(
            [(choice, choice) for choice in choices],
            value=value,
            allow_blank=False,
            compact=True,
            id=f"field-{field}",
        )
        return self._row(field, label, select)

    def _row(self, field: str, label: str, *widgets: Widget) -> Horizontal:
        error = Static("", id=f"error-{field}", classes="form-error", markup=False)
        error.display = False
        return Horizontal(
            Label(label, classes="form-label", markup=False),
            Vertical(*widgets, error, classes="form-field"),
            id=f"row-{field}",
            classes="form-row",
        )

    def _text_row(self, field: str) -> Horizontal:
        label, placeholder = TEXT_FIELDS[field]
        if field == "cadence_days" and self.settings is not None:
            days = self.settings.cadence
            placeholder = f"days; empty: the heat's ({', '.join(f'{h} {days[h]}' for h in HEATS)})"
        box = Input(
            self._initial(field),
            placeholder=placeholder,
            id=f"field-{field}",
            compact=True,
            select_on_focus=False,
        )
        return self._row(field, label, box)

    def compose(self) -> ComposeResult:
        c = self.contact
        title = "Add a contact" if c is None else f"Edit {clean(c.name)}"
        with Vertical(id="form-dialog", classes="dialog") as dialog:
            dialog.border_title = Content(title)
            with VerticalScroll(id="form-body"):
                for field in ("name", "company", "role"):
                    yield self._text_row(field)
                yield self._choice_row("kind", "Kind", KINDS, c.kind if c else "prospect")
                yield self._choice_row("heat", "Heat", HEATS, c.heat if c else "warm")
                yield self._text_row("goal")
                yield self._row(
                    "channel",
                    "Prefers",
                    LetterSelect(
                        [(NO_CHANNEL, NO_CHANNEL), *((ch, ch) for ch in CHANNELS)],
                        value=(c.channel or NO_CHANNEL) if c else NO_CHANNEL,
                        allow_blank=False,
                        compact=True,
                        id="field-channel",
                    ),
                )
                yield self._text_row("cadence_days")
                yield self._choice_row(
                    "do_not_contact",
                    "Contact",
                    (CONTACT_OK, DO_NOT_CONTACT),
                    DO_NOT_CONTACT if c is not None and c.do_not_contact else CONTACT_OK,
                )
                for field in ("email", "phone", "value", "tags", "next_step"):
                    yield self._text_row(field)
                hint = Horizontal(
                    Label("", classes="form-label"),
                    Static(VAGUE_HINT, classes="form-hint", markup=False),
                    id="row-vague",
                    classes="form-row",
                )
                hint.display = self._vague(self._initial("next_step"))
                yield hint
                due = self._initial_due()
                yield self._row(
                    "next_due",
                    "Due",
                    DateInput(
                        due,
                        today=self.today,
                        day_first=self.day_first,
                        # An overdue contact keeps its date unless the user changes it.
                        allow_past=self._overdue is not None,
                        id="field-next_due",
                    ),
                )
            with Horizontal(id="form-buttons", classes="buttons"):
                yield Button("Save", variant="primary", compact=True, id="form-save")
                yield Button("Cancel", compact=True, id="form-cancel")
        yield Footer()

    @property
    def _overdue(self) -> date | None:
        """The edited contact's next date when it is already in the past."""
        due = self.contact.next_due if self.contact is not None else None
        return due if due is not None and due < self.today else None

    def _initial_due(self) -> str:
        if self.contact is None:
            return first_due(self.today, self.settings).isoformat()
        due = self.contact.next_due
        return due.isoformat() if due is not None else ""

    def on_mount(self) -> None:
        self.query_one("#field-name", Input).focus()
        self._shown = self._typed()

    def _typed(self) -> tuple[object, ...]:
        """What the form's fields hold now (to tell an untouched form from a filled one)."""
        inputs = tuple(box.value for box in self.query(Input))
        return inputs + tuple(select.value for select in self.query(Select))

    @property
    def changed(self) -> bool:
        return self._typed() != getattr(self, "_shown", self._typed())

    @on(Input.Changed)
    def _recheck(self) -> None:
        """An error shown goes as soon as its field is right (no new ones while typing)."""
        shown = [f for f in (*TEXT_FIELDS, "next_due") if self._error_shown(f)]
        if not shown:
            return
        _values, errors = self.collect()
        for field in shown:
            self._show_error(field, errors.get(field))

    def _error_shown(self, field: str) -> bool:
        return bool(self.query_one(f"#row-{field}").has_class("-invalid"))

    # -- live feedback -------------------------------------------------------------

    @on(events.DescendantFocus)
    def _mark_current_row(self, event: events.DescendantFocus) -> None:
        """Highlight the label of the row that has the focus."""
        for row in self.query(".form-row.-current"):
            row.remove_class("-current")
        for ancestor in event.widget.ancestors:
            if ancestor.has_class("form-row"):
                ancestor.add_class("-current")
                break

    def _vague(self, step: str) -> bool:
        name = self.contact.name if self.contact else ""
        return bool(step.strip()) and is_vague(step, names=[name])

    @on(Input.Changed, "#field-next_step")
    def _step_changed(self, event: Input.Changed) -> None:
        self.query_one("#row-vague").display = self._vague(event.value)

    @on(Input.Changed, "#field-name")
    def _name_changed(self, event: Input.Changed) -> None:
        name = self.query_one("#field-name", Input).value
        if self.contact is None:
            self.query_one("#form-dialog").border_title = Content(
                f"Add {clean(name).strip()}" if name.strip() else "Add a contact"
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        due = self.query_one("#field-next_due", DateInput)
        if event.input is due.input:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # -- saving --------------------------------------------------------------------

    def _show_error(self, field: str, message: str | None) -> None:
        error = self.query_one(f"#error-{field}", Static)
        error.update(message or "")
        error.display = message is not None
        self.query_one(f"#row-{field}").set_class(message is not None, "-invalid")

    def _text(self, field: str) -> str:
        return self.query_one(f"#field-{field}", Input).value

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The form's values, and an error message per field that is wrong."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}

        def check(field: str, read: Any) -> None:
            try:
                values[field] = read()
            except InputError as error:
                errors[field] = str(error)

        check("name", lambda: check_name(self._text("name")))
        for field, limit in FIELD_LIMITS.items():
            if field in TEXT_FIELDS:
                check(field, lambda f=field, n=limit: check_text(self._text(f), f, n).strip())
        if "email" in values:  # an email that is not one: the store would refuse it
            check("email", lambda: check_email(values["email"]))
        check("value", lambda: parse_value(self._text("value")))
        check("tags", lambda: parse_tags(self._text("tags")))
        check("cadence_days", lambda: parse_cadence(self._text("cadence_days")))
        values["do_not_contact"] = (
            self.query_one("#field-do_not_contact", Select).value == DO_NOT_CONTACT
        )
        values["kind"] = self.query_one("#field-kind", Select).value
        values["heat"] = self.query_one("#field-heat", Select).value
        channel = self.query_one("#field-channel", Select).value
        values["channel"] = None if channel == NO_CHANNEL else channel
        due = self.query_one("#field-next_due", DateInput)
        values["next_due"] = due.date
        if due.error is not None:
            errors["next_due"] = due.error
        elif due.date is not None and due.date < self.today and due.date != self._overdue:
            # Only the date the contact already had may stay in the past.
            check("next_due", lambda: parse_due(due.value, self.today, day_first=self.day_first))
        return values, errors

    def action_save(self) -> None:
        values, errors = self.collect()
        for field in (*TEXT_FIELDS, "next_due"):
            self._show_error(field, errors.get(field))
        if errors:
            first = next(f for f in FORM_ORDER if f in errors)
            target = self.query_one(f"#field-{first}")
            target.focus()
            self.query_one(f"#row-{first}").scroll_visible()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        """Escape: an untouched form closes; one with typed changes asks first."""
        if not self.changed:
            self.dismiss(None)
            return
        from tui.modals.confirm import ConfirmModal

        def chosen(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal("Discard what you typed?", [], "discard", "keep editing"), chosen
        )
