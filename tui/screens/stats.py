"""Which channels get answers, and the daily streak."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from store.rules.stats import ChannelStats, best_channel, range_text, verdict
from store.rules.streak import Streak
from tui.screens._format import plural
from tui.stylesheets import SCREENS_CSS

BAR_WIDTH = 12  # a row is 54 cells: it fits a 60-column terminal


def rate_bar(rate: float | None, width: int = BAR_WIDTH) -> Content:
    """A bar of coloured cells (no special characters, so it shows on any terminal)."""
    if rate is None:
        return Content.styled("-" * width, "$text-muted")
    filled = round(max(0.0, min(1.0, rate)) * width)
    return Content.assemble(
        ("#" * filled, "$success on $success"),
        ("." * (width - filled), "$panel on $panel"),
    )


def channel_row(row: ChannelStats) -> Content:
    rate = row.rate
    percent = "-" if rate is None else f"{rate:.0%}"
    line = Content.assemble(
        f"{row.channel:<9}{row.sent:>6}{row.answered:>10}{percent:>7}{range_text(row):>8}  ",
        rate_bar(rate),
    )
    return line.stylize("$text-muted") if row.sent == 0 else line


def channels_table(channels: Sequence[ChannelStats]) -> Content:
    header = Content.styled(
        f"{'channel':<9}{'sent':>6}{'answered':>10}{'rate':>7}{'95%':>8}", "bold $text-muted"
    )
    lines = [header, *(channel_row(c) for c in channels)]
    total_sent = sum(c.sent for c in channels)
    total_answered = sum(c.answered for c in channels)
    if total_sent:
        lines.append(
            Content.styled(
                f"{'all':<9}{total_sent:>6}{total_answered:>10}{total_answered / total_sent:>7.0%}"
                f"{range_text(ChannelStats('all', total_sent, total_answered)):>8}",
                "bold",
            )
        )
    return Content("\n").join(lines)


def channels_verdict(channels: Sequence[ChannelStats]) -> Content:
    """The best channel only when its 95% range clears the others' (store.rules.stats)."""
    best = best_channel(channels)
    if best is None:
        return Content.styled(f"{verdict(channels)}.", "$text-muted")
    return Content.assemble(
        "Best channel: ",
        (best.channel, "bold $success"),
        f", answered {range_text(best)} of the time (clear of the others).",
    )


def streak_text(streak: Streak) -> Content:
    current = (
        Content.assemble(("Current streak: ", ""), (plural(streak.current, "day"), "bold"))
        if streak.current
        else Content.styled("No streak going: log a touch to start one.", "$text-muted")
    )
    lines = [
        current,
        Content.assemble("Best streak: ", (plural(streak.best, "day"), "bold")),
        Content.assemble("Touches today: ", (str(streak.touches_today), "bold")),
    ]
    if streak.at_risk:
        lines.append(Content.styled("At risk: log a touch today to keep it going.", "$warning"))
    return Content("\n").join(lines)


class StatsScreen(Screen[None]):
    """Per-channel success rates and the streak."""

    CSS_PATH = SCREENS_CSS  # read after the first frame, or when this opens first

    BINDINGS = [
        Binding("escape", "back", "Back", id="stats.back"),
        Binding("q", "back", "Back", show=False, id="stats.quit"),
    ]

    def __init__(self, channels: Sequence[ChannelStats], streak: Streak) -> None:
        super().__init__()
        self.channels = list(channels)
        self.streak = streak

    def compose(self) -> ComposeResult:
        yield Static("Stats", id="stats-title", markup=False)
        with VerticalScroll(id="stats-body"):
            yield Static("Which channels get answers", classes="section", markup=False)
            yield Static(channels_table(self.channels), id="stats-channels", markup=False)
            yield Static(channels_verdict(self.channels), id="stats-verdict", markup=False)
            yield Static(
                "Outbound touches only. A waiting email, text or letter counts as answered "
                "when a reply or a reached touch follows within 14 days.",
                classes="note",
                markup=False,
            )
            yield Static("Daily streak", classes="section", markup=False)
            yield Static(streak_text(self.streak), id="stats-streak", markup=False)
        yield Footer()

    def action_back(self) -> None:
        self.dismiss(None)
