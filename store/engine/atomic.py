"""The one way followup replaces a whole file: `atomic_write`.

Used by the main file, the journal's compaction, the backups, the touch index and the
exports. The bytes go to a new file beside the target, created with
O_CREAT | O_EXCL | O_NOFOLLOW under a random name (a planted file or link is never
opened) and readable by its owner alone until it is complete; it is written, given
its final mode, fsynced, moved over the target with `os.replace`, and the folder is
fsynced. A crash at any instant leaves the old file or the whole new one, and at
worst a temporary file that `remove_stale_temps` clears under the lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from store.engine.faults import NO_FAULTS, Faults, write_all

TEMP_SUFFIX = ".tmp"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

Chunks = Iterable[bytes | memoryview]


def atomic_write(
    path: Path,
    chunks: Chunks,
    mode: int | None = None,
    *,
    temp_suffix: str = TEMP_SUFFIX,
    durable: bool = True,
    faults: Faults = NO_FAULTS,
) -> None:
    """Replace `path` with the bytes of `chunks`, atomically.

    `mode`: the file's mode once it is complete (None: the mode `path` has now, or
    the umask's default for a new file). `durable` False skips both fsyncs, for a
    cache that is checked when read and may be lost. `faults`: the fault hook
    (store.engine.faults). Raises OSError (the temporary file removed); the target is
    then untouched."""
    folder = path.parent
    if mode is None:
        mode = mode_of(path)
    fd, temp = create_exclusive(folder, f".{path.name}.", temp_suffix)
    try:
        try:
            for chunk in chunks:
                write_all(faults, path, fd, chunk)
            os.fchmod(fd, mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        faults.reached("replace", path)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if durable:
        faults.reached("fsync-folder", path)
        fsync_folder(folder)


def create_exclusive(
    folder: Path, prefix: str, suffix: str = "", mode: int = 0o600
) -> tuple[int, Path]:
    """Create a new file in `folder` under an unpredictable name (`prefix`, random hex,
    `suffix`), with O_CREAT | O_EXCL | O_NOFOLLOW: a planted file or link is never opened,
    whatever its name. Returns the open descriptor (write-only) and the path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        path = folder / f"{prefix}{secrets.token_hex(8)}{suffix}"
        try:
            return os.open(path, flags, mode), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "could not find a free temporary name", str(folder))


def remove_stale_temps(path: Path, suffix: str = TEMP_SUFFIX) -> None:
    """The temporary files a killed `atomic_write` of `path` left; call only while
    holding the lock."""
    for temp in path.parent.glob(f".{path.name}.*{suffix}"):
        with contextlib.suppress(OSError):
            temp.unlink()


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def mode_of(path: Path) -> int:
    """The mode of `path`, or for a new file the umask's default."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
