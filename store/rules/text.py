"""Safe text: what may reach the terminal, and what may be stored.

Text from the database (names, notes, imported fields) goes through `clean` (one
line) or `clean_block` (several lines) before it is shown, so that no escape
sequence, control character or bidi override ever reaches the terminal.
`check_name` and `check_text` clean and check what the user types before it is stored.

Plain Python: imports no Textual.
"""

from __future__ import annotations

import re

from store.errors import InputError
from store.model import NAME_MAX, TEXT_MAX

# Anything worth a second look; most text has none of it and is returned as it is.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)

# Escape sequences, removed whole so that no parameter text ("[2J", "]0;title") is left.
_SEQUENCE = re.compile(
    # CSI: ESC [ or the 8-bit CSI, parameter bytes, intermediate bytes, a final byte.
    "(?:\x1b\\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    # Strings (OSC, DCS, SOS, PM, APC, 7-bit or 8-bit), up to BEL or ST (ESC \ or 0x9c);
    # one left open runs to the next ESC or to the end, as a terminal would swallow it.
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
    # Every other ESC sequence: ESC, intermediate bytes, a final byte.
    "|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
# C0 and C1 controls, DEL, bidi overrides and isolates, and the byte order mark; line
# breaks and tabs are left for _BREAKS / _BLOCK_BREAKS.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_BREAKS = re.compile(" *[\t\n\x0b\x0c\r\x85\u2028\u2029]+ *")
_BLOCK_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_TABS = re.compile("\t+")
# Lone surrogates (undecodable bytes from argv or a file) can't be printed or stored.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _strip(text: str) -> str:
    """Remove escape sequences and control characters other than line breaks and tabs."""
    text = _SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def clean(text: str) -> str:
    """`text` made safe for one line of a terminal.

    Escape sequences (CSI, OSC, DCS and the like, 7-bit or 8-bit) are removed whole;
    every other C0 or C1 control character, DEL, bidi override or isolate and byte order
    mark is removed; a run of line breaks and tabs becomes a single space. Lone surrogates
    become U+FFFD.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _BREAKS.sub(" ", _strip(text))


def clean_block(text: str) -> str:
    """Like `clean`, but keeps line breaks (as "\\n") for text shown on several lines.

    "\\r\\n", "\\r" and the other line separators become "\\n"; a run of tabs becomes a space.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _TABS.sub(" ", _BLOCK_BREAKS.sub("\n", _strip(text)))


def check_name(name: str) -> str:
    """A contact's name as it is stored: cleaned, trimmed, inner whitespace collapsed.

    Raises InputError when nothing is left or the name is longer than NAME_MAX.
    """
    cleaned = " ".join(clean(name).split())
    if not cleaned:
        raise InputError("a name is required")
    if len(cleaned) > NAME_MAX:
        raise InputError(f"a name can be at most {NAME_MAX} characters (got {len(cleaned)})")
    return cleaned


def check_text(value: str, field: str, limit: int = TEXT_MAX) -> str:
    """A free-text field (note, goal, next step...) as it is stored: control characters
    and escape sequences removed, line breaks kept as "\\n", trimmed.

    Raises InputError naming `field` when the text is longer than `limit` characters.
    """
    cleaned = clean_block(value).strip()
    if len(cleaned) > limit:
        raise InputError(f"the {field} can be at most {limit} characters (got {len(cleaned)})")
    return cleaned
