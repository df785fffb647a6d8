"""The database can't be used: what is wrong, and what to run.

Shown instead of the board when the files can't be read as a whole database (a damaged,
missing or swapped journal, a FIFO where a file belongs...), at start or when the
dashboard's poll finds it so. The dashboard stays out of the way: nothing is written
while this screen is up. It tries again on its own (the same poll) and with `r`, and
goes back to the board once the store reads again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.clock import Clock
from store.errors import FollowupError
from store.store import Store
from tui.stylesheets import SCREENS_CSS

WHAT_TO_RUN = (
    "Run `followup check` in a terminal: it says what is wrong and what it can do. "
    "`followup repair` sets damaged lines aside after a backup and rebuilds what is "
    "derived. Nothing is written while this screen is up."
)


class UnusableScreen(Screen[None]):
    """`problem`: the store's one line. `probe` reads the database again and raises a
    FollowupError while it still can't be used; the screen closes once it does not."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("r", "retry", "Try again", id="unusable.retry"),
        Binding("q", "app.quit", "Quit", id="unusable.quit"),
    ]

    def __init__(self, problem: str, probe: Callable[[], None], poll_seconds: float) -> None:
        super().__init__()
        self.problem = problem
        self.probe = probe
        self.poll_seconds = poll_seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="unusable-body"):
            yield Static(
                Content.styled("followup can't use this database", "bold $error"),
                id="unusable-title",
            )
            yield Static(Content(self.problem), id="unusable-problem")
            yield Static(Content(WHAT_TO_RUN), id="unusable-what")
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(self.poll_seconds, self.action_retry, name="unusable-poll")

    def show(self, problem: str) -> None:
        """A new reason (another damage found while this screen is up)."""
        self.problem = problem
        self.query_one("#unusable-problem", Static).update(Content(problem))

    def action_retry(self) -> None:
        try:
            self.probe()
        except FollowupError as error:
            if str(error) != self.problem:
                self.show(str(error))
            return
        self.dismiss(None)


def read_whole(path: Path, clock: Clock) -> None:
    """The probe: the database read as a new process reads it, every file and every
    touch; raises the store's error while it can't be used."""
    store = Store(path, clock=clock)
    store.contacts(include_dropped=True)
    store.touches()
    store.touch_days()
