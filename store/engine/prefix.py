"""The hash of a journal's first bytes: what is recorded of the journal a file was built from.

The main file's pair, the touch index and the day counts each record the XXH3 hash of the
journal's bytes from its start to the offset they describe (`journal[0:end]`), never of a
part of it: one byte changed anywhere before that offset (bit rot, an edit in place with
the size and modification time put back) makes them not fit, and the journal is then read
whole, every line checked. XXH3 hashes ~10 GB/s; the bytes are read in chunks into one
buffer, so hashing the heavy database's 12 MB journal costs ~3 ms and no copy of the file.
"""

from __future__ import annotations

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


def of_bytes(data: bytes | memoryview) -> Hasher:
    """A hash state of bytes in memory (a journal just read or written whole)."""
    return xxhash.xxh3_64(data)
