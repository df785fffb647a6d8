"""An append-only journal of records by id: one checked JSON line per change.

The file, one line each, every line `CCCCCCCC JSON\\n` where CCCCCCCC is the CRC-32 of
the JSON bytes in 8 lowercase hex digits:

    1c9e5a3f {"journal":"followup","schema":1,"id":"<32 hex>","table":"touches","next":1}
    0b7d2e11 {"put":"1","doc":{...},"next":2}     the record with id "1" is now `doc`
    77e0c1aa {"put":"2","doc":{...},"more":true}  (a batch of two lines...)
    5a00c3d2 {"del":"1","next":3}                 (...) the record with id "1" is gone

The header names the schema version and a random identity; compaction writes a new file
with a new identity, so a reader that followed the old one by offset sees the change. The
last line of every batch (and the header) says the next free id, so a writer that read only
the tail (`sync_tail`, then `add`: `followup log`) never gives an id twice.

A write is one batch of lines, appended with one `pwrite` and one `fsync` while the caller
holds the database lock: O(1) bytes for one record, whatever the size of the journal.
Every line of a batch but the last carries `"more":true`, so a batch is seen whole or not
at all. What follows the last whole batch (a crash mid-append: a line cut short, or damaged
lines with nothing whole after them) is a torn tail: readers ignore it and the next writer
cuts it before it appends. A damaged line followed by whole lines is damage, not a crash:
the journal is refused and never written over.

Readers follow the journal by offset: `sync()` reads only the bytes after the last whole
batch it read, after checking that the last line it read is still where it was (else the
file was rewritten in place). A different inode (compaction) or a file shorter than that
offset (cut by another program) is read again in full. `sync()` returns the `Change`: the
records put and removed since the last read, so caches can be updated from them alone.

Compaction (`compact_if_due`) rewrites the journal when most of its lines are dead: a
temporary file created exclusively in the same folder gets the header and one put line per
live record, is fsynced, replaces the journal with `os.replace`, and the folder is fsynced.
A crash at any instant leaves the old journal or the new one, each holding every
acknowledged record.

`JournalStorage` puts the journal behind TinyDB: `read()` gives `{table: records}`, the
live records themselves; TinyDB's writes change them in place and are remembered, and
`commit()` appends what changed (or `rollback()` undoes it).
"""

from __future__ import annotations

import contextlib
import gc
import os
import secrets
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage
from tinydb.table import Document, Table

from store.errors import DatabaseError
from store.files import describe_os_error, fsync_folder

SCHEMA = 1
KIND = "followup"
TEMP_SUFFIX = ".tmp"
# Compact when dead lines outnumber live records and the journal is at least this big.
COMPACT_MIN_BYTES = 256 * 1024
_HEADER_MAX = 4096  # a header line is far shorter; more is not a journal
_MISSING: Any = object()

Doc = dict[str, Any]


@dataclass
class Change:
    """What a read or a write changed: `put` holds the records added or replaced (by id,
    as they are now), `removed` the records removed or replaced (as they were). A record
    replaced is in both. `full` is True when the whole journal was read again (first
    read, compaction, a file cut or rewritten by another program)."""

    put: dict[str, Doc] = field(default_factory=dict)
    removed: dict[str, Doc] = field(default_factory=dict)
    full: bool = False

    def __bool__(self) -> bool:
        return bool(self.put or self.removed)


class Records(dict[str, Any]):
    """The live records of a journal by id. Between `begin()` and `end()` the first old
    value of every id changed is remembered, to append the changes or undo them. A
    record must be replaced, never changed in place (`JournalTable` does so)."""

    __slots__ = ("_before",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._before: dict[str, Any] | None = None

    def begin(self) -> None:
        self._before = {}

    @property
    def tracking(self) -> bool:
        return self._before is not None

    def _note(self, key: str) -> None:
        before = self._before
        if before is not None and key not in before:
            before[key] = dict.get(self, key, _MISSING)

    def __setitem__(self, key: str, value: Any) -> None:
        self._note(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._note(key)
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self._note(key)
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        key = next(reversed(self.keys()))
        return key, self.pop(key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Records:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def changes(self) -> Change:
        """What changed since `begin()`."""
        change = Change()
        for key, old in (self._before or {}).items():
            new = dict.get(self, key, _MISSING)
            if new is not _MISSING and (old is _MISSING or old != new):
                change.put[key] = new
            if old is not _MISSING and (new is _MISSING or old != new):
                change.removed[key] = old
        return change

    def undo(self) -> None:
        for key, old in (self._before or {}).items():
            if old is _MISSING:
                dict.pop(self, key, None)
            else:
                dict.__setitem__(self, key, old)
        self._before = None

    def end(self) -> None:
        self._before = None


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


class Journal:
    """The records of one journal file, and how far it was read."""

    def __init__(
        self,
        path: Path,
        table: str = "touches",
        schema: int = SCHEMA,
        compact_min_bytes: int = COMPACT_MIN_BYTES,
    ) -> None:
        self.path = path
        self.table = table
        self.schema = schema
        self.compact_min_bytes = compact_min_bytes
        self.records = Records()
        self.identity: str | None = None
        self.loaded = False
        self.offset = 0  # the end of the last whole batch read
        self.entries = 0  # put and del lines after the header
        self.next_id = 1  # above every id ever written (the last batch says, as "next")
        self.tail_only = False  # read by `sync_tail`: where to append, not the records
        self._last = b""  # the last line read, found again at offset - len before reading on
        self._pin: int | None = None  # the file read, kept open: its inode is not reused
        self._ino: int | None = None
        self.vanished = False  # deleted or moved by another program after it was read

    # -- reading -------------------------------------------------------------------

    @property
    def dead(self) -> int:
        """Lines that no longer describe a live record."""
        return self.entries - len(self.records)

    def signature(self) -> tuple[str, int] | None:
        """Identity and size of what was read: changes with every write and compaction."""
        return (self.identity, self.offset) if self.identity else None

    def on_disk(self) -> tuple[str, int] | None:
        """Identity and size of the journal on disk, reading only its header (for a cache
        of something computed from the records, checked without reading them)."""
        try:
            with open(self.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                header = self._header(handle.read(_HEADER_MAX).split(b"\n", 1)[0])
        except FileNotFoundError:
            return None
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        return (header["id"], size) if header else None

    def sync(self) -> Change:
        """Read what was written since the last read; the records it put and removed.
        Inside a transaction (`Records.begin`) nothing is read: the journal is what it
        was at the start, and the lock keeps other writers out."""
        if self.records.tracking:
            return Change()
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self._gone()
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        if not self.loaded or st.st_ino != self._ino or st.st_size < self.offset:
            return self._read_all()  # first read, compaction, or cut short
        if st.st_size == self.offset:
            return Change()
        if self.identity is None:  # it was empty; written in place since
            return self._read_all()
        return self._read_new()

    def _gone(self) -> Change:
        """No journal on disk. Deleted or moved by another program after we read it: keep
        the records (the next write creates the journal whole again) and say so."""
        if not self.loaded:
            return self._replace_records(Records(), None, full=True)
        if self._ino is not None or self.identity is not None:
            self.vanished = True
            self.identity = None
            self.offset = self.entries = 0
            self._last = b""
            self._hold(None, None)
        return Change()

    def _read_new(self) -> Change:
        assert self._pin is not None
        start = self.offset - len(self._last)
        try:
            data = _read_from(self._pin, start)
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        if not data.startswith(self._last):
            return self._read_all()  # rewritten in place by another program
        entries, used = self._scan(data, len(self._last), self._lines_before())
        if not entries:
            return Change()
        change = Change()
        records = self.records
        for entry in entries:
            _apply(records, entry, change)
        self.next_id = _next_of(entries, self.next_id)
        self.entries += len(entries)
        self.offset = start + used
        self._last = _last_line(data, used)
        return change

    def _read_all(self) -> Change:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return self._gone()
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise DatabaseError(f"{self.path} is not a regular file; it was left untouched")
            data = _read_from(fd, 0)
            with _no_gc():
                return self._parse_all(data, fd, st.st_ino)
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        finally:
            if self._pin != fd:
                os.close(fd)

    def _parse_all(self, data: bytes, fd: int, ino: int) -> Change:
        """Take `data`, read from `fd`, as the whole journal; keeps `fd` open."""
        if not data:  # an empty file holds no records yet
            change = self._replace_records(Records(), None, full=True)
            self._hold(fd, ino)
            return change
        first_end = data.find(b"\n") + 1
        header = self._header(data[: first_end - 1] if first_end else data)
        if header is None or not first_end:
            raise DatabaseError(
                f"{self.path} is not a followup journal (its first line is not a whole "
                "header); it was left untouched"
            )
        entries, used = self._scan(data, first_end, 1, careful=False)
        try:
            records = _replay(entries)
        except (AttributeError, KeyError, TypeError):  # a line of the wrong shape: say which
            entries, used = self._scan(data, first_end, 1)
            records = _replay(entries)
        change = self._replace_records(records, header["id"], full=True)
        self.next_id = _next_of(entries, _int(header.get("next"), 1))
        self.entries = len(entries)
        self.offset = used
        self._last = _last_line(data, used)
        self._hold(fd, ino)
        return change

    def _header(self, line: bytes) -> dict[str, Any] | None:
        entry = decode(line)
        if entry is None or entry.get("journal") != KIND or not isinstance(entry.get("id"), str):
            return None
        version = entry.get("schema")
        if type(version) is not int or version < 1:
            raise DatabaseError(
                f"{self.path} has an unreadable schema version; it was left untouched"
            )
        if version > self.schema:
            raise DatabaseError(
                f"{self.path} was written by a newer followup (schema {version}; this one "
                f"reads up to {self.schema}); it was left untouched"
            )
        if entry.get("table") != self.table:
            raise DatabaseError(
                f"{self.path} holds the table {entry.get('table')!r}, not {self.table!r}; "
                "it was left untouched"
            )
        return entry

    def _scan(
        self, data: bytes, start: int, line_no: int, careful: bool = True
    ) -> tuple[list[dict[str, Any]], int]:
        """The entries of the whole batches in `data` from `start`, and where they end.
        A damaged line with a whole line after it is refused; with none, it is torn.
        Not `careful`: the entries' shape is left to the caller to check."""
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
            valid = [_valid(entry) for entry in entries]
            if not all(valid):
                bad = valid.index(False)
                del entries[bad:]
        whole = len(entries)  # entries in whole batches: up to the last one without "more"
        while whole and entries[whole - 1].__class__ is dict and entries[whole - 1].get("more"):
            whole -= 1
        if bad is not None and any(decode(later) is not None for later in lines[bad + 1 :]):
            number = line_no + bad + 1
            raise DatabaseError(f"{self.path}: line {number} is damaged; it was left untouched")
        used = start + sum(map(len, lines[:whole])) + whole
        return entries[:whole], used

    def _lines_before(self) -> int:
        return 1 + self.entries

    def _replace_records(self, records: Records, identity: str | None, full: bool) -> Change:
        old = self.records
        change = Change(full=full)
        if not old:
            change.put = dict(records)
        for key, doc in records.items() if old else ():
            before = dict.get(old, key, _MISSING)
            if before is _MISSING or before != doc:
                change.put[key] = doc
                if before is not _MISSING:
                    change.removed[key] = before
        for key, doc in old.items():
            if key not in records:
                change.removed[key] = doc
        self.records = records
        self.identity = identity
        self.loaded = True
        self.tail_only = False
        self.next_id = 1
        self.entries = 0
        self.offset = 0
        self._last = b""
        self._hold(None, None)
        return change

    def _hold(self, fd: int | None, ino: int | None) -> None:
        old, self._pin, self._ino = self._pin, fd, ino
        if old is not None:
            with contextlib.suppress(OSError):
                os.close(old)

    def forget(self) -> None:
        """Drop what was read: the next sync reads the journal in full."""
        self.records = Records()
        self.identity = None
        self.loaded = self.tail_only = False
        self.next_id = 1
        self.entries = self.offset = 0
        self._last = b""
        self._hold(None, None)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._hold(None, None)

    # -- writing (the caller holds the database lock) ----------------------------------

    def append(self, put: Mapping[str, Doc], removed: Iterable[str] = ()) -> None:
        """Write these changes as one batch: one write and one fsync. The records must
        already hold them (as `JournalStorage.commit` does); call under the lock, after
        `sync()`. The torn tail of a killed writer is cut first."""
        entries: list[dict[str, Any]] = [{"put": key, "doc": doc} for key, doc in put.items()]
        entries += ({"del": key} for key in removed if key not in put)
        if not entries:
            return
        if not (self.loaded or self.tail_only):
            raise DatabaseError(f"{self.path}: a write before the journal was read")
        if self._ino is None or self.identity is None:
            self._write_whole()  # a new journal is created whole, header and all
            return
        for entry in entries[:-1]:
            entry["more"] = True
        next_id = _next_of(entries, self.next_id)
        entries[-1]["next"] = next_id
        lines = [encode(entry) for entry in entries]
        payload = b"".join(lines)
        try:
            fd = os.open(self.path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            if self.tail_only:
                raise DatabaseError(
                    f"{self.path} was deleted while followup held its lock; nothing was changed"
                ) from None
            self._gone()
            self._write_whole()
            return
        except OSError as error:
            raise DatabaseError(
                f"could not write {self.path}: {describe_os_error(error)}; nothing was changed"
            ) from None
        try:
            self._check_unchanged(fd)
            if os.fstat(fd).st_size != self.offset:
                os.ftruncate(fd, self.offset)  # cut a torn tail
            _write_all(fd, payload, self.offset)
            os.fsync(fd)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self.offset)
            raise DatabaseError(
                f"could not write {self.path}: {describe_os_error(error)}; nothing was changed"
            ) from None
        finally:
            os.close(fd)
        self.offset += len(payload)
        self.entries += len(lines)
        self.next_id = next_id
        self._last = lines[-1]

    def add(self, docs: Iterable[Doc]) -> list[int]:
        """Append new records under fresh ids, as one batch; their ids. Works after
        `sync_tail()`, without the records read (a `followup log` writes O(1) bytes after
        reading O(1) bytes). Call under the lock."""
        docs = list(docs)
        ids = list(range(self.next_id, self.next_id + len(docs)))
        put = {str(doc_id): doc for doc_id, doc in zip(ids, docs, strict=True)}
        known = self.loaded
        if known:  # the records hold what is appended (a new journal is written whole)
            dict.update(self.records, put)
        try:
            self.append(put)
        except BaseException:
            if known:
                for key in put:
                    dict.pop(self.records, key, None)
            raise
        return ids

    def sync_tail(self, window: int = 65536) -> None:
        """Learn where to append and the next free id from the header and the last
        `window` bytes alone, without reading the records (then `add`, not TinyDB). A
        small journal, or one whose last batch is longer than `window`, is read in full."""
        if self.loaded:
            self.sync()
            return
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            self.sync()
            return
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        entries: list[dict[str, Any]] = []
        header = None
        try:
            st = os.fstat(fd)
            head = os.pread(fd, _HEADER_MAX, 0)
            header_end = head.find(b"\n") + 1
            start = st.st_size - window
            if stat.S_ISREG(st.st_mode) and header_end and start > header_end:
                header = self._header(head[: header_end - 1])
                tail = _read_from(fd, start)
                first = tail.find(b"\n") + 1  # the first line that starts inside the window
                entries, used = self._scan(tail, first, 0)
        except OSError as error:
            os.close(fd)
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        except BaseException:
            os.close(fd)
            raise
        if not entries or header is None:  # small, or a long last batch: read it all
            os.close(fd)
            self.sync()
            return
        self._hold(fd, st.st_ino)
        self.identity = header["id"]
        self.offset = start + used
        self._last = _last_line(tail, used)
        self.next_id = _next_of(entries, _int(header.get("next"), 1))
        self.tail_only = True

    def _check_unchanged(self, fd: int) -> None:
        """The journal open at `fd` is the one read, with nothing whole after `offset`."""
        st = os.fstat(fd)
        changed = st.st_ino != self._ino or st.st_size < self.offset
        if not changed and st.st_size > self.offset:
            start = self.offset - len(self._last)
            data = _read_from(fd, start)
            changed = not data.startswith(self._last) or bool(
                self._scan(data, len(self._last), self._lines_before())[0]
            )
        if changed:
            raise DatabaseError(
                f"{self.path} was changed by another program while followup held its lock; "
                "nothing was changed"
            )

    def compact_if_due(self) -> bool:
        """Compact when dead lines outnumber live records in a journal of some size."""
        if self.dead > len(self.records) and self.offset >= self.compact_min_bytes:
            self.compact()
            return True
        return False

    def compact(self) -> None:
        """Rewrite the journal with one line per live record and a new identity,
        atomically. Call under the lock, outside a transaction."""
        if self.records.tracking:
            raise DatabaseError(f"{self.path}: compaction inside a transaction")
        self.sync()
        self.remove_stale_temps()
        self._write_whole()

    def remove_stale_temps(self) -> None:
        """Temporary files of a killed compaction; call only while holding the lock."""
        for temp in self.path.parent.glob(f".{self.path.name}.*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                temp.unlink()

    def _write_whole(self) -> None:
        if self.tail_only:  # the records were never read: writing them would lose them all
            raise DatabaseError(f"{self.path}: a whole write without the records read")
        identity = secrets.token_hex(16)
        next_id = (
            max(self.next_id, *(int(k) + 1 for k in self.records if k.isdigit() and k.isascii()))
            if self.records
            else self.next_id
        )
        header = encode(
            {
                "journal": KIND,
                "schema": self.schema,
                "id": identity,
                "table": self.table,
                "next": next_id,
            }
        )
        chunks = [header]
        chunks += (encode({"put": key, "doc": doc}) for key, doc in self.records.items())
        payload = b"".join(chunks)
        folder = self.path.parent
        temp = folder / f".{self.path.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            mode = _mode_of(self.path)
            fd = os.open(temp, flags, 0o600)
            try:
                _write_all(fd, payload, 0)
                os.fchmod(fd, mode)
                os.fsync(fd)
                os.replace(temp, self.path)
                fsync_folder(folder)
            except BaseException:
                os.close(fd)
                raise
        except OSError as error:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise DatabaseError(
                f"could not write {self.path}: {describe_os_error(error)}; nothing was changed"
            ) from None
        self._hold(fd, os.fstat(fd).st_ino)
        self.identity = identity
        self.loaded = True
        self.next_id = next_id
        self.offset = len(payload)
        self.entries = len(chunks) - 1
        self._last = chunks[-1]


class JournalStorage(Storage):
    """TinyDB storage over a `Journal`: `read()` gives the live records as the journal's
    one table; writes change them in place and are appended by `commit()`."""

    def __init__(self, journal: Journal, on_write: Callable[[], None] | None = None) -> None:
        self.journal = journal
        self.on_write = on_write

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self.journal.loaded:
            self.journal.sync()
        return {self.journal.table: self.journal.records}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        journal = self.journal
        records = journal.records
        if not records.tracking:
            raise DatabaseError(f"{journal.path}: a write outside a transaction")
        for name, other in data.items():
            if name != journal.table and other:
                raise ValueError(f"{journal.path} holds only the table {journal.table!r}")
        table = data.get(journal.table)
        if table is not None and table is not records:
            # TinyDB built a new table (insert_multiple, truncate, remove by query): diff it
            for key in [k for k in records if k not in table]:
                del records[key]
            for key, doc in table.items():
                old = dict.get(records, key, _MISSING)
                if old is not doc and old != doc:
                    records[key] = doc
        if self.on_write is not None:
            self.on_write()

    def begin(self) -> None:
        """Start remembering changes (the caller holds the lock and has synced)."""
        if not self.journal.loaded:
            self.journal.sync()
        self.journal.records.begin()

    def commit(self) -> Change:
        """Append what changed since `begin()` as one batch; compact if due."""
        records = self.journal.records
        change = records.changes()
        try:
            self.journal.append(change.put, change.removed)
        except BaseException:
            self.rollback()
            raise
        records.end()
        # the change is saved: a compaction that fails (disk full) is tried again later
        with contextlib.suppress(DatabaseError):
            self.journal.compact_if_due()
        return change

    def rollback(self) -> None:
        self.journal.records.undo()

    def close(self) -> None:
        pass


class JournalTable(Table):
    """A TinyDB table for a `JournalStorage`: insert, update and remove change only the
    records they name, and an update replaces a record rather than changing it in place
    (TinyDB's own update changes the stored dict, which the journal could not see)."""

    def _get_next_id(self) -> int:
        """The journal's next free id: above every id it ever held, so an id is never
        given twice, by this process or by one that appended without reading the records
        (`Journal.add`); TinyDB's own is one above the highest id it has seen."""
        storage = self._storage
        if not isinstance(storage, JournalStorage):
            return super()._get_next_id()  # type: ignore[no-untyped-call,no-any-return]
        journal = storage.journal
        records = journal.records
        doc_id = journal.next_id
        while str(doc_id) in records:  # an id put in by hand
            doc_id += 1
        journal.next_id = doc_id + 1
        return doc_id

    def insert(self, document: Mapping[str, Any]) -> int:
        doc_id = self._get_next_id()
        self._records()[str(doc_id)] = dict(document)
        self._written()
        return doc_id

    def update(
        self,
        fields: Mapping[str, Any] | Callable[[dict[str, Any]], None],
        cond: Any = None,
        doc_ids: Iterable[int] | None = None,
    ) -> list[int]:
        records = self._records()
        if doc_ids is not None:
            keys = [str(i) for i in doc_ids if str(i) in records]
        else:
            keys = [k for k, d in records.items() if cond is None or cond(Document(d, int(k)))]
        for key in keys:
            doc = dict(records[key])
            if callable(fields):
                fields(doc)
            else:
                doc.update(fields)
            records[key] = doc
        self._written()
        return [int(k) for k in keys]

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        records = self._records()
        if doc_ids is not None:
            keys = [str(i) for i in doc_ids if str(i) in records]
        elif cond is not None:
            keys = [k for k, d in records.items() if cond(Document(d, int(k)))]
        else:
            raise RuntimeError("Use truncate() to remove all documents")
        for key in keys:
            del records[key]
        self._written()
        return [int(k) for k in keys]

    def _records(self) -> dict[str, Any]:
        tables = self._storage.read() or {}
        records = tables[self.name]
        return records

    def _written(self) -> None:
        self._storage.write({self.name: self._records()})
        self.clear_cache()


def _apply(records: Records, entry: dict[str, Any], change: Change | None) -> None:
    key = entry.get("put")
    if key is not None:
        old = dict.get(records, key, _MISSING)
        doc = entry["doc"]
        dict.__setitem__(records, key, doc)
        if change is not None:
            change.put[key] = doc
            if old is not _MISSING:
                change.removed.setdefault(key, old)
        return
    key = entry["del"]
    old = dict.pop(records, key, _MISSING)
    if change is not None and old is not _MISSING:
        change.put.pop(key, None)
        change.removed.setdefault(key, old)


def _int(value: Any, default: int) -> int:
    return value if type(value) is int and value > 0 else default


def _next_of(entries: list[dict[str, Any]], floor: int) -> int:
    """The next free id after these entries: their last "next", or above their ids."""
    best = floor
    for entry in reversed(entries):
        key = entry.get("put")
        if key is not None and key.isdigit() and key.isascii():
            best = max(best, int(key) + 1)
        if "next" in entry:
            return max(best, _int(entry["next"], 1))
    return best


def _replay(entries: list[Any]) -> Records:
    """The records these entries leave; a TypeError, KeyError or AttributeError if one
    is not a put or del line (`_scan` with `careful` then finds it)."""
    records = Records()
    put, pop = dict.__setitem__, dict.pop
    for entry in entries:
        key = entry.get("put")
        if key is not None:
            doc = entry["doc"]
            if key.__class__ is not str or doc.__class__ is not dict:
                raise TypeError(key)
            put(records, key, doc)
        else:
            key = entry["del"]
            if key.__class__ is not str:
                raise TypeError(key)
            pop(records, key, None)
    return records


def _valid(entry: Any) -> bool:
    if entry.__class__ is not dict:
        return False
    put = entry.get("put")
    if put is not None:
        return put.__class__ is str and entry.get("doc").__class__ is dict
    return entry.get("del").__class__ is str


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Without the cycle collector: parsing 50,000 records would run it dozens of times
    over objects that hold no cycles (a third of the time of a full read)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _last_line(data: bytes, used: int) -> bytes:
    start = data.rfind(b"\n", 0, used - 1) + 1
    return data[start:used]


def _read_from(fd: int, start: int) -> bytes:
    size = os.fstat(fd).st_size
    chunks = []
    position = start
    while position < size:
        chunk = os.pread(fd, max(size - position, 65536), position)
        if not chunk:
            break
        chunks.append(chunk)
        position += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, payload: bytes, offset: int) -> None:
    view = memoryview(payload)
    while view:
        written = os.pwrite(fd, view, offset)
        view = view[written:]
        offset += written


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def iter_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Every whole entry of a journal file, header first (for tests and tools)."""
    data = path.read_bytes()
    for line in data.split(b"\n")[:-1]:
        entry = decode(line)
        if entry is not None:
            yield entry
