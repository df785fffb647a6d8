"""The hash of a journal's first bytes: what is recorded of the journal a file was built from.

The main file's pair, the touch index and the day counts each record the XXH3 hash of the
journal's bytes from its start to the offset they describe (`journal[0:end]`), never of a
part of it: one byte changed anywhere before that offset (bit rot, an edit in place with
the size and modification time put back) makes them not fit, and the journal is then read
whole, every line checked. XXH3 hashes ~10 GB/s; the bytes are read in chunks into one
buffer, so hashing the heavy database's 12 MB journal costs ~3 ms and no copy of the file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

import xxhash

from store.engine.atomic import NOFOLLOW
from store.engine.files import open_regular
from store.errors import DatabaseError

CHUNK = 1 << 20  # bytes read at a time (measured: faster than one read or an mmap)
UNKNOWN = -1  # the hash of a file that can't be read or is shorter: fits nothing

Hasher = xxhash.xxh3_64


def hashed(
    fd: int, end: int, marks: Iterable[int] = (), state: Hasher | None = None, start: int = 0
) -> tuple[Hasher | None, dict[int, int]]:
    """`state` (the hash of the bytes before `start`; None: a new one) brought up to `end`
    with the bytes of `fd`, in one pass; and the digest at each offset of `marks` passed
    on the way. The state is None when the file is shorter than `end`."""
    state = xxhash.xxh3_64() if state is None else state
    stops = sorted({m for m in marks if start <= m <= end} | {end})
    digests: dict[int, int] = {}
    buffer = memoryview(bytearray(min(CHUNK, max(end - start, 1))))
    position = start
    for stop in stops:
        while position < stop:
            got = os.preadv(fd, [buffer[: min(len(buffer), stop - position)]], position)
            if not got:
                return None, digests
            state.update(buffer[:got])
            position += got
        digests[stop] = state.intdigest()
    return state, digests


def digest_of(fd: int, end: int) -> int:
    """The hash of the first `end` bytes of `fd` (UNKNOWN: it is shorter)."""
    state, _ = hashed(fd, end)
    return UNKNOWN if state is None else state.intdigest()


def prefix_of(path: Path, end: int) -> int:
    """`digest_of` the journal at `path` (UNKNOWN: it can't be read, which fits nothing)."""
    try:
        with open(open_regular(path, os.O_RDONLY | NOFOLLOW), "rb") as handle:
            return digest_of(handle.fileno(), end)
    except (OSError, DatabaseError):
        return UNKNOWN


class Followed:
    """`prefix_of` a journal that only grows, for a reader that asks again after each
    append (the dashboard's day counts after each `followup log`): the hash state at the
    end hashed last is kept, with that file held open (its inode is not reused), and the
    next digest of the same file hashes only the bytes after it. As a reader that follows
    the journal by offset does (store.engine.journal: `sync`), it first checks that the
    bytes just before that end are still the ones hashed there; a file cut short, replaced
    (another inode) or rewritten in place is hashed whole again. Every writer still checks
    every byte before it appends (`Journal.verify`)."""

    TAIL = 256  # the bytes before the end hashed, compared before hashing on from there

    def __init__(self) -> None:
        self._fd: int | None = None
        self._at: tuple[int, int] = (0, 0)  # the file's device and inode
        self._end = 0
        self._state: Hasher | None = None
        self._tail = b""
        self.bytes_hashed = 0  # in all, by every digest so far

    def digest(self, path: Path, end: int) -> int:
        """The hash of the first `end` bytes of the file at `path` (UNKNOWN: it can't be
        read, or is shorter)."""
        try:
            fd = open_regular(path, os.O_RDONLY | NOFOLLOW)
        except (OSError, DatabaseError):
            return UNKNOWN
        try:
            state = self._on(fd, end)
        except OSError:
            state = None
        if state is None:
            os.close(fd)
            return UNKNOWN
        return state.intdigest()

    def _on(self, fd: int, end: int) -> Hasher | None:
        st = os.fstat(fd)
        at = (st.st_dev, st.st_ino)
        start, state = 0, None
        if self._state is not None and at == self._at and self._end <= end:
            tail = self._tail
            if os.pread(fd, len(tail), self._end - len(tail)) == tail:
                start, state = self._end, self._state.copy()
        state, _ = hashed(fd, end, state=state, start=start)
        if state is None:
            return None
        self.bytes_hashed += end - start
        tail = os.pread(fd, min(self.TAIL, end), end - min(self.TAIL, end))
        self._keep(fd)
        self._at, self._end, self._state, self._tail = at, end, state.copy(), tail
        return state

    def _keep(self, fd: int | None) -> None:
        old, self._fd = self._fd, fd
        if old is not None:
            with contextlib.suppress(OSError):
                os.close(old)
        if fd is None:
            self._state = None

    def forget(self) -> None:
        """Close the file held; the next digest hashes it whole."""
        self._keep(None)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._keep(None)


def of_bytes(data: bytes | memoryview) -> Hasher:
    """A hash state of bytes in memory (a journal just read or written whole)."""
    return xxhash.xxh3_64(data)
