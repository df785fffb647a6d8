"""The lock file beside the database, held around every read-modify-write.

`fcntl.flock` is released by the kernel when its holder dies, so a killed process never
leaves a lock that blocks forever. The lock file itself is never deleted (deleting it
would let two writers hold two different locks).

Waiting is a blocking `flock` in a helper thread, not polling: the kernel hands the lock
over the moment it is released, so a waiter is not overtaken by newcomers between two
polls. While it waits, the caller watches who holds the lock: each holder writes one line
into the lock file (pid, command, a number for this hold). The timeout counts the time
the lock has stayed with one holder, so a long queue of short writes (fifty `followup
log`s at once) all get their turn, and a holder that keeps the lock too long is named
in the error, with how long this process waited. A helper thread that gets the lock
after its caller gave up releases it at once; nothing is ever held after a timeout.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import math
import os
import sys
import time
from pathlib import Path
from types import TracebackType

from store.engine.files import not_regular
from store.errors import DatabaseError, InputError, describe_os_error

DEFAULT_TIMEOUT = 10.0
WATCH = 0.05  # how often a waiter looks at who holds the lock (seconds)
HOLDER_MAX = 300  # bytes of the holder's line that are read back

_holds = itertools.count(1)


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


def _command() -> str:
    """This process's command line, short and printable: "followup log anna"."""
    words = [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]]
    if words[0] in ("cli.py", "__main__.py", "-m", "-c"):
        words[0] = "followup"
    text = " ".join(words)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text[:120]


class _Waiter:
    """A blocking `flock` in a daemon thread. Whoever comes second of "the thread got
    the lock" and "the caller gave up" decides: a lock got after the caller gave up is
    released and its descriptor closed by the thread itself."""

    def __init__(self, fd: int) -> None:
        import threading  # only a process that has to wait pays for it

        self.fd = fd
        self.done = threading.Event()
        self.error: OSError | None = None
        self._mutex = threading.Lock()
        self._abandoned = False
        self._thread = threading.Thread(target=self._run, name="followup-lock", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError as error:
            self.error = error
        with self._mutex:
            if self._abandoned:
                if self.error is None:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)
            self.done.set()

    def abandon(self) -> bool:
        """Give up waiting; False if the lock was got meanwhile (it is the caller's)."""
        with self._mutex:
            if self.done.is_set():
                return False
            self._abandoned = True
            return True


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

    def busy(self) -> bool:
        """Whether another process (or another lock of this process) holds the lock now:
        a probe that never waits. False when this one holds it, or when the lock file
        can't be opened (the write itself then says why)."""
        if self.held:
            return False
        try:
            fd = open_lock_file(self.path)  # never a FIFO, a device or a link
        except (OSError, DatabaseError):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing releases the probe's lock
        return False

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
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._wait(fd)  # closes fd itself when it raises
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._depth = 1
        self._say_holder(fd)

    def _wait(self, fd: int) -> None:
        """Block until the lock is ours, or until one holder has kept it `timeout`."""
        started = time.monotonic()
        waiter = _Waiter(fd)
        try:
            self._watch(waiter, started)
        except BaseException:
            if not waiter.abandon():  # the thread is done: the descriptor is ours to close
                if waiter.error is None:  # got it just as we gave up: give it back
                    fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            raise

    def _watch(self, waiter: _Waiter, started: float) -> None:
        fd = waiter.fd
        holder = self._holder(fd)
        since = started
        while True:
            if waiter.done.wait(min(WATCH, max(0.0, since + self.timeout - time.monotonic()))):
                if waiter.error is not None:
                    reason = describe_os_error(waiter.error)
                    raise DatabaseError(f"can't lock {self.path}: {reason}; nothing was changed")
                return
            now = time.monotonic()
            current = self._holder(fd)
            if current != holder:  # the lock changed hands: the queue moves
                holder, since = current, now
            elif now - since >= self.timeout:
                raise DatabaseError(self._busy(now - started, now - since, current))

    def _holder(self, fd: int) -> str:
        try:
            return os.pread(fd, HOLDER_MAX, 0).decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def _say_holder(self, fd: int) -> None:
        """Write who holds the lock now; best effort (the lock works without it)."""
        line = f"pid {os.getpid()} hold {next(_holds)} {_command()}\n".encode()
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, line, 0)

    def _busy(self, waited: float, unchanged: float, holder: str) -> str:
        who = "another followup process"
        parts = holder.split(" ", 4)
        if len(parts) == 5 and parts[0] == "pid" and parts[1].isdigit():
            who = f"process {parts[1]} ({parts[4]})"
        return (
            f"{self.database} is busy: waited {waited:.1f}s for its lock ({self.path}), "
            f"which {who} has held for over {unchanged:.1f}s (timeout {self.timeout:g}s); "
            "nothing was changed"
        )

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)  # nobody holds it now
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
