"""vCard 2.1, 3.0 and 4.0, read with vobject; this module owns only the repairs.

Real exports are imperfect, so before vobject sees a card:
- line ends are made one LF (CRLF, CR CR LF, lone CR, mixed);
- folded lines are joined at byte level, before decoding, so a fold inside a UTF-8
  sequence (ownCloud) decodes;
- quoted-printable values are joined at their soft breaks, decoded in their CHARSET
  (else UTF-8, else cp1252) and handed over as plain text;
- only the properties an import uses are kept, so a bad PHOTO, KEY or AGENT can't
  lose the card;
- `ORG:Company, The` keeps its comma (literal in 2.1, often unescaped in 3.0);
- a card cut short (no END:VCARD) is closed and read for what it has.
A card vobject still can't read is reported by number; the others are imported.
"""

from __future__ import annotations

import quopri
import re
from typing import Any

from store.importing.records import Candidate, Problem, Reading, candidate, tag_list

# The properties read for a contact; every other one is left out before parsing.
_KEEP = frozenset({b"FN", b"N", b"ORG", b"TITLE", b"ROLE", b"EMAIL", b"TEL", b"CATEGORIES"})
_LINE_END = re.compile(rb"\r*\n|\r")
_FOLD = re.compile(rb"\n[ \t]")
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


def looks_like(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return head.startswith(b"BEGIN:VCARD") or b"\nBEGIN:VCARD" in head


def read(data: bytes, file: str) -> Reading:
    """Every card of a vCard file: candidates, and a problem for each card not read."""
    reading = Reading()
    for number, lines, closed in _cards(data):
        where = f"card {number}"
        if not closed:
            reading.warnings.append(Problem(file, where, "no END:VCARD (cut short?); read as is"))
        try:
            found = _read_card(lines, f"{file}: {where}")
        except Exception as error:  # vobject raises many kinds; the card is reported
            reading.problems.append(Problem(file, where, _say(error)))
            continue
        if found is None:
            reading.problems.append(Problem(file, where, "no name, email or phone"))
        else:
            reading.candidates.append(found)
    if not reading.candidates and not reading.problems:
        reading.problems.append(Problem(file, "", "no vCard in the file"))
    return reading


def _say(error: Exception) -> str:
    text = " ".join(str(error).split())[:120]
    return f"can't be read ({text})" if text else f"can't be read ({type(error).__name__})"


def _cards(data: bytes) -> list[tuple[int, list[bytes], bool]]:
    """The cards of a file as (number, logical lines, closed by END:VCARD)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = _FOLD.sub(b"", _LINE_END.sub(b"\n", data))
    cards: list[tuple[int, list[bytes], bool]] = []
    current: list[bytes] | None = None
    nested = 0  # inside a 2.1 AGENT's own vCard, which is not a contact of the file
    for line in _joined_soft_breaks(data.split(b"\n")):
        word = line.strip().upper()
        if nested:
            nested += (word == b"BEGIN:VCARD") - (word == b"END:VCARD")
            continue
        if word == b"BEGIN:VCARD" and current and current[-1].upper().startswith(b"AGENT"):
            nested = 1
            continue
        if word == b"BEGIN:VCARD":
            if current is not None:
                cards.append((len(cards) + 1, current, False))
            current = []
        elif word == b"END:VCARD":
            if current is not None:
                cards.append((len(cards) + 1, current, True))
            current = None
        elif current is not None and line.strip():
            current.append(line)
    if current is not None:
        cards.append((len(cards) + 1, current, False))
    return cards


def _joined_soft_breaks(lines: list[bytes]) -> list[bytes]:
    """Quoted-printable values continued on the next line after a final "="."""
    out: list[bytes] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        head = line.split(b":", 1)[0].upper()
        if b"QUOTED-PRINTABLE" in head:
            while line.endswith(b"=") and index < len(lines):
                line = line[:-1] + lines[index]
                index += 1
        out.append(line)
    return out


def _read_card(lines: list[bytes], where: str) -> Candidate | None:
    import vobject

    text = _card_text(lines)
    card = vobject.readOne(text, allowQP=True)
    contents: dict[str, list[Any]] = card.contents
    fn = _first_text(contents.get("fn"))
    parts: tuple[str, ...] = ()
    if contents.get("n"):
        n = contents["n"][0].value
        keys = ("prefix", "given", "additional", "family", "suffix")
        parts = tuple(_text(getattr(n, key, "")) for key in keys)
    company = ""
    if contents.get("org"):
        org = contents["org"][0].value
        company = _text(org[0] if isinstance(org, list) and org else org)
    role = _first_text(contents.get("title")) or _first_text(contents.get("role"))
    emails = [_text(e.value) for e in _preferred_first(contents.get("email", []))]
    phones = [_text(t.value) for t in _preferred_first(contents.get("tel", []))]
    phones = [p[4:] if p[:4].casefold() == "tel:" else p for p in phones]  # 4.0's URIs
    categories: list[str] = []
    for line in contents.get("categories", []):
        value = line.value
        categories.extend(value if isinstance(value, list) else str(value).split(","))
    return candidate(
        where=where,
        full_name=fn,
        name_parts=parts,
        company=company,
        role=role,
        emails=emails,
        phones=phones,
        tags=tag_list([str(c) for c in categories]),
    )


def _card_text(lines: list[bytes]) -> str:
    """The card as clean vCard 3.0 text that vobject reads, keeping only `_KEEP`."""
    out = ["BEGIN:VCARD", "VERSION:3.0"]
    for line in lines:
        name_part, colon, raw_value = line.partition(b":")
        if not colon:
            continue  # a stray line (base64 of a dropped photo, a cut-off property)
        params = name_part.split(b";")
        prop = params[0].rsplit(b".", 1)[-1].strip().upper()  # item1.EMAIL -> EMAIL
        if prop not in _KEEP:
            continue
        value, kept = _decoded(raw_value, params[1:])
        if prop == b"ORG":
            value = _UNESCAPED_COMMA.sub(r"\\,", value)
        if prop in (b"FN", b"TITLE", b"ROLE", b"EMAIL", b"TEL"):
            value = value.replace(";", r"\;") if "\\;" not in value else value
        head = ";".join([prop.decode("ascii", "replace"), *kept])
        out.append(f"{head}:{value}")
    out.append("END:VCARD")
    return "\r\n".join(out) + "\r\n"


def _decoded(raw: bytes, params: list[bytes]) -> tuple[str, list[str]]:
    """A value as text, and the parameters vobject still needs (types, pref)."""
    charset = ""
    quoted = False
    kept: list[str] = []
    for param in params:
        key, eq, val = param.partition(b"=")
        key_up = key.strip().upper()
        if key_up == b"CHARSET" and eq:
            charset = val.strip(b"\"' ").decode("ascii", "replace")
        elif key_up == b"ENCODING" and eq:
            quoted = val.strip().upper() in (b"QUOTED-PRINTABLE", b"QP")
        elif key_up == b"QUOTED-PRINTABLE" and not eq:
            quoted = True
        else:
            word = _as_text(param.strip(), "")
            types = word if eq else f"TYPE={word}"
            if types and all(ch.isalnum() or ch in '=-_,"' for ch in types):
                kept.append(types)
    data = quopri.decodestring(raw) if quoted else raw
    text = _as_text(data, charset)
    if quoted:  # decoded line breaks become escapes
        text = text.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n")
        text = text.replace("\r", "\\n")
    return text, kept


def _as_text(data: bytes, charset: str) -> str:
    if charset:
        try:
            return data.decode(charset, "replace").replace("\ufffd", "")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace").replace("\ufffd", "")


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v)
    return "" if value is None else str(value)


def _first_text(lines: list[Any] | None) -> str:
    for line in lines or []:
        text = _text(line.value).strip()
        if text:
            return text
    return ""


def _is_preferred(line: Any) -> bool:
    for key, values in getattr(line, "params", {}).items():
        if key.upper() == "PREF":
            return True
        if key.upper() == "TYPE" and any(str(v).upper() == "PREF" for v in values):
            return True
    return False


def _preferred_first(lines: list[Any]) -> list[Any]:
    return sorted(lines, key=lambda line: not _is_preferred(line))
