"""Ask one yes/no question before a change: y goes ahead, n or escape does nothing.

Undo: logged call (reached) with Anna Berg?
Anna Berg: next step changed since.
y undo · n keep
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.stylesheets import SCREENS_CSS


class ConfirmModal(ModalScreen[bool]):
    """Dismisses True on y, False on n or escape."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("y", "choose(True)", "Yes", id="confirm.yes"),
        Binding("n", "choose(False)", "No", id="confirm.no"),
        Binding("escape", "choose(False)", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, question: str, lines: Sequence[str], yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.lines = list(lines)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Content(self.question), id="confirm-question", markup=False)
            for line in self.lines:
                yield Static(Content(f"{line}."), classes="confirm-line", markup=False)
            yield Static(
                Content.assemble(("y", "bold"), f" {self.yes} · ", ("n", "bold"), f" {self.no}"),
                id="confirm-keys",
                markup=False,
            )
        yield Footer()

    def action_choose(self, yes: bool) -> None:
        self.dismiss(yes)
