"""Ask what to do when fields being saved were changed elsewhere since the dialog opened.

    "Heat was changed elsewhere to cool. Overwrite? y overwrite, n keep theirs"

Dismisses "overwrite" (write every field), "keep" (write only the fields nobody else
changed, keep theirs) or None on escape (write nothing).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from store.rules.format import day
from store.rules.text import clean
from tui.dashboard.undo import FIELD_NAMES
from tui.stylesheets import SCREENS_CSS


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "nothing"
    if isinstance(value, date):
        return day(value)
    if isinstance(value, tuple):
        return ", ".join(clean(str(v)) for v in value) or "nothing"
    return clean(str(value))


def conflict_lines(conflicts: dict[str, tuple[Any, Any]]) -> list[str]:
    """One sentence per field: "Heat was changed elsewhere to cool"."""
    lines = []
    for field, (_seen, now) in conflicts.items():
        name = FIELD_NAMES.get(field, field.replace("_", " "))
        lines.append(f"{name[:1].upper()}{name[1:]} was changed elsewhere to {value_text(now)}")
    return lines


class ConflictModal(ModalScreen[str | None]):
    """y overwrite, n keep theirs, escape cancel."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("y", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("n", "choose('keep')", "Keep theirs", id="conflict.keep"),
        Binding("escape", "choose('')", "Cancel", id="conflict.cancel"),
    ]

    def __init__(self, what: str, conflicts: dict[str, tuple[Any, Any]]) -> None:
        super().__init__()
        self.what = what
        self.conflicts = conflicts

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-dialog", classes="dialog"):
            yield Static(Content(clean(self.what)), id="conflict-what", markup=False)
            for line in conflict_lines(self.conflicts):
                yield Static(Content(f"{line}."), classes="conflict-line", markup=False)
            yield Static(
                Content.assemble(
                    "Overwrite? ",
                    ("y", "bold"),
                    " overwrite, ",
                    ("n", "bold"),
                    " keep theirs (save the rest), ",
                    ("esc", "bold"),
                    " save nothing",
                ),
                id="conflict-question",
                markup=False,
            )
        yield Footer()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
