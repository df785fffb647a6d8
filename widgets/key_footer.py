"""A Footer that rebuilds itself only when the keys it shows have changed.

Textual's Footer recomposes (removes and mounts one widget per key, then restyles them)
on every signal that the bindings *might* have changed: each focus change, each screen
pushed or popped. On a dashboard whose keys are the same in every column that was
50-100 ms of work on a key press that only moved the focus. KeyFooter compares what it
would show (key, description, enabled) with what it showed last, and skips the rebuild
when nothing differs (through Footer's rebuild hook: widgets/textual_compat.py).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from widgets.textual_compat import RecomposeHookFooter

Shown = tuple[tuple[str, str, str, str, bool, str], ...]


def shown_keys(screen: Screen[Any]) -> Shown:
    """What a footer on `screen` shows now: one entry per visible key."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (key, binding.action, binding.description, binding.key_display or "", enabled, tip)
        for key, (_node, binding, enabled, tip) in screen.active_bindings.items()
        if binding.show or key == palette
    )


class KeyFooter(RecomposeHookFooter):
    """Footer(compact=...) with the same look, rebuilt only when its keys change."""

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: Shown | None = None

    def needs_rebuild(self, screen: Screen[Any]) -> bool:
        if screen is not self.screen or not screen.app.app_focus or not self.is_attached:
            return True  # Footer rebuilds nothing then: remember nothing
        shown = shown_keys(screen)
        if shown == self._shown:
            return False
        self._shown = shown
        return True
