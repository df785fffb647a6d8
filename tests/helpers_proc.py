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
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


class ForkedWriter:
    """A forked process logging touches in a loop; each uid is written to a pipe once
    `log_touch` has returned. Forking skips the interpreter start, so a test can kill
    and restart writers many times a second."""

    def __init__(self, db: Path, contact_uid: str) -> None:
        read_end, write_end = os.pipe()
        context = multiprocessing.get_context("fork")
        self.process = context.Process(
            target=_forked_writer, args=(str(db), contact_uid, write_end)
        )
        self.process.start()
        os.close(write_end)
        self._fd = read_end
        self._buffer = b""

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while b"ready\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._fd], [], [], max(0.0, left))
            chunk = os.read(self._fd, 65536) if ready else b""
            if not chunk:
                self.kill()
                raise AssertionError("the writer never got ready")
            self._buffer += chunk

    def kill(self) -> list[str]:
        """SIGKILL the writer; the uids it acknowledged (whole lines only)."""
        if self.process.pid is not None and self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(30)
        while chunk := os.read(self._fd, 65536):
            self._buffer += chunk
        os.close(self._fd)
        lines = self._buffer.decode().split("\n")[:-1]
        return [line for line in lines if line != "ready"]


# -- the child's side ---------------------------------------------------------------


def _forked_writer(db: str, contact_uid: str, fd: int) -> None:
    try:
        store = Store(db, clock=FixedClock(NOW))
        os.write(fd, b"ready\n")
        n = 0
        while True:
            touch = store.log_touch(_touch(contact_uid, n))
            os.write(fd, f"{touch.uid}\n".encode())
            n += 1
    finally:
        os._exit(1)


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
        touch = store.log_touch(_touch(contact_uid, n), next_step=f"step {n}")
        print(touch.uid, flush=True)


def _bump(db: str, uid: str, shared_uid: str, tag: str, count: str) -> None:
    store = _open(db)
    _wait_for_go(db)
    for k in range(int(count)):
        with store.transaction():
            mine = store.contact(uid)
            store.update(uid, next_step=f"step {k}", tags=(*mine.tags, f"{tag}-{k}"))
            shared = store.contact(shared_uid)
            store.update(shared_uid, tags=(*shared.tags, f"{tag}-{k}"))


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
