"""An append-only journal of records by id: one checked JSON line per change.

Every line is `CCCCCCCC JSON\\n`, CCCCCCCC the CRC-32 of the JSON in 8 lowercase hex:

    1c9e5a3f {"journal":"followup","schema":1,"id":"<32 hex>","table":"touches","next":1}
    0b7d2e11 {"put":"1","doc":{...},"next":2}     the record with id "1" is now `doc`
    77e0c1aa {"put":"2","doc":{...},"more":true}  (a batch of two lines...)
    5a00c3d2 {"del":"1","next":3}                 (...) the record with id "1" is gone

A header names the schema and a random identity (new at each compaction); the last line of
every batch says the next free id. A write is one batch, appended with one `pwrite` and one
`fsync` under the database lock; every line but the last carries `"more":true`. What
follows the last whole batch (a crash mid-append) is a torn tail: readers ignore it and the
next writer cuts it. A damaged line followed by whole lines is damage: the journal is
refused, never written over. Readers follow by offset: `sync()` reads only the bytes after
the last whole batch it read and returns the `Change`. Compaction (`compact_if_due`)
rewrites it atomically when most lines are dead (store.engine.atomic.atomic_write), with a
new identity, so a reader that followed the old file by offset sees the change
(docs/data-safety.md has the whole story). store/engine/journal_tinydb.py puts the journal
behind TinyDB; store/engine/journal_records.py holds its records in memory.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterable, Mapping
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from store.collector import no_gc
from store.engine.atomic import NOFOLLOW, fsync_folder, remove_stale_temps
from store.engine.faults import NO_FAULTS, Faults, write_all
from store.engine.files import open_regular
from store.engine.journal_format import (
    COMPACT_MIN_BYTES,
    HEADER_MAX,
    KIND,
    SCHEMA,
    Damaged,
    check_header,
    decode,
    encode,
    int_or,
    iter_lines,
    last_line,
    next_of,
    scan,
    valid,
    write_atomically,
)
from store.engine.journal_records import Change, Doc, Records, apply, diff, replay
from store.engine.pair import PREV_KEPT, Pair, first_damaged, line_number
from store.engine.prefix import UNKNOWN, Followed, Hasher, digest_of, hashed, of_bytes
from store.errors import DatabaseError, describe_os_error

__all__ = [
    "COMPACT_MIN_BYTES", "SCHEMA", "Change", "Journal", "Records", "decode", "encode",
    "iter_lines",
]  # fmt: skip


class Journal:
    """The records of one journal file, and how far it was read."""

    def __init__(
        self,
        path: Path,
        table: str = "touches",
        schema: int = SCHEMA,
        compact_min_bytes: int | None = None,
        mode_like: Path | None = None,
        faults: Faults = NO_FAULTS,
    ) -> None:
        self.path = path
        self.faults = faults  # every read from an offset and every write goes through it
        self.mode_like = mode_like  # a new journal takes this file's mode (the main file's)
        self.table = table
        self.schema = schema
        if compact_min_bytes is None:
            compact_min_bytes = faults.compact_min_bytes
        self.compact_min_bytes = (
            COMPACT_MIN_BYTES if compact_min_bytes is None else compact_min_bytes
        )
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
        self.written: list[tuple[str, int]] = []  # a whole write: each record's line offset
        self.prev: list[str] = []  # the identities it was compacted from (its header says)
        self.mtime = 0  # its modification time after this process's last write
        # The hash of its bytes before `offset` as read (store/engine/prefix.py; None: not
        # known, a tail read), the last check of the file's bytes on disk (`verify`), and
        # what the main file records of it (`expect`: checked against when the records
        # were not read).
        self._hash: Hasher | None = None
        self.checked: Checked | None = None
        self.expect: Pair | None = None
        self._inside = False  # a transaction is under way (`begin_checks`)
        self.reread = False  # what was read is not what is on disk: read it whole again
        # The hash of its first bytes on disk, followed as it grows (day_cache.signature_of)
        self.followed = Followed()

    # -- reading -------------------------------------------------------------------

    @property
    def dead(self) -> int:
        """Lines that no longer describe a live record."""
        return self.entries - len(self.records)

    def signature(self) -> tuple[str, int] | None:
        """Identity and size of what was read: changes with every write and compaction."""
        return (self.identity, self.offset) if self.identity else None

    def pair(self) -> Pair | None:
        """What the main file records of this journal after a write (store/engine/pair.py)."""
        if self.identity is None:
            return None
        return Pair(
            self.identity,
            self.offset,
            self.next_id,
            self.offset - len(self._last),
            self.mtime,
            self.hash_at(self.offset),
        )

    def mark(self) -> Mark:
        """Where the journal is now, to `cut_back` to if a write fails after appending."""
        hashed = None if self._hash is None else self._hash.copy()
        return Mark(
            self._ino, self.identity, self.offset, self.entries, self.next_id, self._last, hashed
        )

    def cut_back(self, mark: Mark) -> None:
        """Undo what was written since `mark` (under the lock): an append is cut off
        (`ftruncate`, fsync); a journal written whole where there was none is removed,
        one that was empty is emptied again. The state read goes back to `mark`."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        if st is not None and st.st_ino == mark.ino and mark.identity is not None:
            fd = open_regular(self.path, os.O_RDWR | NOFOLLOW)
            try:
                if os.fstat(fd).st_size > mark.offset:
                    os.ftruncate(fd, mark.offset)
                    os.fsync(fd)
            finally:
                os.close(fd)
        elif st is not None and st.st_ino != mark.ino:  # written whole by this write
            if mark.ino is None:
                self.path.unlink()
                self._hold(None, None)
            else:
                os.truncate(self.path, 0)
            fsync_folder(self.path.parent)
        self.identity, self.offset, self.entries = mark.identity, mark.offset, mark.entries
        self.next_id, self._last = mark.next_id, mark.last
        self._hash, self.checked = mark.hashed, None
        if mark.ino is None:
            self._ino = None

    def on_disk(self) -> tuple[str, int] | None:
        """Identity and size of the journal on disk, reading only its header (for a cache
        of something computed from the records, checked without reading them)."""
        try:
            with open(open_regular(self.path, os.O_RDONLY | NOFOLLOW), "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                header = check_header(
                    handle.read(HEADER_MAX).split(b"\n", 1)[0], self.path, self.schema, self.table
                )
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
        if not self.loaded or self.reread or st.st_ino != self._ino or st.st_size < self.offset:
            return self._read_all()  # first read, compaction, cut short, or rewritten
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
            self._unhash()
            self._hold(None, None)
        return Change()

    def _read_new(self) -> Change:
        assert self._pin is not None
        start = self.offset - len(self._last)
        try:
            data = self.faults.read(self.path, self._pin, start)
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        if not data.startswith(self._last):
            return self._read_all()  # rewritten in place by another program
        entries, used = scan(data, len(self._last), self._lines_before(), self.path)
        if not entries:
            return Change()
        if self._hash is not None:
            self._hash.update(memoryview(data)[len(self._last) : used])
        self._checked_on(start + used)
        change = Change()
        records = self.records
        for entry in entries:
            apply(records, entry, change)
        self.next_id = next_of(entries, self.next_id)
        self.entries += len(entries)
        self.offset = start + used
        self._last = last_line(data, used)
        return change

    def _read_all(self) -> Change:
        try:
            fd = open_regular(self.path, os.O_RDONLY | NOFOLLOW)
        except FileNotFoundError:
            return self._gone()
        except DatabaseError as error:
            raise DatabaseError(f"{error}; it was left untouched") from None
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        try:
            st = os.fstat(fd)
            data = self.faults.read(self.path, fd, 0)
            with no_gc():
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
        header = check_header(
            data[: first_end - 1] if first_end else data, self.path, self.schema, self.table
        )
        if header is None or not first_end:
            raise DatabaseError(
                f"{self.path} is not a followup journal (its first line is not a whole "
                "header); it was left untouched"
            )
        entries, used = scan(data, first_end, 1, self.path, careful=False)
        try:
            records = replay(entries)
        except (AttributeError, KeyError, TypeError):  # a line of the wrong shape: say which
            entries, used = scan(data, first_end, 1, self.path)
            records = replay(entries)
        change = self._replace_records(records, header["id"], full=True)
        self._hash = of_bytes(memoryview(data)[:used])
        self.checked = Checked(ino, used, self._hash.copy(), time.monotonic(), {}, self._inside)
        self.prev = _prev_of(header)
        self.next_id = next_of(entries, int_or(header.get("next"), 1))
        self.entries = len(entries)
        self.offset = used
        self._last = last_line(data, used)
        self._hold(fd, ino)
        return change

    def _lines_before(self) -> int:
        return 1 + self.entries

    def _replace_records(self, records: Records, identity: str | None, full: bool) -> Change:
        change = diff(self.records, records, full)
        self.records = records
        self.identity = identity
        self.loaded = True
        self.tail_only = self.reread = False
        self.next_id = 1
        self.entries = 0
        self.offset = 0
        self._last = b""
        self._unhash()
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
        self._unhash()
        self._hold(None, None)

    def _unhash(self) -> None:
        self._hash, self.checked = None, None

    def unverify(self) -> None:
        """A transaction ended: the next one checks the file's bytes again (`verify`)."""
        self.checked = None
        self._inside = False

    def begin_checks(self) -> None:
        """A transaction began (the lock is held): a check made from now stands for it.
        A check a Store that read every record made before it does not (the dashboard
        checks at every write)."""
        self._inside = True
        if self.checked is not None and not self.tail_only:
            self.checked = None

    def _checked_on(self, end: int) -> None:
        """The bytes from `offset` to `end` were read and checked (or written) here: the
        last check goes on to `end` (its time stays that of the check)."""
        checked = self.checked
        if (
            checked is not None
            and self._hash is not None
            and checked[:2] == (self._ino, self.offset)
        ):
            self.checked = checked._replace(end=end, state=self._hash.copy())

    def hash_at(self, end: int) -> int:
        """The hash of the journal's first `end` bytes: as read (at `offset`), as passed
        by the last check, or read from the file (UNKNOWN: it can't be, or is shorter)."""
        if end == self.offset and self._hash is not None:
            return self._hash.intdigest()
        checked = self.checked
        if checked is not None and checked.ino == self._ino:
            if end == checked.end:
                return checked.state.intdigest()
            if end in checked.marks:
                return checked.marks[end]
        try:
            if self._pin is not None:
                return digest_of(self._pin, end)
            with open(open_regular(self.path, os.O_RDONLY | NOFOLLOW), "rb") as handle:
                return digest_of(handle.fileno(), end)
        except (OSError, DatabaseError):
            return UNKNOWN

    def verify(self, fd: int | None = None, marks: Iterable[int] = ()) -> None:
        """Check the journal's bytes before `offset` on disk (open as `fd`, else as read),
        all of them, before a write appends after them: against the hash of what was read,
        or (a tail read) against what the main file records (`expect`), the lines after
        that checked one by one. Damage anywhere is refused naming its line (Damaged).
        Bytes changed in place with every line still whole: a Store that read them refuses
        and reads the journal again; a tail read takes them. A check of the same file
        made in the transaction under way (`begin_checks`), or by a tail read just before
        it (less than FRESH seconds ago: a quick command's own read before it took the
        lock), is not made again: only the bytes read since are checked; every
        transaction's end drops it (`unverify`). `marks`: offsets whose digests to keep
        on the way (`hash_at`)."""
        fd = self._pin if fd is None else fd
        if self.identity is None or fd is None:
            return
        checked = self.checked
        if (
            checked is not None
            and checked.ino == self._ino
            and checked.end <= self.offset
            and (self.tail_only or checked.inside)
            and time.monotonic() - checked.when < FRESH
        ):
            self._check_since(fd, checked)
            return
        expect = self.expect
        if self._hash is not None:
            wanted: tuple[int, int] | None = (self.offset, self._hash.intdigest())
        elif (
            expect is not None
            and expect.xxh3 is not None
            and expect.journal == self.identity
            and expect.size <= self.offset
        ):
            wanted = (expect.size, expect.xxh3)
        else:
            wanted = None  # nothing recorded to check against: every line is checked
        try:
            stops = [*marks, *(wanted[:1] if wanted else ())]
            state, digests = hashed(fd, self.offset, stops)
            fits = state is not None and wanted is not None and digests.get(wanted[0]) == wanted[1]
            if fits and wanted is not None and wanted[0] < self.offset:
                # lines a write killed before its main file appended: each checked
                after = os.pread(fd, self.offset - wanted[0], wanted[0])
                fits = all(valid(decode(line)) for line in after.split(b"\n")[:-1])
            if not fits:
                bad = first_damaged(fd)
                if bad is not None:
                    raise Damaged(self.path, line_number(fd, bad), bad)
                if self._hash is not None:
                    # every line holds, but not the bytes read: the records held here are
                    # not those on disk (rewritten in place); read again whole next time
                    self.reread = True
                    raise DatabaseError(
                        f"{self.path} was changed in place by another program since "
                        "followup read it; nothing was changed"
                    )
                # a tail read: every line holds (edited in place by a program that knows
                # the format), so it is taken as it is; the next pair records its hash
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        if state is None:  # shorter than what was read: cut by another program
            self.reread = True
            raise DatabaseError(
                f"{self.path} was cut short by another program; nothing was changed"
            )
        self._hash = state
        self.checked = Checked(
            self._ino, self.offset, state.copy(), time.monotonic(), digests, self._inside
        )

    def _check_since(self, fd: int, checked: Checked) -> None:
        """Go on from a recent check (`verify`): the bytes after it, each line checked."""
        if checked.end < self.offset:
            try:
                after = os.pread(fd, self.offset - checked.end, checked.end)
            except OSError as error:
                raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
            at = checked.end
            for line in after.split(b"\n")[:-1]:
                if not valid(decode(line)):
                    raise Damaged(self.path, line_number(fd, at), at)
                at += len(line) + 1
            state = checked.state.copy()
            state.update(after)
            self.checked = checked._replace(end=self.offset, state=state.copy())
            self._hash = state
        elif self._hash is None:
            self._hash = checked.state.copy()

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
        if not entries and not (self.identity is None and self.records):
            return
        if not (self.loaded or self.tail_only):
            raise DatabaseError(f"{self.path}: a write before the journal was read")
        if self._ino is None or self.identity is None:
            # a new journal (or one deleted by another program, its records held here)
            # is created whole, header and all
            self._write_whole()
            return
        for entry in entries[:-1]:
            entry["more"] = True
        next_id = next_of(entries, self.next_id)
        entries[-1]["next"] = next_id
        lines = [encode(entry) for entry in entries]
        payload = b"".join(lines)
        try:
            fd = open_regular(self.path, os.O_RDWR | NOFOLLOW)
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
            self.verify(fd)  # every byte before the append, not only the tail
            if os.fstat(fd).st_size != self.offset:
                os.ftruncate(fd, self.offset)  # cut a torn tail
            write_all(self.faults, self.path, fd, payload, self.offset)
            os.fsync(fd)
            self.mtime = os.fstat(fd).st_mtime_ns
        except OSError as error:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self.offset)
            raise DatabaseError(
                f"could not write {self.path}: {describe_os_error(error)}; nothing was changed"
            ) from None
        finally:
            os.close(fd)
        if self._hash is not None:
            self._hash.update(payload)
        self._checked_on(self.offset + len(payload))
        self.offset += len(payload)
        self.entries += len(lines)
        self.next_id = next_id
        self._last = lines[-1]

    def add(self, docs: Iterable[Doc], removed: Iterable[str] = ()) -> list[int]:
        """Append new records under fresh ids, and the removal of the ids `removed` (the
        records not read: an undo), as one batch (under the lock); the new ids. Works
        after `sync_tail()`, without the records read (`followup log`)."""
        docs = list(docs)
        ids = list(range(self.next_id, self.next_id + len(docs)))
        put = {str(doc_id): doc for doc_id, doc in zip(ids, docs, strict=True)}
        known = self.loaded
        if known:  # the records hold what is appended (a new journal is written whole)
            dict.update(self.records, put)
        try:
            self.append(put, removed)
        except BaseException:
            if known:
                for key in put:
                    dict.pop(self.records, key, None)
            raise
        return ids

    def sync_tail(self, window: int = 65536) -> None:
        """Learn where to append and the next free id from the header and the last
        `window` bytes alone (then `add`); a small journal, or a long last batch: all."""
        if self.loaded:
            self.sync()
            return
        try:
            fd = open_regular(self.path, os.O_RDONLY | NOFOLLOW)
        except FileNotFoundError:
            self.sync()
            return
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        entries: list[dict[str, Any]] = []
        header = None
        try:
            st = os.fstat(fd)
            head = os.pread(fd, HEADER_MAX, 0)
            header_end = head.find(b"\n") + 1
            start = st.st_size - window
            if header_end and start > header_end:  # open_regular: a regular file
                header = check_header(head[: header_end - 1], self.path, self.schema, self.table)
                tail = self.faults.read(self.path, fd, start)
                first = tail.find(b"\n") + 1  # the first line that starts inside the window
                try:
                    entries, used = scan(tail, first, None, self.path)
                except Damaged as damaged:
                    raise damaged.numbered(line_number(fd, start + damaged.at)) from None
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
        self.prev = _prev_of(header)
        self.offset = start + used
        self._hash = None  # known once checked whole (`verify`); a recent check goes on
        if self.checked is not None and (
            self.checked.ino != st.st_ino or self.checked.end > self.offset
        ):
            self.checked = None
        self._last = last_line(tail, used)
        self.next_id = next_of(entries, int_or(header.get("next"), 1))
        self.tail_only = True

    def _check_unchanged(self, fd: int) -> None:
        """The journal open at `fd` is the one read, with nothing whole after `offset`."""
        st = os.fstat(fd)
        changed = st.st_ino != self._ino or st.st_size < self.offset
        if not changed and st.st_size > self.offset:
            start = self.offset - len(self._last)
            data = self.faults.read(self.path, fd, start)
            try:
                changed = not data.startswith(self._last) or bool(
                    scan(data, len(self._last), None, self.path)[0]
                )
            except Damaged as damaged:  # whole lines after what was read: one is damaged
                raise damaged.numbered(line_number(fd, start + damaged.at)) from None
        if changed:
            raise DatabaseError(
                f"{self.path} was changed by another program while followup held its lock; "
                "nothing was changed"
            )

    def lineage(self) -> list[str]:
        """The identities a journal written whole now says it comes from."""
        return ([self.identity] if self.identity else [])[:1] + self.prev[: PREV_KEPT - 1]

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

    def create(self, records: Records, next_id: int = 1) -> None:
        """Write a new journal of `records` atomically, under the lock (a migration, a
        repair); its next free id at least `next_id`."""
        self.forget()
        self.records, self.loaded, self.next_id = records, True, next_id
        self._write_whole()

    def remove_stale_temps(self) -> None:
        """Temporary files of a killed compaction; call only while holding the lock."""
        remove_stale_temps(self.path)

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
                "prev": self.lineage(),
            }
        )
        chunks = [header]
        chunks += (encode({"put": key, "doc": doc}) for key, doc in self.records.items())
        payload = b"".join(chunks)
        fd = write_atomically(self.path, payload, self.mode_like, self.faults)
        self.written = list(zip(self.records, accumulate(map(len, chunks)), strict=False))
        st = os.fstat(fd)
        self._hold(fd, st.st_ino)
        self.prev = self.lineage()
        self.mtime = st.st_mtime_ns
        self.identity = identity
        self.loaded = True
        self.next_id = next_id
        self.offset = len(payload)
        self.entries = len(chunks) - 1
        self._last = chunks[-1]
        self._hash = of_bytes(payload)
        self.checked = Checked(
            self._ino, self.offset, self._hash.copy(), time.monotonic(), {}, self._inside
        )


FRESH = 5.0  # seconds a check of the journal's bytes stands for the same process


class Checked(NamedTuple):
    """The last check of a journal's bytes on disk: the file's inode, the offset checked
    to, the hash state there, when (time.monotonic), and the digests at other offsets."""

    ino: int | None
    end: int
    state: Hasher
    when: float
    marks: dict[int, int]
    inside: bool  # made inside the transaction under way


class Mark(NamedTuple):
    """Where a journal was before a write (`Journal.mark`)."""

    ino: int | None
    identity: str | None
    offset: int
    entries: int
    next_id: int
    last: bytes
    hashed: Hasher | None


def _prev_of(header: dict[str, Any]) -> list[str]:
    prev = header.get("prev")
    return [p for p in prev if isinstance(p, str)][:PREV_KEPT] if isinstance(prev, list) else []
