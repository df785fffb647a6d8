"""The touches journal's format: checked lines and whole batches.

Every line is `CCCCCCCC JSON\\n`, CCCCCCCC the CRC-32 of the JSON bytes in 8 lowercase hex
digits; store/engine/journal.py describes the file and `Journal` reads and writes it. Here: the
line codec, the scan of whole batches, the header check, the next free id, and the atomic
whole write that compaction uses.
The records they describe, in memory: store/engine/journal_records.py.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from store.engine.atomic import NOFOLLOW, atomic_write, mode_of
from store.engine.faults import NO_FAULTS, Faults
from store.engine.files import open_regular
from store.errors import DatabaseError, describe_os_error

SCHEMA = 1
KIND = "followup"
# Compact when dead lines outnumber live records and the journal is at least this big.
COMPACT_MIN_BYTES = 256 * 1024
HEADER_MAX = 4096  # a header line is far shorter; more is not a journal


def encode(entry: Mapping[str, Any]) -> bytes:
    """One journal line."""
    body = orjson.dumps(entry)
    return b"%08x %s\n" % (zlib.crc32(body), body)


def decode(line: bytes) -> dict[str, Any] | None:
    """The entry of one line (without its newline), or None if it is damaged."""
    if len(line) < 11 or line[8:9] != b" ":
        return None
    try:
        crc = int(line[:8], 16)
    except ValueError:
        return None
    body = line[9:]
    if zlib.crc32(body) != crc:
        return None
    try:
        entry = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return entry if isinstance(entry, dict) else None


def check_header(line: bytes, path: Path, schema: int, table: str) -> dict[str, Any] | None:
    """The header entry of a journal of `table` at most at `schema`; None: not a header."""
    entry = decode(line)
    if entry is None or entry.get("journal") != KIND or not isinstance(entry.get("id"), str):
        return None
    version = entry.get("schema")
    if type(version) is not int or version < 1:
        raise DatabaseError(f"{path} has an unreadable schema version; it was left untouched")
    if version > schema:
        raise DatabaseError(
            f"{path} was written by a newer followup (schema {version}; this one "
            f"reads up to {schema}); it was left untouched"
        )
    if entry.get("table") != table:
        raise DatabaseError(
            f"{path} holds the table {entry.get('table')!r}, not {table!r}; it was left untouched"
        )
    return entry


class Damaged(DatabaseError):
    """A whole line that fails its check: `at`, where it starts in the bytes scanned."""

    def __init__(self, path: Path, number: int | None, at: int) -> None:
        self.path, self.at = path, at
        super().__init__(f"{path}: line {number} is damaged; it was left untouched")

    def numbered(self, number: int) -> Damaged:
        return Damaged(self.path, number, self.at)


def scan(
    data: bytes, start: int, line_no: int | None, path: Path, careful: bool = True
) -> tuple[list[dict[str, Any]], int]:
    """The entries of the whole batches in `data` from `start`, and where they end.
    Only what follows the last newline (an incomplete line) and the whole lines of a
    batch it ends (`"more"`) are torn; a whole line that fails its check is refused
    (`Damaged`, numbered from `line_no`, the lines before `start`; None: not known, the
    caller counts them). Not `careful`: the entries' shape is left to the caller."""
    end = data.rfind(b"\n") + 1
    if end <= start:
        return [], start
    lines = data[start:end].split(b"\n")
    lines.pop()
    # The checksums first, then every body checked as one JSON array: one parse.
    crc32 = zlib.crc32
    fits = [line[:9] == b"%08x " % crc32(line[9:]) for line in lines]
    bad: int | None = None if all(fits) else fits.index(False)
    bodies = [line[9:] for line in lines[:bad]]
    try:
        entries = orjson.loads(b"[" + b",".join(bodies) + b"]")
    except orjson.JSONDecodeError:  # a line whose checksum fits but is no JSON
        entries = [decode(line) for line in bodies]
    if careful:
        checked = [valid(entry) for entry in entries]
        if not all(checked):
            bad = checked.index(False)
            del entries[bad:]
    if bad is not None:
        at = start + sum(map(len, lines[:bad])) + bad
        raise Damaged(path, None if line_no is None else line_no + bad + 1, at)
    whole = len(entries)  # entries in whole batches: up to the last one without "more"
    while whole and entries[whole - 1].__class__ is dict and entries[whole - 1].get("more"):
        whole -= 1
    used = start + sum(map(len, lines[:whole])) + whole
    return entries[:whole], used


def write_atomically(
    path: Path, payload: bytes, mode_like: Path | None = None, faults: Faults = NO_FAULTS
) -> int:
    """Replace `path` with `payload` (store.engine.atomic.atomic_write, in the journal's
    mode, or `mode_like`'s for a new journal). Returns the new file, open for reading."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = mode_of(path if path.exists() or mode_like is None else mode_like)
        atomic_write(path, [payload], mode, faults=faults)
        # the lock is held: nothing can replace the journal before it is opened again
        return open_regular(path, os.O_RDONLY | NOFOLLOW)
    except OSError as error:
        raise DatabaseError(
            f"could not write {path}: {describe_os_error(error)}; nothing was changed"
        ) from None


def int_or(value: Any, default: int) -> int:
    return value if type(value) is int and value > 0 else default


def next_of(entries: list[dict[str, Any]], floor: int) -> int:
    """The next free id after these entries: their last "next", or above their ids."""
    best = floor
    for entry in reversed(entries):
        key = entry.get("put")
        if key is not None and key.isdigit() and key.isascii():
            best = max(best, int(key) + 1)
        if "next" in entry:
            return max(best, int_or(entry["next"], 1))
    return best


def valid(entry: Any) -> bool:
    if entry.__class__ is not dict:
        return False
    put = entry.get("put")
    if put is not None:
        return put.__class__ is str and entry.get("doc").__class__ is dict
    return entry.get("del").__class__ is str


def last_line(data: bytes, used: int) -> bytes:
    start = data.rfind(b"\n", 0, used - 1) + 1
    return data[start:used]


def iter_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Every whole entry of a journal file, header first (for tests and tools)."""
    data = path.read_bytes()
    for line in data.split(b"\n")[:-1]:
        entry = decode(line)
        if entry is not None:
            yield entry
