"""The lock file beside the database, held around every read-modify-write.

`fcntl.flock` is released by the kernel when its holder dies, so a killed
process never leaves a lock that blocks forever. The lock file itself is never
deleted (deleting it would let two writers hold two different locks).
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from store.errors import DatabaseError
from store.files import describe_os_error

DEFAULT_TIMEOUT = 10.0


class FileLock:
    """A re-entrant, inter-process exclusive lock on `path`."""

    def __init__(self, path: Path, database: Path, timeout: float | None = None) -> None:
        self.path = path
        self.database = database
        if timeout is None:
            timeout = float(os.environ.get("FOLLOWUP_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
        self.timeout = timeout
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
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            reason = describe_os_error(error)
            raise DatabaseError(
                f"can't write beside {self.database}: {reason}; nothing was changed"
            ) from None
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
                        f"for over {self.timeout:g}s; nothing was changed"
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
