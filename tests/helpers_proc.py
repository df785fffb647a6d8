"""Store work in other processes, for the concurrency and crash tests.

Run as a script from the repository root (`python -m tests.helpers_proc COMMAND ...`):

    log-touches DB CONTACT_UID COUNT   wait for the go file, log COUNT touches, print each uid
    bump DB UID SHARED_UID TAG COUNT   wait for the go file; COUNT times, in one transaction:
                                       set UID's next_step to "step K" and append tag TAG-K to
                                       both UID and SHARED_UID (a read-modify-write)
    hold-lock DB SECONDS               hold the lock inside a transaction, print "locked"

Every command prints "ready" once its store is open, and "done" when it finishes.
`ForkedWriter` forks a writer that logs touches until it is killed (the crash test).
The processes use a fixed clock, never today's date.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the checkout (set before the imports below)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from store.clock import FixedClock  # noqa: E402
from store.model import Touch  # noqa: E402
from store.store import Store  # noqa: E402
from tests.factories import NOW  # noqa: E402

# -- the parent's side ------------------------------------------------------------


def start(*args: str) -> subprocess.Popen[bytes]:
    """Start `python -m tests.helpers_proc ARGS...`. Its stdout is unbuffered on our side,
    so `read_line` never reads ahead of what `finish` and `kill` collect."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers_proc", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )


def go_file(db: Path) -> Path:
    return db.with_name(db.name + ".go")


def read_line(proc: subprocess.Popen[bytes], timeout: float) -> str | None:
    """The next line the process prints, or None at its end or after `timeout` seconds."""
    assert proc.stdout is not None
    line = b""
    deadline = time.monotonic() + timeout
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None
        byte = proc.stdout.read(1)
        if not byte:
            return None
        line += byte
    return line.decode().rstrip("\n")


def wait_for(proc: subprocess.Popen[bytes], expected: str, timeout: float = 30.0) -> list[str]:
    """Lines printed before `expected`; fails with the process's stderr if it never comes."""
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = read_line(proc, deadline - time.monotonic())
        if line == expected:
            return lines
        if line is None:
            break
        lines.append(line)
    proc.kill()
    _, err = proc.communicate()
    raise AssertionError(f"process never printed {expected!r}; stderr:\n{err.decode()}")


def finish(proc: subprocess.Popen[bytes], timeout: float = 60.0) -> list[str]:
    """Every line a process prints until it exits; fails unless it exits with 0."""
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}; stderr:\n{err.decode()}"
    return out.decode().splitlines()


def kill(proc: subprocess.Popen[bytes]) -> list[str]:
    """SIGKILL the process; the whole lines it printed before it died."""
    proc.kill()
    out, _ = proc.communicate(timeout=30)
    return out.decode().split("\n")[:-1]


# Where a ForkedWriter stops, in the write of one touch, to be killed there. The store
# appends the touch to the journal (half of its line written: "append"; written, before
# its fsync: "fsync"), then writes the main file as a temporary file (half way: "write")
# renamed over the file ("replace-main": just before; "replaced": just after), then
# acknowledges; "between" stops after an acknowledgement, between two writes.
PAUSE_POINTS = ("between", "append", "fsync", "write", "replace-main", "replaced")
# At which points the touch being written is on disk, though never acknowledged.
SAVED_AT = frozenset({"fsync", "write", "replace-main", "replaced"})
# At which points a temporary file of the main file is left.
TEMP_AT = frozenset({"write", "replace-main"})


class ForkedWriter:
    """A forked process logging touches in a loop; each uid is written to a pipe once
    `log_touch` has returned. Forking skips the interpreter start, so a test can kill
    and restart writers many times a second.

    With `pause=(point, count)` it logs `count` touches, then stops at `point` (one of
    PAUSE_POINTS) in the write of the next one and says "paused": killed then, it dies
    at that point by construction."""

    def __init__(self, db: Path, contact_uid: str, pause: tuple[str, int] | None = None) -> None:
        read_end, write_end = os.pipe()
        context = multiprocessing.get_context("fork")
        self.process = context.Process(
            target=_forked_writer, args=(str(db), contact_uid, write_end, pause)
        )
        self.process.start()
        os.close(write_end)
        self._fd = read_end
        self._buffer = b""

    def wait_for(self, line: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while line + b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._fd], [], [], max(0.0, left))
            chunk = os.read(self._fd, 65536) if ready else b""
            if not chunk:
                self.kill()
                raise AssertionError(f"the writer never said {line.decode()!r}")
            self._buffer += chunk

    def wait_ready(self, timeout: float = 30.0) -> None:
        self.wait_for(b"ready", timeout)

    def wait_paused(self, timeout: float = 30.0) -> None:
        self.wait_for(b"paused", timeout)

    def kill(self) -> list[str]:
        """SIGKILL the writer; the uids it acknowledged (whole lines only)."""
        if self.process.pid is not None and self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(30)
        while chunk := os.read(self._fd, 65536):
            self._buffer += chunk
        os.close(self._fd)
        lines = self._buffer.decode().split("\n")[:-1]
        return [line for line in lines if line not in ("ready", "paused")]


# -- the child's side ---------------------------------------------------------------


def _forked_writer(db: str, contact_uid: str, fd: int, pause: tuple[str, int] | None) -> None:
    try:
        store = Store(db, clock=FixedClock(NOW))
        armed = [False]
        if pause is not None:
            _pause_at(pause[0], Path(db), store.touches_path, fd, armed)
        os.write(fd, b"ready\n")
        n = 0
        while True:
            armed[0] = pause is not None and n == pause[1]
            if armed[0] and pause is not None and pause[0] == "between":
                _stop(fd)
            touch = store.log_fields(_touch(contact_uid, n), {})[0]
            os.write(fd, f"{touch.uid}\n".encode())
            n += 1
    finally:
        os._exit(1)


def _stop(fd: int) -> None:
    """Say "paused" and wait to be killed."""
    os.write(fd, b"paused\n")
    while True:
        time.sleep(60)


def _pause_at(point: str, db: Path, touches: Path, ack: int, armed: list[bool]) -> None:
    """In this forked child only: make the os call at `point` stop the process, once
    `armed[0]` is set (during the write of the touch to be killed)."""
    real_write, real_fsync, real_replace = os.write, os.fsync, os.replace
    real_pwrite = os.pwrite

    def pwrite(fd: int, data: Any, offset: int) -> int:
        if armed[0] and point == "append" and len(data) > 1:
            real_pwrite(fd, bytes(data[: len(data) // 2]), offset)  # half of the line
            _stop(ack)
        return real_pwrite(fd, data, offset)

    def write(fd: int, data: Any) -> int:
        if armed[0] and point == "write" and fd != ack and len(data) > 1:
            real_write(fd, bytes(data[: len(data) // 2]))  # half of the temporary file
            _stop(ack)
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        if armed[0] and point == "fsync" and stat.S_ISREG(os.fstat(fd).st_mode):
            _stop(ack)
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        target = Path(dst).name
        if armed[0] and point == "replace-main" and target == db.name:
            _stop(ack)
        real_replace(src, dst)
        if armed[0] and point == "replaced" and target == db.name:
            _stop(ack)

    os.write, os.fsync, os.replace = write, fsync, replace  # type: ignore[assignment]
    os.pwrite = pwrite  # type: ignore[assignment]


def _open(db: str) -> Store:
    store = Store(db, clock=FixedClock(NOW))
    print("ready", flush=True)
    return store


def _wait_for_go(db: str) -> None:
    go = go_file(Path(db))
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go file")
        time.sleep(0.005)


def _touch(contact_uid: str, n: int) -> Touch:
    at = NOW - timedelta(days=n % 5, minutes=n)
    return Touch(contact_uid=contact_uid, at=at, channel="call", outcome="reached")


def _log_touches(db: str, contact_uid: str, count: str) -> None:
    store = _open(db)
    _wait_for_go(db)
    for n in range(int(count)):
        touch = store.log_fields(_touch(contact_uid, n), {"next_step": f"step {n}"})[0]
        print(touch.uid, flush=True)


def _bump(db: str, uid: str, shared_uid: str, tag: str, count: str) -> None:
    store = _open(db)
    _wait_for_go(db)
    for k in range(int(count)):
        with store.transaction():
            mine = store.contact(uid)
            store.update_fields(uid, {"next_step": f"step {k}", "tags": (*mine.tags, f"{tag}-{k}")})
            shared = store.contact(shared_uid)
            store.update_fields(shared_uid, {"tags": (*shared.tags, f"{tag}-{k}")})


def _hold_lock(db: str, seconds: str) -> None:
    store = _open(db)
    with store.transaction():
        print("locked", flush=True)
        time.sleep(float(seconds))


COMMANDS = {
    "log-touches": _log_touches,
    "bump": _bump,
    "hold-lock": _hold_lock,
}


def main(argv: list[str]) -> None:
    command, *args = argv
    COMMANDS[command](*args)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
