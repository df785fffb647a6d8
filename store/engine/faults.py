"""The fault hook: where tests make the engine's disk fail, stop, or watch what it reads.

The engine does every write of file contents, every read of the journal from an offset,
and the named steps of a write through a `Faults` object it was given
(`Store(path, faults=...)`, `Journal(path, faults=...)`). This class does the real thing;
a test passes a subclass that fails (a full disk half way through a write, ctrl+c in
an append), stops (a process killed at a step), or counts. Nothing else is patched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

# The named steps of a write or a read, besides the writes and reads themselves:
# "replace": an atomic write's new file is complete, about to be moved over `path`;
# "fsync-folder": it was moved, the folder is about to be fsynced;
# "scan": a journal is about to be scanned line by line for one contact's touches;
# "lock": a Store's transaction is about to take the lock (it may have read before);
# "backup", "append", "write-main": the steps of a commit (store.engine.disk), in order:
# the day's backup, the batch appended to the journal, the main file written.
Step = Literal["replace", "fsync-folder", "scan", "lock", "backup", "append", "write-main"]


class Faults:
    """The engine's disk operations, as they really are (override one to fail there)."""

    # The size under which a journal is never compacted (None: the engine's own,
    # store.engine.journal_format.COMPACT_MIN_BYTES); a test lowers it to compact a
    # small journal.
    compact_min_bytes: int | None = None

    def write(self, path: Path, fd: int, data: memoryview, offset: int | None) -> int:
        """Write some of `data` to `fd`, a new or open file for `path` (the file an atomic
        write replaces, or the journal an append goes to), at `offset` (None: at the
        file's position). Returns how many bytes were written."""
        if offset is None:
            return os.write(fd, data)
        return os.pwrite(fd, data, offset)

    def read(self, path: Path, fd: int, start: int) -> bytes:
        """The bytes of `fd` (the journal `path`) from `start` to its end."""
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

    def reached(self, step: Step, path: Path) -> None:
        """`step` of a write or read of `path` is next; raise (or stop) to fail there."""


NO_FAULTS = Faults()


def write_all(
    faults: Faults, path: Path, fd: int, payload: bytes | memoryview, offset: int | None = None
) -> None:
    """Write all of `payload` (at `offset` and on; None: at the file's position)."""
    view = memoryview(payload)
    while view:
        written = faults.write(path, fd, view, offset)
        view = view[written:]
        if offset is not None:
            offset += written
