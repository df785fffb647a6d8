"""Contact CSV files, read with the csv module: Google (legacy and 2023+), Outlook,
Outlook.com (also localised, such as German Outlook 2013), LinkedIn Connections.csv
(with or without its "Notes:" preamble), followup's own CSV export, and any CSV with
a name column and an email or phone column.

The header row is found by content (the first of the opening rows that names a
person and a way to reach them), and each column is classed by its header.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from store.importing.records import Candidate, Problem, Reading, candidate, tag_list

_HEADER_SEARCH = 30  # rows looked at for the header (LinkedIn's preamble is 3)
_ERRORS_MAX = 1000  # a binary file read as CSV stops being read after this many

# Word boundaries inside a header: firstName -> first Name, Email1 -> Email 1.
_CAMEL = re.compile(r"(?<=[^\W\d_])(?<=[^\WA-Z_])(?=[A-Z])|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_SEPARATORS = re.compile(r"[\W_]+")  # spaces, -, _, ., /, (, ), :, ...


def _key(cell: str) -> str:
    """A header's words, however spelt: `first_name`, `firstName`, `FIRST-NAME` and
    `First Name` are all "first name"; "E-mail 1 - Value" and "Email1Value" are
    "e mail 1 value" and "email 1 value"."""
    words = _SEPARATORS.split(_CAMEL.sub(" ", cell.strip().strip("\ufeff")))
    return " ".join(word.casefold() for word in words if word)


def _keys(*headers: str) -> set[str]:
    return {_key(header) for header in headers}


_FULL = _keys("name", "full name", "display name", "fullname")
_GIVEN = _keys("given name", "first name", "firstname", "vorname", "prénom", "prenom")
_MIDDLE = _keys("additional name", "middle name", "weitere vornamen")
_FAMILY = _keys("family name", "last name", "lastname", "surname", "nachname", "nom")
_PREFIX = _keys("name prefix", "anrede", "prefix")
_SUFFIX = _keys("name suffix", "suffix")
_COMPANY = _keys(
    "company", "organization 1 - name", "organization name", "organization", "organisation", "org",
    "firma", "société", "societe", "unternehmen",
)  # fmt: skip
_ROLE = _keys(
    "job title", "organization 1 - title", "organization title", "position", "role",
    "beruf", "fonction",
)  # fmt: skip
_GROUPS = _keys("group membership", "labels", "categories", "kategorien", "tags", "catégories")
_NOT_REACH = ("type", "label", "display", "angezeigt", "typ", "yomi", "phonetic")
_PHONE_WORDS = ("phone", "telefon", "mobile", "mobil", "handy", "téléphone", "cell")
_GROUP_SPLIT = re.compile(r":::|;")


@dataclass
class _Columns:
    full: int | None = None
    given: int | None = None
    middle: int | None = None
    family: int | None = None
    prefix: int | None = None
    suffix: int | None = None
    company: int | None = None
    role: int | None = None
    emails: list[tuple[int, int | None]] = field(default_factory=list)  # value, its type
    phones: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)

    @property
    def names_someone(self) -> bool:
        named = self.full is not None or self.given is not None or self.family is not None
        return named and bool(self.emails or self.phones or self.company is not None)


def _classify(header: list[str]) -> _Columns:
    keys = [_key(cell) for cell in header]
    cols = _Columns()
    has_job_title = "job title" in keys
    singles = (
        ("full", _FULL), ("given", _GIVEN), ("middle", _MIDDLE), ("family", _FAMILY),
        ("prefix", _PREFIX), ("suffix", _SUFFIX), ("company", _COMPANY), ("role", _ROLE),
    )  # fmt: skip
    phones: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if key == "title":  # Outlook's "Title" is "Mr."; elsewhere it is the job
            attr = "prefix" if has_job_title else "role"
            if getattr(cols, attr) is None:
                setattr(cols, attr, index)
            continue
        for attr, words in singles:
            if key in words and getattr(cols, attr) is None:
                setattr(cols, attr, index)
                break
        else:
            if key in _GROUPS:
                cols.groups.append(index)
            elif "mail" in key and not any(w in key for w in _NOT_REACH):
                cols.emails.append((index, _type_column(keys, index)))
            elif any(w in key for w in _PHONE_WORDS) and not any(
                w in key for w in (*_NOT_REACH, "fax")
            ):
                rank = 0 if ("primary" in key or "haupt" in key) else 1
                rank = rank if rank == 0 or not ("mobil" in key or "cell" in key) else 0
                phones.append((rank, index))
    cols.phones = [index for _rank, index in sorted(phones)]
    return cols


def _type_column(keys: list[str], index: int) -> int | None:
    """Google's "E-mail 1 - Type" (or "- Label") beside "E-mail 1 - Value" (as keys:
    "e mail 1 type" beside "e mail 1 value")."""
    key = keys[index]
    if not key.endswith(" value"):
        return None
    stem = key[: -len(" value")]
    for suffix in (" type", " label"):
        if stem + suffix in keys:
            return keys.index(stem + suffix)
    return None


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 (Outlook, old Google)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _rows(lines: Iterable[str], file: str, reading: Reading) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each record; a row csv can't read is reported."""
    reader = csv.reader(lines)
    errors = 0
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            errors += 1
            reading.problems.append(Problem(file, f"line {start}", f"can't be read ({error})"))
            start = reader.line_num + 1
            if errors >= _ERRORS_MAX:
                return
            continue
        yield start, row
        start = reader.line_num + 1


NOT_CONTACTS = "not a contact file (no header with a name and an email or phone)"


def _header(rows: Iterator[tuple[int, list[str]]]) -> _Columns | None:
    """The columns of the first of the opening rows that names a person and a way to
    reach them (the rows before it are read and left)."""
    for looked, (_line, row) in enumerate(rows, 1):
        found = _classify(row)
        if found.names_someone:
            return found
        if looked >= _HEADER_SEARCH:
            return None
    return None


def _people(
    rows: Iterator[tuple[int, list[str]]], cols: _Columns, file: str, reading: Reading
) -> Iterator[Candidate]:
    """The person of each row after the header; a row without one is a warning."""
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        person = _candidate(row, cols, f"{file}: line {line}")
        if person is None:
            if any(cell.strip() for i, cell in enumerate(row) if i not in _date_like(row)):
                reading.warnings.append(Problem(file, f"line {line}", "no name, email or phone"))
            continue
        yield person


def read(data: bytes, file: str) -> Reading:
    """A CSV file's bytes, read at once (see `read_path` for a file read as it goes)."""
    reading = Reading()
    csv.field_size_limit(1 << 20)
    rows = _rows(io.StringIO(decode(data), newline=""), file, reading)
    cols = _header(rows)
    if cols is None:
        reading.problems = [Problem(file, "", NOT_CONTACTS)]
        return reading
    reading.candidates.extend(_people(rows, cols, file, reading))
    return reading


def read_path(path: Path, file: str) -> Reading:
    """A CSV file read as it goes: its header now, its people as the import takes them
    (`Reading.streams`), so memory holds one row at a time, not the file. The encoding is
    decided first, in one pass over the bytes: UTF-8 (a BOM or none), else Windows-1252."""
    reading = Reading()
    csv.field_size_limit(1 << 20)
    handle = path.open(encoding=_encoding(path), errors="replace", newline="")
    try:
        rows = _rows(handle, file, reading)
        cols = _header(rows)
    except BaseException:
        handle.close()
        raise
    if cols is None:
        handle.close()
        reading.problems = [Problem(file, "", NOT_CONTACTS)]
        return reading
    reading.streams.append(_stream(handle, _people(rows, cols, file, reading), file, reading))
    return reading


def _stream(
    handle: TextIO, people: Iterator[Candidate], file: str, reading: Reading
) -> Iterator[Candidate]:
    with handle:
        try:
            yield from people
        except OSError as error:
            reading.problems.append(Problem(file, "", f"reading stopped ({error.strerror})"))


def _encoding(path: Path) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as source:
        try:
            while chunk := source.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _date_like(row: list[str]) -> set[int]:
    """LinkedIn's hidden members are rows with only a date: not worth a warning."""
    return {i for i, cell in enumerate(row) if re.fullmatch(r"[\w -]{6,12}", cell.strip())}


def _candidate(row: list[str], cols: _Columns, where: str) -> Candidate | None:
    def cell(index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    emails: list[tuple[bool, str]] = []
    for value_col, type_col in cols.emails:
        for address in re.split(r"\s*:::\s*", cell(value_col)):
            emails.append((not cell(type_col).startswith("*"), address))
    emails.sort(key=lambda e: e[0])  # Google marks the primary address "* Home"
    groups: list[str] = []
    for index in cols.groups:
        groups.extend(_GROUP_SPLIT.split(cell(index)))
    parts = tuple(cell(i) for i in (cols.prefix, cols.given, cols.middle, cols.family, cols.suffix))
    full = cell(cols.full)
    whole = " ".join(" ".join(p for p in parts if p).split())
    if whole.casefold().startswith(full.casefold()) and len(whole) > len(full):
        full = whole  # Google's "Name" can be the given name alone ("axel" of "axel gert")
    return candidate(
        where=where,
        full_name=full,
        name_parts=parts,
        company=cell(cols.company),
        role=cell(cols.role),
        emails=[address for _primary, address in emails],
        phones=[cell(i) for i in cols.phones],
        tags=tag_list(groups),
    )
