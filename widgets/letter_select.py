"""A closed drop-down that takes letters: with the focus on it (not opened), a letter
picks the next choice that starts with it ("h" hot, "w" warm, "c" cool; "c" again
cycles among the choices with that letter), as the log dialog's letters do. The open
list keeps Select's own type-to-search."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.widgets import Select

T = TypeVar("T")


class LetterSelect(Select[T]):
    async def _on_key(self, event: events.Key) -> None:
        character = event.character
        if self.expanded or character is None or not character.isalpha() or len(character) != 1:
            return
        letter = character.casefold()
        starting = [
            value
            for prompt, value in self._options
            if str(prompt).casefold().startswith(letter) and value is not Select.BLANK
        ]
        if not starting:
            return
        event.stop()
        event.prevent_default()
        current = self.value
        at = starting.index(current) if current in starting else -1
        self.value = starting[(at + 1) % len(starting)]
