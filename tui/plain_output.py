"""Plain characters on a terminal that can't show more (LANG=C, or FOLLOWUP_ASCII=1).

Textual draws boxes, bars, the palette's magnifier, ⏎, ▼, · and … whatever the locale.
When the terminal can't show them, every frame the app writes goes through `plain`:
each such glyph becomes an ASCII character of the same width (a box corner "+", a
line "-" or "|", "·" ".", "…" "~", "▼" "v", "⏎" "<", an emoji "*" and a space), so the
layout stays the same. Text typed by the user stays as it is.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.driver import Driver

_FIXED = {
    "·": ".", "…": "~", "▼": "v", "▲": "^", "▶": ">", "◀": "<", "⏎": "<", "•": "*",
    "▏": "|", "▕": "|", "▎": "|", "▍": "|", "▌": "|", "▐": "|", "█": "#", "▄": "_", "▀": "-",
    "▁": "_", "▂": "_", "▃": "_", "▅": "_", "▆": "#", "▇": "#", "─": "-", "━": "-", "│": "|",
    "┃": "|", "╭": "+", "╮": "+", "╰": "+", "╯": "+", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "═": "=", "║": "|", "╔": "+", "╗": "+", "╚": "+", "╝": "+", "✓": "v", "✗": "x", "×": "x",
    "←": "<", "→": ">", "↑": "^", "↓": "v", "⌫": "<", "⏳": "!", "🔥": "*", "🔎": ">",
    "🔍": ">", "▔": "-", "€": "E", "£": "L",
}  # fmt: skip


def _replacement(char: str) -> str:
    if char in _FIXED:
        fixed = _FIXED[char]
        if unicodedata.east_asian_width(char) == "W" and len(fixed) == 1:
            return fixed + " "
        return fixed
    code = ord(char)
    if 0x2500 <= code <= 0x259F:  # other box drawing and block elements
        return "+"
    if code >= 0x1F000 or unicodedata.east_asian_width(char) == "W":  # emoji, wide
        return "* "
    if code >= 0x2000 and unicodedata.category(char).startswith("S"):  # other symbols
        return "?"
    return char


_CACHE: dict[int, str] = {}


def plain(text: str) -> str:
    """`text` with every glyph past ASCII that is not a letter made plain."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        code = ord(char)
        found = _CACHE.get(code)
        if found is None:
            found = _CACHE[code] = _replacement(char)
        out.append(found)
    return "".join(out)


def plain_driver(driver: type[Driver]) -> type[Driver]:
    """`driver`, with every frame it writes made plain."""

    class PlainDriver(driver):  # type: ignore[valid-type, misc]
        def write(self, data: str) -> None:
            super().write(plain(data))

    return PlainDriver
