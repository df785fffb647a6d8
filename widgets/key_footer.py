"""A Footer that rebuilds itself only when the keys it shows have changed.

Textual's Footer recomposes (removes and mounts one widget per key, then restyles them)
on every signal that the bindings *might* have changed: each focus change, each screen
pushed or popped. On a dashboard whose keys are the same in every column that was
50-100 ms of work on a key press that only moved the focus. KeyFooter compares what it
would show (key, description, enabled) with what it showed last, and skips the rebuild
when nothing differs.
"""

from __future__ import annotations

from typing import Any

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
