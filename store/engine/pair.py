"""The main file and the journal as one pair.

Every write that appends to the journal then writes the main file, and the main file's
`pair` table records the journal it was written with:

    "pair": {"1": {"journal": "<identity>", "size": 812, "next": 5, "last": 700,
                   "mtime": 1764000000000000000, "xxh3": 1234567890123456789}}

`size` is the end of the last whole batch, `next` the next free id, `last` where the last
line starts, `mtime` the journal's modification time right after that write, `xxh3` the
hash of its first `size` bytes (store/engine/prefix.py; a main file written before it
was recorded has none). Every writer checks the journal's bytes against that hash before
it appends (`Journal.verify`): a byte changed anywhere before `size` is found, whatever
the file's size and modification time say. A journal that does not fit is refused,
never read as "no history":

- missing or empty, when the main file was written with one;
- shorter than `size`, or whose ids stop before `next` (cut back, an older copy);
- of another identity (another database's journal, or an older copy), unless its header
  names that identity among the ones it was compacted from (`prev`);
- whose line at `last` is not a whole line that holds its check (damage, an older copy).

Checked on disk that costs the header, one line and a `stat` (`verify_on_disk`, when a
store opens); a journal as long as recorded whose modification time is not the recorded
one was changed in place by another program, and every line of it is checked then. A
journal longer than recorded is a write that appended and was killed before the main
file was written (the lines after `size` are read and checked as any reader does). A
journal already read is checked against what was read (`verify_read`): no I/O.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import msgspec

from store.engine.atomic import NOFOLLOW
from store.engine.files import Tables, open_regular
from store.engine.journal_format import (
    HEADER_MAX,
    SCHEMA,
    check_header,
    decode,
    valid,
)
from store.errors import DatabaseError, describe_os_error

PAIR = "pair"
PREV_KEPT = 4  # identities a compacted journal remembers it was compacted from


class Pair(msgspec.Struct, frozen=True):
    """What the main file records of the journal it was written with."""

    journal: str
    size: int
    next: int
    last: int
    mtime: int
    xxh3: int | None = None  # the hash of the journal's first `size` bytes

    @classmethod
    def of(cls, doc: Any) -> Pair | None:
        """The pair a `pair` record describes (None: none recorded, or not readable)."""
        if doc.__class__ is not dict:
            return None
        journal = doc.get("journal")
        numbers = [doc.get(name) for name in ("size", "next", "last", "mtime")]
        if not isinstance(journal, str) or any(type(n) is not int for n in numbers):
            return None
        size, following, last, mtime = (int(n) for n in numbers if type(n) is int)
        hashed = doc.get("xxh3")
        return cls(journal, size, following, last, mtime, hashed if type(hashed) is int else None)


def recorded(tables: Tables) -> Pair | None:
    docs = tables.get(PAIR) or {}
    return Pair.of(next(iter(docs.values()), None)) if isinstance(docs, dict) else None


def with_pair(tables: Tables, pair: Pair | None) -> Tables:
    """The main tables recording `pair` (None: the journal is not known; left as it was)."""
    if pair is None:
        return tables
    doc = msgspec.structs.asdict(pair)
    if doc["xxh3"] is None:
        del doc["xxh3"]
    return {**tables, PAIR: {"1": doc}}


def _refuse(path: Path, main: Path, reason: str) -> DatabaseError:
    return DatabaseError(f"{path} is not the journal {main.name} was written with: it {reason}")


def verify_read(
    path: Path,
    main: Path,
    pair: Pair,
    identity: str | None,
    offset: int,
    next_id: int,
    prev: list[str],
) -> None:
    """Refuse a journal read (identity, end of the last whole batch, next id, the
    identities it was compacted from) that is not the one the main file records."""
    if identity is None:
        raise _refuse(path, main, "is missing or empty")
    if identity != pair.journal:
        if pair.journal in prev and next_id >= pair.next:
            return  # compacted since the main file was written
        raise _refuse(path, main, "is another database's journal or an older copy")
    if offset < pair.size:
        raise _refuse(
            path, main, f"is shorter ({offset} bytes, not {pair.size}: cut back, or an older copy)"
        )
    if next_id < pair.next:
        raise _refuse(path, main, f"is older (its ids stop before {pair.next})")


def verify_on_disk(path: Path, main: Path, pair: Pair) -> None:
    """Refuse a journal on disk that is not the one the main file records."""
    try:
        fd = open_regular(path, os.O_RDONLY | NOFOLLOW)
    except FileNotFoundError:
        raise _refuse(path, main, "is missing") from None
    except OSError as error:
        raise DatabaseError(f"can't read {path}: {describe_os_error(error)}") from None
    try:
        st = os.fstat(fd)
        if st.st_size == 0:
            raise _refuse(path, main, "is empty")
        head = os.pread(fd, HEADER_MAX, 0)
        header = check_header(head[: head.find(b"\n")], path, SCHEMA, "touches")
        if header is None:
            raise DatabaseError(
                f"{path} is not a followup journal (its first line is not a whole header)"
            )
        if header["id"] != pair.journal:
            prev = header.get("prev")
            following = header.get("next")
            if (
                isinstance(prev, list)
                and pair.journal in prev
                and type(following) is int
                and following >= pair.next
            ):
                return  # compacted since the main file was written
            raise _refuse(path, main, "is another database's journal or an older copy")
        if st.st_size < pair.size or (st.st_size == pair.size and st.st_mtime_ns != pair.mtime):
            bad = first_damaged(fd)  # changed since followup wrote it: every line is checked
            if bad is not None:
                raise damaged(path, fd, bad)
        if st.st_size < pair.size:
            raise _refuse(
                path,
                main,
                f"is shorter ({st.st_size} bytes, not {pair.size}: cut back, or an older copy)",
            )
        line = os.pread(fd, pair.size - pair.last, pair.last) if pair.size > pair.last else b""
        entry = decode(line[:-1]) if line.endswith(b"\n") else None
        if not isinstance(entry, dict) or entry.get("next", pair.next) != pair.next:
            bad = first_damaged(fd)
            if bad is not None:
                raise damaged(path, fd, bad)
            raise _refuse(path, main, "was rewritten or is an older copy (its lines moved)")
    except OSError as error:
        raise DatabaseError(f"can't read {path}: {describe_os_error(error)}") from None
    finally:
        os.close(fd)


def damaged(path: Path, fd: int, offset: int) -> DatabaseError:
    """The error for the damaged line that starts at byte `offset`."""
    return DatabaseError(f"{path}: line {line_number(fd, offset)} is damaged")


def line_number(fd: int, offset: int) -> int:
    """The number of the line that starts at byte `offset`: newlines counted in the bytes
    before it (never in decoded text, where a byte that is not UTF-8 counts otherwise)."""
    count, position = 0, 0
    while position < offset:
        chunk = os.pread(fd, min(1 << 20, offset - position), position)
        if not chunk:
            break
        count += chunk.count(b"\n")
        position += len(chunk)
    return count + 1


def first_damaged(fd: int) -> int | None:
    """Where the first whole line that fails its check starts (None: none does)."""
    size = os.fstat(fd).st_size
    data = os.pread(fd, size, 0)
    end = data.rfind(b"\n") + 1
    position = 0
    for number, line in enumerate(data[:end].split(b"\n")[:-1]):
        entry = decode(line)
        if entry is None or (number and not valid(entry)):
            return position
        position += len(line) + 1
    return None
