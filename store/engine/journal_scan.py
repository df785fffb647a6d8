"""Reading one contact's touches from the journal's bytes, without parsing every line."""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import xxhash

from store.engine.atomic import NOFOLLOW, atomic_write
from store.engine.faults import NO_FAULTS, Faults
from store.engine.files import open_regular, stat_regular
from store.engine.journal_format import decode
from store.engine.prefix import UNKNOWN
from store.errors import DatabaseError

if TYPE_CHECKING:
    from store.engine.journal import Journal


def of_contact(doc: object, uid: str) -> bool:
    return doc.__class__ is dict and doc.get("contact_uid") == uid


def scan_for(path: Path, identity: str | None, end: int, uid: str) -> dict[str, object] | None:
    """One contact's records from the journal's bytes before `end` (whole batches), by
    the lines naming its uid and any later line naming one of their ids; None when the
    file is not the one whose tail was read, or a line found is damaged."""
    with open(open_regular(path, os.O_RDONLY | NOFOLLOW), "rb") as handle:
        data = handle.read(end)
    head = decode(data[: data.find(b"\n")])
    if identity is None or head is None or head.get("id") != identity:
        return None
    needle = b'"contact_uid":' + orjson.dumps(uid)
    found: dict[str, object] = {}
    where: dict[str, int] = {}
    at = data.find(needle)
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        stop = data.find(b"\n", at)
        entry = decode(data[start:stop])
        if entry is None or not isinstance(entry.get("put"), str):
            return None
        if of_contact(entry.get("doc"), uid):
            found[entry["put"]] = entry["doc"]
            where[entry["put"]] = stop
        at = data.find(needle, stop)
    if not found:
        return found
    # a later line that replaces or removes one of them: one pass for all of their ids
    keys = b"|".join(re.escape(orjson.dumps(key)) for key in found)
    later = re.compile(b'\\{"(?:put|del)":(' + keys + b")[,}]")
    for match in later.finditer(data, min(where.values())):
        key = orjson.loads(match.group(1))
        if match.start() < where[key]:
            continue
        start = data.rfind(b"\n", 0, match.start()) + 1
        entry = decode(data[start : data.find(b"\n", match.start())])
        if entry is None:
            return None
        if not of_contact(entry.get("doc"), uid):
            found.pop(key, None)
    return found


# -- the touch index: where each contact's live touches are in the journal -------------
#
# Kept beside the journal (`<journal>.index`) as the journal's identity, the offset up to
# which it is complete, and "\n<contact uid>\t<id>@<offset> <id>@<offset>...": the line of
# every live touch of each contact. One contact's touches are then those lines (each
# checked), then whatever was appended after that offset. Lines before it never change:
# the journal is append-only, and a compaction gives it a new identity. The file is a
# cache: replaced atomically but never fsynced, checked by its XXH3 hash (an older one by
# its CRC-32), and never believed: it is used only when it fits the journal it was built
# from (its identity, and the hash of all of the journal's bytes before the offset the
# index is complete to: store/engine/prefix.py), so a crash, a deletion, an old copy or a
# journal edited by hand, anywhere, costs a scan (and the next writer indexes it again),
# never a wrong touch.

# the journal's identity, the offset the index is complete to, the index, the journal's
# next free id at that offset (the ids from it on are not in the index), and the hash of
# the journal's bytes before that offset (`Journal.hash_at`; None: not known, never used)
TouchIndex = tuple[str, int, str, int, int | None]


class IndexFile:
    """The touch index of one journal, read when it changed on disk."""

    def __init__(self, journal_path: Path, faults: Faults = NO_FAULTS) -> None:
        self.path = journal_path.with_name(journal_path.name + ".index")
        self.faults = faults
        self._known: tuple[tuple[int, int, int], TouchIndex | None] | None = None

    def read(self, *, refuse: bool = True) -> TouchIndex | None:
        """The index as written (None: none, or it can't be read); an index that is not
        a regular file (a FIFO, a folder) raises DatabaseError at once (`refuse` False:
        None, for a writer whose change is already saved)."""
        try:
            fd = open_regular(self.path, os.O_RDONLY | NOFOLLOW)
        except OSError:
            return None
        except DatabaseError:
            if refuse:
                raise
            return None
        with open(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            sig = (st.st_ino, st.st_size, st.st_mtime_ns)
            if self._known is not None and self._known[0] == sig:
                return self._known[1]
            raw = handle.read()
        index = _parsed(raw)
        self._known = (sig, index)
        return index

    def write(self, index: TouchIndex) -> None:
        """Replace the index; a path that is not a regular file is left as it is (the
        readers refuse it, naming it)."""
        text = index[2].encode()
        head = {"journal": index[0], "to": index[1], "next": index[3], "xxh3": _check(text)}
        if index[4] is not None:
            head["prefix"] = index[4]
        try:
            stat_regular(self.path)
        except (OSError, DatabaseError):
            self._known = None
            return
        try:
            # a cache, checked when read: not fsynced (the journal's cleanup takes a
            # temporary file a killed write left, `.<journal>.index.*.tmp`)
            atomic_write(
                self.path,
                [orjson.dumps(head), b"\n", text],
                0o600,
                durable=False,
                faults=self.faults,
            )
            st = os.stat(self.path)
        except OSError:
            self._known = None
            return  # a cache: the next write tries again, readers scan meanwhile
        self._known = ((st.st_ino, st.st_size, st.st_mtime_ns), index)


def _parsed(raw: bytes) -> TouchIndex | None:
    newline = raw.find(b"\n")
    text = memoryview(raw)[newline + 1 :]  # the index, checked and decoded without a copy
    try:
        head = orjson.loads(raw[:newline]) if newline >= 0 else None
        found = str(text, "utf-8")
    except (orjson.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(head, dict):
        return None
    if "xxh3" in head:
        if head["xxh3"] != _check(text):
            return None
    elif head.get("crc") != zlib.crc32(text):  # an index written before the XXH3 check
        return None
    identity, complete_to, next_id = head.get("journal"), head.get("to"), head.get("next")
    if not isinstance(identity, str) or type(complete_to) is not int or type(next_id) is not int:
        return None
    # an index written when it recorded only the journal's last 4 KB ("tail"): not used
    prefix = head.get("prefix")
    return identity, complete_to, found, next_id, prefix if type(prefix) is int else None


def fits(journal: Journal, known: TouchIndex) -> bool:
    """Whether the index `known` was built from this journal (as read, to `offset`):
    the same bytes, all of them, before the offset it is complete to."""
    to = known[1]
    if to < 0:  # a marker (UNINDEXABLE, CUT_SHORT): says nothing of the lines
        return True
    return (
        to <= journal.offset and known[4] is not None and journal.hash_at(to) == known[4] != UNKNOWN
    )


def _check(text: bytes | memoryview) -> int:
    return xxhash.xxh3_64_intdigest(text)


def _usable(uid: object) -> bool:
    return isinstance(uid, str) and bool(uid) and not any(c in uid for c in "\t\n @")


def build_index(records: dict[str, Any], where: list[tuple[str, int]]) -> str | None:
    """The index of a journal just written whole (`where`: each record's line offset)."""
    tokens: dict[str, list[str]] = {}
    for key, offset in where:
        doc = records.get(key)
        uid = doc.get("contact_uid") if doc.__class__ is dict else None
        if uid is None:
            continue  # not any contact's touch: never asked for
        if not _usable(uid):
            return None
        tokens.setdefault(uid, []).append(f"{key}@{offset}")
    return "".join(f"\n{uid}\t{' '.join(found)}" for uid, found in tokens.items())


def updated_index(
    index: str,
    written: list[tuple[str, int]],
    put: dict[str, Any],
    new_from: int = 0,
    seen: set[str] | None = None,
) -> str | None:
    """The index after one appended batch (`written`: each line's key and offset; `put`:
    the records it put, the others it removed; ids from `new_from` on were not used before
    the index's offset, nor by a line already applied, whose key is in `seen`)."""
    seen = set() if seen is None else seen
    for key, offset in written:
        if not (key.isdigit() and int(key) >= new_from > 0 and key not in seen):
            index = _without(index, key)  # a token it may have: a put or del replaces it
        seen.add(key)
        doc = put.get(key)
        uid = doc.get("contact_uid") if doc.__class__ is dict else None
        if uid is None:
            continue
        if not _usable(uid):
            return None
        entry = index.find(f"\n{uid}\t")
        if entry < 0:
            index += f"\n{uid}\t{key}@{offset}"
            continue
        end = index.find("\n", entry + 1)
        end = len(index) if end < 0 else end
        space = "" if index[end - 1] == "\t" else " "
        index = f"{index[:end]}{space}{key}@{offset}{index[end:]}"
    return index


def _without(index: str, key: str) -> str:
    """The index without the token of record `key` (if it has one)."""
    for mark in (f"\t{key}@", f" {key}@"):
        at = index.find(mark)
        if at < 0:
            continue
        stop = len(index)
        for separator in (" ", "\n"):
            found = index.find(separator, at + 1)
            if 0 <= found < stop:
                stop = found
        if mark[0] == " ":  # a later token: drop it with the space before it
            return index[:at] + index[stop:]
        if index[stop : stop + 1] == " ":  # the first: drop it with the space after it
            stop += 1
        return index[: at + 1] + index[stop:]
    return index


def read_indexed(
    path: Path, index: str, complete_to: int, end: int, uid: str
) -> dict[str, object] | None:
    """One contact's records from the lines the index names, then every line from
    `complete_to` to `end`; None when a line named is not what the index says (check
    first that the index was built from this journal: `fits`)."""
    found: dict[str, object] = {}
    at = index.find(f"\n{uid}\t")
    tokens: list[str] = []
    if at >= 0:
        stop = index.find("\n", at + 1)
        tokens = index[at + len(uid) + 2 : stop if stop >= 0 else len(index)].split()
    with open(open_regular(path, os.O_RDONLY | NOFOLLOW), "rb") as handle:
        fd = handle.fileno()
        for token in tokens:
            key, _, offset = token.partition("@")
            line = _line_at(fd, int(offset))
            entry = decode(line) if line is not None else None
            if entry is None or entry.get("put") != key or not of_contact(entry.get("doc"), uid):
                return None
            found[key] = entry["doc"]
        gap = os.pread(fd, end - complete_to, complete_to) if end > complete_to else b""
    for line in gap.split(b"\n")[:-1]:
        entry = decode(line)
        if entry is None:
            return None
        named: Any = entry.get("put", entry.get("del"))
        if "put" in entry and of_contact(entry.get("doc"), uid):
            found[named] = entry["doc"]
        else:
            found.pop(named, None)
    return found


def _line_at(fd: int, offset: int) -> bytes | None:
    size = 4096
    while True:
        data = os.pread(fd, size, offset)
        stop = data.find(b"\n")
        if stop >= 0:
            return data[:stop]
        if len(data) < size:
            return None
        size *= 4


REFRESH = 65536  # bytes appended after the index before a writer brings it up to date
# What an index that is not to be read says instead of the offset it is complete to:
UNINDEXABLE = -1  # a record followup can't index: the journal is never compacted for it
CUT_SHORT = -2  # the journal was cut short under it: indexed again at the next compaction


def next_index(
    journal: Journal, known: TouchIndex | None, before: tuple[str | None, int]
) -> TouchIndex | None:
    """The touch index to write after a commit wrote to the journal (`before`: its
    identity and offset then), or None to keep `known`. An index complete up
    to an earlier offset stays right (readers read the lines after it too), so it is
    brought up to date only once more than REFRESH bytes came after it."""
    written, journal.written = journal.written, []
    identity = journal.identity
    if identity is None:
        return None
    legacy = known is not None and known[4] is None and known[0] == identity
    if legacy and known is not None and 0 <= known[1] <= before[1]:
        # written before indexes recorded the journal's bytes (readers don't use it):
        # a writer takes it as that version did, once, and writes it with them
        known = (*known[:4], journal.hash_at(known[1]))
    elif (
        known is not None
        and known[0] == identity
        and 0 <= known[1] <= before[1]
        and not fits(journal, known)
    ):
        known = None  # not built from this journal (an older copy, a hand edit): never used
    ours = known is not None and known[0] == identity
    if identity != before[0]:  # written whole: every line has a new offset
        index = build_index(journal.records, written) if journal.loaded else None
    elif known is not None and ours and 0 <= known[1] <= before[1]:
        if journal.offset - known[1] <= REFRESH:
            return known if legacy else None
        index = _caught_up(journal.path, known[2], known[1], journal.offset, known[3])
    elif (
        journal.loaded
        and not journal.records.tracking
        and not (known and ours and known[1] == UNINDEXABLE)
    ):
        # no index of this journal yet (from before the index, or cut short under it):
        # compacting gives every line a known offset, once
        try:
            journal.compact()
        except DatabaseError:  # the change is saved: indexed at a later write
            return None
        return next_index(journal, known, (None, 0))
    elif known is not None and ours and known[1] > before[1]:
        return (identity, CUT_SHORT, "", 0, None)
    elif not ours and not journal.loaded:
        # none of this journal (deleted, lost in a restore, from before the index): the
        # writer that finds none builds it from every line, once
        index = _built_whole(journal.path, journal.offset)
    else:
        return None
    prefix = journal.hash_at(journal.offset)
    if index is None or prefix == UNKNOWN:
        return (identity, UNINDEXABLE, "", 0, None)
    return (identity, journal.offset, index, journal.next_id, prefix)


def _built_whole(path: Path, end: int) -> str | None:
    """The index of the journal's lines before `end`, built from every one of them (each
    line's check held; None: one does not, or the file can't be read)."""
    try:
        with open(open_regular(path, os.O_RDONLY | NOFOLLOW), "rb") as handle:
            data = os.pread(handle.fileno(), end, 0)
    except (OSError, DatabaseError):
        return None
    if len(data) != end:
        return None
    at = data.find(b"\n") + 1  # after the header
    if at <= 0:
        return None
    records: dict[str, Any] = {}
    where: dict[str, int] = {}
    for line in data[at:].split(b"\n")[:-1]:
        entry = decode(line)
        if entry is None:
            return None
        if isinstance(put := entry.get("put"), str):
            records[put] = entry.get("doc")
            where.pop(put, None)  # its offset is now this line's (kept in line order)
            where[put] = at
        elif isinstance(removed := entry.get("del"), str):
            records.pop(removed, None)
            where.pop(removed, None)
        else:
            return None
        at += len(line) + 1
    return build_index(records, list(where.items()))


def _caught_up(path: Path, index: str, start: int, end: int, new_from: int) -> str | None:
    """The index brought up to date with the journal's lines from `start` to `end`."""
    try:
        with open(open_regular(path, os.O_RDONLY | NOFOLLOW), "rb") as handle:
            data = os.pread(handle.fileno(), end - start, start)
    except (OSError, DatabaseError):
        return None
    at = 0
    seen: set[str] = set()
    for line in data.split(b"\n")[:-1]:
        entry = decode(line)
        if entry is None:
            return None
        key = entry.get("put", entry.get("del"))
        if not isinstance(key, str):
            return None
        doc = entry.get("doc") if "put" in entry else None
        found = updated_index(index, [(key, start + at)], {key: doc} if doc else {}, new_from, seen)
        if found is None:
            return None
        index, at = found, at + len(line) + 1
    return index


def indexed(journal: Journal, known: TouchIndex | None, uid: str) -> dict[str, object] | None:
    """One contact's records by the touch index, if it was built from this journal."""
    if known is None or known[0] != journal.identity or not 0 <= known[1] <= journal.offset:
        return None
    if not fits(journal, known):  # not built from this journal, or can't be checked
        return None
    try:
        return read_indexed(journal.path, known[2], known[1], journal.offset, uid)
    except OSError:
        return None
