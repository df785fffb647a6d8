"""The lock file beside the database, held around every read-modify-write.

`fcntl.flock` is released by the kernel when its holder dies, so a killed
process never leaves a lock that blocks forever. The lock file itself is never
deleted (deleting it would let two writers hold two different locks).
"""

from __future__ import annotations

import errno
import fcntl
import math
import os
import time
from pathlib import Path
from types import TracebackType

from store.errors import DatabaseError, InputError
from store.files import describe_os_error, not_regular

DEFAULT_TIMEOUT = 10.0


def _env_timeout() -> float:
    """$FOLLOWUP_LOCK_TIMEOUT in seconds, else the default; a value that is not a number
    of seconds is bad input (NaN would otherwise wait forever)."""
    raw = os.environ.get("FOLLOWUP_LOCK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not seconds >= 0:
        raise InputError(f"FOLLOWUP_LOCK_TIMEOUT must be a number of seconds, not {raw!r}")
    return seconds


def open_lock_file(path: Path) -> int:
    """Open (or create) the lock file: never through a link (a planted link would have the
    lock create or open a file elsewhere), never a FIFO or a device. Raises OSError, or
    DatabaseError for a path that is not a regular file."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o666)
    except IsADirectoryError:
        raise DatabaseError(f"{path} is a folder, not a file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DatabaseError(f"{path} is a symbolic link, not a file") from None
        raise
    why = not_regular(path, os.fstat(fd))
    if why:
        os.close(fd)
        raise DatabaseError(why)
    return fd


class FileLock:
    """A re-entrant, inter-process exclusive lock on `path`."""

    def __init__(self, path: Path, database: Path, timeout: float | None = None) -> None:
        self.path = path
        self.database = database
        self.timeout = _env_timeout() if timeout is None else timeout
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = open_lock_file(self.path)
        except OSError as error:
            reason = describe_os_error(error)
            raise DatabaseError(
                f"can't use the lock file {self.path}: {reason}; nothing was changed"
            ) from None
        except DatabaseError as error:
            raise DatabaseError(f"the lock file {error}; nothing was changed") from None
        deadline = time.monotonic() + self.timeout
        pause = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise DatabaseError(
                        f"{self.database} is busy: another followup process has held its lock "
                        f"({self.path}) for over {self.timeout:g}s; nothing was changed"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()
