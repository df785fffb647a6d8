"""The narrow dashboard's heat line: "hot 3 · warm 7 · cool 12" with the heat shown
marked, and the keys that switch to the next one.

Below 60 columns the dashboard shows one heat column at a time; this line says which
one, how many each heat holds, and how to get to the others. The parent sets `heats`
(name and count of each) and `current`.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

HEAT_STYLE = {"hot": "$error", "warm": "$warning", "cool": "$primary"}


def tabs_content(heats: tuple[tuple[str, str], ...], current: int) -> Content:
    """The heats with their counts, the current one reversed and bracketed (so it is
    marked without colour too), then the switching keys."""
    parts: list[Content | str | tuple[str, str]] = []
    for index, (heat, count) in enumerate(heats):
        if index:
            parts.append((" · ", "$text-muted"))
        colour = HEAT_STYLE.get(heat, "")
        if index == current:
            parts.append((f"[{heat} {count}]", f"bold reverse {colour}"))
        else:
            parts.append((f"{heat} {count}", colour))
    parts.append(("  tab h/l", "$text-muted"))
    return Content.assemble(*parts)


class HeatTabs(Widget):
    """Which heat the narrow dashboard shows, of all three, and how to switch."""

    DEFAULT_CSS = """
    HeatTabs {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    heats: reactive[tuple[tuple[str, str], ...]] = reactive(())
    current: reactive[int] = reactive(0)

    def show(self, heats: tuple[tuple[str, str], ...], current: int) -> None:
        """Set both at once (one redraw, and none when nothing changed)."""
        self.heats = heats
        self.current = current

    @property
    def text(self) -> str:
        return tabs_content(self.heats, self.current).plain

    def render(self) -> Content:
        return tabs_content(self.heats, self.current)
