"""A closed drop-down that takes letters: with the focus on it (not opened), a letter
picks the next choice that starts with it ("h" hot, "w" warm, "c" cool; "c" again
cycles among the choices with that letter), as the log dialog's letters do. The open
list keeps Select's own type-to-search."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from rich.console import RenderableType
from textual import events
from textual.widgets import Select

T = TypeVar("T")


class LetterSelect(Select[T]):
    """Select's public API only: it keeps its own list of the choices' prompts (given to
    the constructor or to `set_options`)."""

    def __init__(self, options: Iterable[tuple[RenderableType, T]], **kwargs: Any) -> None:
        self._letter_choices = list(options)
        super().__init__(self._letter_choices, **kwargs)

    def set_options(self, options: Iterable[tuple[RenderableType, T]]) -> None:
        self._letter_choices = list(options)
        super().set_options(self._letter_choices)

    async def on_key(self, event: events.Key) -> None:
        character = event.character
        if self.expanded or character is None or not character.isalpha() or len(character) != 1:
            return
        letter = character.casefold()
        starting = [
            value
            for prompt, value in self._letter_choices
            if str(prompt).casefold().startswith(letter)
        ]
        if not starting:
            return
        event.stop()
        event.prevent_default()
        current = self.value
        at = starting.index(current) if current in starting else -1
        self.value = starting[(at + 1) % len(starting)]
