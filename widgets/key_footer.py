"""A Footer that rebuilds itself only when the keys it shows have changed.

Textual's Footer recomposes (removes and mounts one widget per key, then restyles them)
on every signal that the bindings *might* have changed: each focus change, each screen
pushed or popped. On a dashboard whose keys are the same in every column that was
50-100 ms of work on a key press that only moved the focus. KeyFooter compares what it
would show (key, description, enabled) with what it showed last, and skips the rebuild
when nothing differs.

On a narrow screen (the class `-narrow`) it puts its keys three to a line, on as many
lines as they need, instead of cutting off those past the right edge.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, str, str, bool, str], ...]


def shown_keys(screen: Screen[Any]) -> Shown:
    """What a footer on `screen` shows now: one entry per visible key."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (key, binding.action, binding.description, binding.key_display or "", enabled, tip)
        for key, (_node, binding, enabled, tip) in screen.active_bindings.items()
        if binding.show or key == palette
    )


class KeyFooter(Footer):
    """Footer(compact=...) with the same look, rebuilt only when its keys change."""

    NARROW_KEYS = 3  # keys to a line on a narrow screen (44 columns: whole words)

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: Shown | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen or not screen.app.app_focus or not self.is_attached:
            super().bindings_changed(screen)  # nothing is rebuilt: remember nothing
            return
        shown = shown_keys(screen)
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        self._keys = self.styles.grid_size_columns  # Footer's grid: one column a key
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """One line of keys, or on a narrow screen NARROW_KEYS to a line."""
        keys = getattr(self, "_keys", None)
        if keys is None or not self.is_attached:
            return
        narrow = self.screen.has_class("-narrow")
        columns = min(keys, self.NARROW_KEYS) if narrow else keys
        if self.styles.grid_size_columns != columns:
            self.styles.grid_size_columns = columns
