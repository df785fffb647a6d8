"""Escape, then a letter typed quickly, are two keys, not alt+letter.

A terminal sends the escape key as the byte ESC alone, and alt+letter as ESC followed by
the letter. Textual 8.2 tells the two apart by time alone: after an ESC its input parser
waits up to ESCDELAY (100 ms) for the next byte, and a letter arriving within that time
makes alt+letter. Typed quickly, and over SSH or tmux where keys arrive together, the
escape that leaves a dialog and the letter after it arrive in one read: the escape is
lost, the dialog stays, and the letter lands in its field.

followup binds no alt+letter. So an alt+character that nothing on the screen binds is
read as what was typed: escape, sent the way of every key, then the character, once the
app has handled the escape (the dialog is gone), to whatever has the focus after it.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.binding import ActiveBinding

ALT = "alt+"
ESCAPE_KEPT = 0.5  # seconds: the keys after an escape a widget kept go on after this


def split_alt_key(event: events.Key, bound: Mapping[str, ActiveBinding]) -> events.Key | None:
    """The key typed after an escape, when `event` is an alt+character nothing binds;
    None for every other key."""
    character = event.character
    if (
        not event.key.startswith(ALT)
        or event.key in bound
        or character is None
        or len(character) != 1
        or not character.isprintable()
    ):
        return None
    key = event.key.removeprefix(ALT)
    if key.startswith("shift+") and character.isupper():
        key = character  # Textual's own name for a capital: "T", not "shift+t"
    return events.Key(key, character)
