"""A Footer that keeps its most needed keys in sight, and rebuilds itself only when the
keys it shows have changed.

Keys that fit: Textual's Footer lays its keys in one row and cuts off those past the
right edge, under the command palette's key: at 60 columns Help and Quit were gone (the
review's Leave too). KeyFooter is given the actions that matter most, in order (`keep`);
when not every key fits, it shows the ones that fit taken in that order (any not named
after them, in their own order), each where it stands in the row. The rest stay in the
help screen and the command palette (ctrl+p).

Rebuilds: Textual's Footer recomposes (removes and mounts one widget per key, then
restyles them) on every signal that the bindings *might* have changed: each focus
change, each screen pushed or popped. On a dashboard whose keys are the same in every
column that was 50-100 ms of work on a key press that only moved the focus. KeyFooter
compares what it would show (key, description, enabled) with what it showed last, and
skips the rebuild when nothing differs (through Footer's rebuild hook:
widgets/textual_compat.py). When only which keys are available differs (`u` after a
change, and again after its undo), those keys' widgets are changed in place.

On a narrow screen (the class `-narrow`) it shows every key, three to a line, on as many
lines as they need.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget

from widgets.textual_compat import FooterKey, RecomposeHookFooter, set_footer_key_enabled

Shown = tuple[tuple[str, str, str, str, bool, str], ...]

PALETTE = "-command-palette"  # the class of the palette's key, docked on the right


def shown_keys(screen: Screen[Any]) -> Shown:
    """What a footer on `screen` shows now: one entry per visible key."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (key, binding.action, binding.description, binding.key_display or "", enabled, tip)
        for key, (_node, binding, enabled, tip) in screen.active_bindings.items()
        if binding.show or key == palette
    )


class KeyFooter(RecomposeHookFooter):
    """Footer(compact=...) with the same look, showing first the actions in `keep`
    when not every key fits, rebuilt only when its keys or its width change."""

    NARROW_KEYS = 3  # keys to a line on a narrow screen (44 columns: whole words)

    DEFAULT_CSS = """
    KeyFooter FooterKey.-command-palette, KeyFooter.-compact FooterKey.-command-palette {
        margin-right: 0;  /* a margin left the last column to the key beneath */
        padding-right: 1;
    }
    """

    def __init__(
        self, *, compact: bool = False, keep: Sequence[str] = (), id: str | None = None
    ) -> None:
        super().__init__(compact=compact, id=id)
        self.keep = tuple(keep)
        self._shown: Shown | None = None
        self._width = 0  # the width the keys were fitted to

    def needs_rebuild(self, screen: Screen[Any]) -> bool:
        if screen is not self.screen or not screen.app.app_focus or not self.is_attached:
            return True  # Footer rebuilds nothing then: remember nothing
        shown, before = shown_keys(screen), self._shown
        if shown == before:
            return False
        self._shown = shown
        return before is None or not self._enable_in_place(before, shown)

    def _enable_in_place(self, before: Shown, shown: Shown) -> bool:
        """When only which keys are available changed (`u` after a change), show that on
        the keys' widgets, after the next frame as a rebuild would be (restyling a key
        costs 2-3 ms); False when a rebuild is needed."""
        if [k[:4] + k[5:] for k in before] != [k[:4] + k[5:] for k in shown]:
            return False
        if not self._enabled_of(shown):
            return False
        self.call_after_refresh(self._enable, shown)
        return True

    def _enabled_of(self, shown: Shown) -> list[tuple[FooterKey, bool]] | None:
        """Each key widget shown, and whether `shown` has it available; None when a
        widget is not among `shown`."""
        enabled = {(key, action): on for key, action, _, _, on, _ in shown}
        widgets = [(widget, enabled.get((widget.key, widget.action))) for widget in self.keys()]
        if not widgets or any(on is None for _, on in widgets):
            return None
        return [(widget, bool(on)) for widget, on in widgets]

    def _enable(self, shown: Shown) -> None:
        if shown != self._shown:
            return  # changed again since: that change has shown itself
        widgets = self._enabled_of(shown)
        if widgets is None:  # rebuilt since with other keys
            self._shown = None
            self.call_after_refresh(self.recompose)
            return
        for widget, on in widgets:
            if widget.has_class("-disabled") is on:  # only the keys that changed
                set_footer_key_enabled(widget, on)

    def keys(self) -> list[FooterKey]:
        """The key widgets shown."""
        return list(self.query(FooterKey))

    def compose(self) -> ComposeResult:
        self._width = self.app.size.width
        keys = list(super().compose())
        self._keys = self.styles.grid_size_columns  # Footer's grid: one column a key
        if not self._narrow():
            keys = fitted(keys, self._width, self.keep, compact=self.compact)
        self._fit()
        return keys

    def on_resize(self, event: events.Resize) -> None:
        if self._width and self.app.size.width != self._width:
            self.call_after_refresh(self.recompose)
        else:
            self._fit()

    def _narrow(self) -> bool:
        return self.is_attached and self.screen.has_class("-narrow")

    def _fit(self) -> None:
        """One line of keys, or on a narrow screen NARROW_KEYS to a line."""
        keys = getattr(self, "_keys", None)
        if keys is None or not self.is_attached:
            return
        columns = min(keys, self.NARROW_KEYS) if self._narrow() else keys
        if self.styles.grid_size_columns != columns:
            self.styles.grid_size_columns = columns


def key_width(key: Widget, *, compact: bool) -> int:
    """The cells a footer key takes in the row (Footer's styles: the key, a space, the
    description, a margin or padding; the palette's key a border more)."""
    text = cell_len(getattr(key, "key_display", "")) + cell_len(getattr(key, "description", ""))
    width = text + (2 if compact else 3)
    return width + 1 if key.has_class(PALETTE) else width


def fitted(keys: list[Widget], width: int, keep: Iterable[str], *, compact: bool) -> list[Widget]:
    """The keys of a footer `width` cells wide that fit in its row: all when they do,
    else those that fit taken in the order of `keep` (actions), then the rest in theirs."""
    palette = [key for key in keys if key.has_class(PALETTE)]
    row = [key for key in keys if not key.has_class(PALETTE)]
    room = width - sum(key_width(key, compact=compact) for key in palette)
    room += 1  # the last key's margin may go under the palette's key
    widths = {key: key_width(key, compact=compact) for key in row}
    if sum(widths.values()) <= room:
        return keys
    rank = {action: place for place, action in enumerate(keep)}
    chosen: set[Widget] = set()
    for key in sorted(row, key=lambda key: rank.get(getattr(key, "action", ""), len(rank))):
        if widths[key] <= room:
            chosen.add(key)
            room -= widths[key]
    return [key for key in row if key in chosen] + palette
