"""A contact's touch history, newest first, in a virtualised OptionList.

One option per touch: the date, channel, direction and outcome on the first line and
the note (cleaned of control characters and escape sequences) below it. Only the
visible lines are rendered, so a contact with thousands of touches scrolls smoothly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.model import Touch
from store.rules.format import day
from store.rules.text import clean_block
from widgets.styles import OUTCOME_STYLE

NOTE_INDENT = "    "

format_day = day  # the dashboard's name for store.rules.format.day


def touch_prompt(touch: Touch, today: date) -> Content:
    """The two-line (or one-line, without a note) prompt of one touch."""
    stamp = f"{format_day(touch.at, today, pad=True)} {touch.at:%H:%M}"
    arrow = "<- in " if touch.direction == "in" else "-> out"
    parts: list[str | tuple[str, str]] = [
        (f"{stamp:<22}", "bold"),
        f"{touch.channel:<8}",
        (f"{arrow}  ", "$text-muted"),
        (touch.outcome, OUTCOME_STYLE.get(touch.outcome, "")),
    ]
    note = clean_block(touch.note).strip()
    if note:
        lines = "\n".join(NOTE_INDENT + line for line in note.splitlines())
        parts += ["\n", (lines, "italic")]
    return Content.assemble(*parts)


class Timeline(OptionList):
    """The touches of one contact, newest first; empty, it says how to log one."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        min-height: 3;
        border: round $panel;
        border-title-color: $text-muted;
        padding: 0 1;
        & > .option-list--option-highlighted {
            text-style: none;
        }
        &:focus {
            border: round $primary;
        }
    }
    """

    EMPTY = "No touches yet: press t to log the first one."

    def __init__(
        self,
        touches: Sequence[Touch],
        today: date,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, markup=False)
        self._today = today
        self.border_title = "History, newest first"
        self.show_touches(touches, today)

    def show_touches(self, touches: Sequence[Touch], today: date) -> None:
        """Replace the history with `touches` (newest first)."""
        self._today = today
        self.clear_options()
        if not touches:
            self.add_option(Option(Content.styled(self.EMPTY, "$text-muted"), disabled=True))
            return
        self.add_options(Option(touch_prompt(t, today), id=t.uid) for t in touches)
        self.highlighted = 0
