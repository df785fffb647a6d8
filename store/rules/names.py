"""Finding a contact from what the user typed: "#12", a name, a prefix, or a part that
starts a word ("berg" finds Anna Berg; "anna" does not find Hannah).

Names are compared folded (`fold`): case folded, whitespace runs made one space, and
accents and the like taken off ("zoe" finds Zoë, "lodz" finds Łódź).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from store.errors import Ambiguous, InputError, NotFound
from store.model import BadRecord, Contact

MAX_CLOSE = 5  # near misses listed when nothing matches
MAX_LISTED = 10  # candidates listed when several match
CUTOFF = 0.6  # difflib similarity of a near miss
ID_RE = re.compile(r"#\s*(\d+)")
# Letters that carry no accent to take off, but that people type without their stroke.
_STROKES = "øłđħıæœþ"
_PLAIN = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
# The combining marks (accents and the like) that a decomposed letter carries.
_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"


@cache
def _marks() -> re.Pattern[str]:
    return re.compile(_MARKS)  # on first use: importing compiles nothing


def fold(name: str) -> str:
    """A name as names are compared: whitespace runs made one space, case folded, accents
    taken off ("Zoë" is "zoe", "Łódź" is "lodz"). Only for comparing: a folded name is
    left decomposed (both sides of a comparison are folded alike)."""
    folded = " ".join(name.split()).casefold()
    if folded.isascii():
        return folded
    bare = _marks().sub("", unicodedata.normalize("NFKD", folded).casefold())
    if not bare.isascii() and any(letter in bare for letter in _STROKES):
        bare = bare.translate(_PLAIN)
    return bare


def starts_a_word(wanted: str, name: str, *, whole: bool = False) -> bool:
    """Whether `wanted` (folded) is in `name` (folded) where a word of it starts (and,
    `whole`, where one ends: "berg" is a whole word of "anna berg", not of "bergström")."""
    at = name.find(wanted)
    while at >= 0:
        end = at + len(wanted)
        if (at == 0 or not name[at - 1].isalnum()) and (
            not whole or end == len(name) or not name[end].isalnum()
        ):
            return True
        at = name.find(wanted, at + 1)
    return False


def contacts_holding(docs: dict[str, Any], text: str) -> list[Contact] | None:
    """The active contacts whose name holds `text` as `match_contact` compares names (every
    name, prefix or word match is among them), built alone; None for an #id or an empty
    text."""
    wanted = fold(text)
    if not wanted or ID_RE.fullmatch(wanted):
        return None
    found = []
    for key, doc in docs.items():
        if doc.__class__ is dict and wanted in fold(str(doc.get("name", ""))):
            try:
                contact = Contact.from_doc(doc, int(key))
            except (BadRecord, ValueError):
                continue
            if contact.status == "active":
                found.append(contact)
    return found


def named(
    text: str,
    keys_named: Callable[[str], list[str] | None],
    record: Callable[[str], Any],
    everything: Callable[[], dict[str, Any]],
) -> list[Contact] | None:
    """The active contacts a name, prefix or word `text` can match, reading only
    their records where the names index allows; None for an #id or an empty text.
    `keys_named` is given the text folded as `fold` does."""
    wanted = fold(text)
    keys = keys_named(wanted) if wanted and not ID_RE.fullmatch(wanted) else None
    if keys is None:
        return contacts_holding(everything(), text)
    docs = {key: record(key) for key in keys}
    return contacts_holding({k: d for k, d in docs.items() if d is not None}, text)


def describe(contact: Contact) -> str:
    """A contact as a candidate line: "Anna Berg (#12, Acme)"."""
    extra = [f"#{contact.id}"] if contact.id else []
    if contact.company.strip():
        extra.append(" ".join(contact.company.split()))
    name = " ".join(contact.name.split())
    return f"{name} ({', '.join(extra)})" if extra else name


def match_contact(query: str, contacts: Sequence[Contact]) -> Contact:
    """The one contact `query` names: by #id, exact name, unique prefix, unique whole
    word(s), unique part that starts a word (all compared folded: case and accents aside).

    The first rule that matches anything decides; several matches there raise
    `Ambiguous`, none at all raises `NotFound` with close names.
    """
    wanted = fold(query)
    if not wanted:
        raise InputError("no contact name given")
    by_id = ID_RE.fullmatch(wanted)
    if by_id:
        number = int(by_id.group(1))
        for contact in contacts:
            if contact.id == number:
                return contact
        raise NotFound(f"no contact #{number}")
    names = [(fold(c.name), c) for c in contacts]
    rules = (
        lambda n: n == wanted,
        lambda n: n.startswith(wanted),
        lambda n: starts_a_word(wanted, n, whole=True),
        lambda n: starts_a_word(wanted, n),
    )
    for rule in rules:
        found = [c for n, c in names if rule(n)]
        if len(found) == 1:
            return found[0]
        if found:
            found.sort(key=lambda c: (fold(c.name), c.id))
            listed = [describe(c) for c in found[:MAX_LISTED]]
            more = f" and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
            raise Ambiguous(
                f"{query.strip()!r} matches {len(found)} contacts: {', '.join(listed)}{more}",
                candidates=listed,
            )
    raise NotFound(f"no contact matches {query.strip()!r}", candidates=_close(wanted, names))


def _close(wanted: str, names: list[tuple[str, Contact]]) -> list[str]:
    """Up to five contacts whose name, or a word of it, looks like `wanted`."""
    from difflib import SequenceMatcher  # only when nothing matched

    matcher = SequenceMatcher()
    matcher.set_seq2(wanted)  # difflib caches details of the second sequence
    scored: list[tuple[float, str, Contact]] = []
    for name, contact in names:
        score = 0.0
        for part in (name, *name.split()):
            matcher.set_seq1(part)
            if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
                score = max(score, matcher.ratio())
        if score >= CUTOFF:
            scored.append((-score, name, contact))
    scored.sort(key=lambda s: (s[0], s[1], s[2].id))
    return [describe(c) for _, _, c in scored[:MAX_CLOSE]]
