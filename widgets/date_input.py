"""A date field: an Input, with a live line under it that previews the parsed date
("Fri 27 Nov 2026 (in 3 days)") or says what is wrong with it.

    DateInput("fri", today=date(2026, 11, 24), day_first=True, allow_empty=True)
    .date   -> date | None   (None when empty or invalid)
    .error  -> str | None    (the one-line reason when invalid)
    .valid  -> bool          (no error)
    .value  -> str           (the text; assignable)
Posts `DateInput.Changed(date_input, date, error)` on every edit; the inner Input's
`Input.Submitted` bubbles up unchanged, so a form can save on enter.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from store.errors import InputError
from store.rules import dates

HINT = "e.g. tomorrow, fri, +3d, 2w, dec 3"


class DateInput(Widget):
    DEFAULT_CSS = """
    DateInput {
        height: auto;
        width: 1fr;
    }
    DateInput > Input {
        width: 1fr;
    }
    DateInput > .date-input--preview {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    DateInput.-invalid > .date-input--preview {
        color: $error;
    }
    DateInput.-invalid > Input {
        border: tall $error;
    }
    """

    class Changed(Message):
        def __init__(self, date_input: DateInput, value: date | None, error: str | None) -> None:
            super().__init__()
            self.date_input = date_input
            self.date = value
            self.error = error

        @property
        def control(self) -> DateInput:
            return self.date_input

    def __init__(
        self,
        value: str = "",
        *,
        today: date,
        day_first: bool = True,
        allow_empty: bool = True,
        allow_past: bool = False,
        placeholder: str = HINT,
        compact: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.today = today
        self.day_first = day_first
        self.allow_empty = allow_empty
        self.allow_past = allow_past
        self._input = Input(
            value, placeholder=placeholder, classes="date-input--input", compact=compact
        )
        self._preview = Static("", classes="date-input--preview", markup=False)
        self._date: date | None = None
        self._error: str | None = None
        self._parse(value)

    def compose(self) -> ComposeResult:
        yield self._input
        yield self._preview

    def on_mount(self) -> None:
        self._show()

    # -- public --------------------------------------------------------------------

    @property
    def input(self) -> Input:
        return self._input

    @property
    def value(self) -> str:
        return self._input.value

    @value.setter
    def value(self, text: str) -> None:
        self._input.value = text
        self._parse(text)
        self._show()

    @property
    def date(self) -> date | None:
        return self._date

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def valid(self) -> bool:
        return self._error is None

    @property
    def preview(self) -> str:
        """The line shown under the field."""
        if self._error is not None:
            return self._error
        if self._date is None:
            return f"no date ({HINT})"
        return dates.describe(self._date, self.today)

    def focus(self, scroll_visible: bool = True) -> DateInput:
        self._input.focus(scroll_visible)
        return self

    # -- internals -----------------------------------------------------------------

    def _parse(self, text: str) -> None:
        self._date = None
        self._error = None
        if not text.strip():
            if not self.allow_empty:
                self._error = "enter a date"
            return
        try:
            if self.allow_past:
                self._date = dates.parse_date(text, self.today, day_first=self.day_first)
            else:
                self._date = dates.parse_due(text, self.today, day_first=self.day_first)
        except InputError as error:
            self._error = str(error)

    def _show(self) -> None:
        self.set_class(self._error is not None, "-invalid")
        self._preview.update(self.preview)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._parse(event.value)
        self._show()
        self.post_message(self.Changed(self, self._date, self._error))
