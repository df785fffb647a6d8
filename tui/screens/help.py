"""Every key and what it does, plus how cadence and the log-a-touch chain work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.model import CHANNEL_KEYS, Settings
from store.rules.nudges import MARKERS, MEANING
from store.rules.settings_keys import show
from tui.stylesheets import SCREENS_CSS

MARKER_MEANING = MEANING  # the wording lives in store/rules/nudges.py


def keys_column(bindings: Sequence[tuple[str, str]]) -> Grid:
    """Keys and descriptions in two grid columns, so a long description wraps aligned."""
    cells: list[Static] = []
    for key, description in bindings:
        cells.append(Static(Content.styled(key, "bold $primary"), classes="help-key"))
        cells.append(Static(Content(description), classes="help-description"))
    return Grid(*cells, classes="help-keys-column")


def every(days: int) -> str:
    """A cadence as said: "every day", "every week", "every 3 weeks", "every 10 days"."""
    if days == 1:
        return "every day"
    if days % 7 == 0:
        weeks = days // 7
        return "every week" if weeks == 1 else f"every {weeks} weeks"
    return f"every {days} days"


def cadence_text(cadence: Mapping[str, int]) -> Content:
    """The three heats with the user's own cadence (as set, never a default's words)."""
    return Content("\n").join(
        [
            Content.assemble(
                ("hot ", "bold $error"),
                f" {every(cadence['hot'])}: people in an active conversation.",
            ),
            Content.assemble(
                ("warm", "bold $warning"),
                f" {every(cadence['warm'])}: keep it going.",
            ),
            Content.assemble(
                ("cool", "bold $primary"),
                f" {every(cadence['cool'])}: stay in touch.",
            ),
            Content.styled(
                "After a touch, the next date is suggested from the heat; + and - move a "
                "contact between columns. A new contact is due tomorrow.",
                "$text-muted",
            ),
        ]
    )


def chain_text() -> Content:
    letters = "  ".join(f"{key} {channel}" for key, channel in CHANNEL_KEYS.items())
    return Content("\n").join(
        [
            Content.assemble(
                ("t", "bold $primary"),
                ", then a channel letter, then ",
                ("enter", "bold $primary"),
                ": saved.",
            ),
            Content.assemble("Channels: ", (letters, "bold")),
            Content.styled(
                "The outcome is prefilled (a call reached, an email waiting). After a reached "
                "touch the old step is done (shown as was: ...): type the next one, or press "
                "enter again for none. After no reply or waiting the step stays, a week or "
                "more out. When (default now) back-dates: yesterday 14:30.",
                "$text-muted",
            ),
        ]
    )


def settings_text(settings: Settings) -> Content:
    return Content("\n").join(
        Content.assemble((f"{key:<14}", "bold"), value) for key, value in show(settings).items()
    )


def markers_text() -> Content:
    return Content("\n").join(
        Content.assemble((f"{MARKERS[kind]} ", "bold $warning"), meaning)
        for kind, meaning in MARKER_MEANING.items()
    )


class HelpScreen(Screen[None]):
    """The dashboard's keys and the ideas behind them."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("escape", "back", "Back", id="help.back"),
        Binding("question_mark", "back", "Back", show=False, id="help.toggle"),
        Binding("q", "back", "Back", show=False, id="help.quit"),
    ]

    def __init__(
        self,
        bindings: Sequence[tuple[str, str]],
        cadence: Mapping[str, int] | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.bindings = list(bindings)
        self.settings = settings
        if cadence is None and settings is not None:
            cadence = settings.cadence
        self.cadence = dict(cadence) if cadence is not None else Settings().cadence

    def compose(self) -> ComposeResult:
        yield Static("Help: keys and how followup works", id="help-title", markup=False)
        with VerticalScroll(id="help-body"):
            yield Static("Keys", classes="section", markup=False)
            half = (len(self.bindings) + 1) // 2
            with Horizontal(id="help-keys"):
                yield keys_column(self.bindings[:half])
                yield keys_column(self.bindings[half:])
            yield Static("Log a touch in three keys", classes="section", markup=False)
            yield Static(chain_text(), markup=False)
            yield Static("Cadence: hot, warm, cool", classes="section", markup=False)
            yield Static(cadence_text(self.cadence), markup=False)
            if self.settings is not None:
                yield Static("Your settings (, to change)", classes="section", markup=False)
                yield Static(settings_text(self.settings), markup=False)
            yield Static("Markers on a row", classes="section", markup=False)
            yield Static(markers_text(), markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_back(self) -> None:
        self.dismiss(None)
