"""Waiting for the lock: a blocking wait (no polling), a timeout that counts how long one
holder has kept the lock (not the length of the queue), an error that says how long this
process waited and who holds the lock, and nothing ever held after a timeout."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.engine import lock
from store.errors import DatabaseError
from store.model import Contact
from store.store import Store
from tests import helpers_proc
from tests.factories import NOW
from tests.paths import ROOT


def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "followup.json.lock", tmp_path / "followup.json"


def lock_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "followup-lock"]


def test_a_timeout_says_how_long_it_waited_and_who_holds_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    Store(db, clock=FixedClock(NOW))
    holder = helpers_proc.start("hold-lock", str(db), "60")
    try:
        helpers_proc.wait_for(holder, "locked")
        impatient = lock.FileLock(*paths(tmp_path), timeout=0.3)
        with pytest.raises(DatabaseError) as raised:
            impatient.acquire()
    finally:
        helpers_proc.kill(holder)
    message = str(raised.value)
    assert message.startswith(f"{db} is busy: waited 0.")
    assert f"process {holder.pid} (helpers_proc.py hold-lock {db} 60)" in message
    assert "timeout 0.3s" in message and "nothing was changed" in message
    assert "\n" not in message


def test_a_timeout_leaves_nothing_held(tmp_path: Path) -> None:
    holder = lock.FileLock(*paths(tmp_path), timeout=0)
    holder.acquire()
    with pytest.raises(DatabaseError):
        lock.FileLock(*paths(tmp_path), timeout=0.2).acquire()
    assert len(lock_threads()) == 1  # still blocked in flock, waiting for the holder
    holder.release()
    # The helper thread of the waiter that gave up gets the lock, gives it back, ends.
    for thread in lock_threads():
        thread.join(10)
    assert lock_threads() == []
    fd = os.open(paths(tmp_path)[0], os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody holds it
    finally:
        os.close(fd)


def test_the_timeout_counts_one_holder_not_the_queue(tmp_path: Path) -> None:
    """A holder that keeps the lock 2.5 s but changes hands (a new line in the lock file)
    every 0.1 s is a moving queue: a waiter with a 1 s timeout waits its turn."""
    holder = lock.FileLock(*paths(tmp_path), timeout=0)
    holder.acquire()
    assert holder._fd is not None
    fd = holder._fd

    def relay() -> None:
        for _ in range(25):
            time.sleep(0.1)
            holder._say_holder(fd)
        holder.release()

    thread = threading.Thread(target=relay)
    thread.start()
    waiter = lock.FileLock(*paths(tmp_path), timeout=1.0)
    started = time.monotonic()
    waiter.acquire()
    try:
        assert time.monotonic() - started >= 2.0  # it really waited for the relay
        assert waiter.held
    finally:
        waiter.release()
        thread.join()


def test_the_holder_is_named_in_the_lock_file_while_it_holds_it(tmp_path: Path) -> None:
    holder = lock.FileLock(*paths(tmp_path), timeout=0)
    with holder:
        line = paths(tmp_path)[0].read_text()
        assert line.startswith(f"pid {os.getpid()} hold ")
    assert paths(tmp_path)[0].read_text() == ""


@pytest.mark.slow
def test_twenty_followup_logs_at_once_all_succeed(tmp_path: Path) -> None:
    """The storm of bench/lock_storm.py (50 on the heavy database) at a size for the suite."""
    from bench.lock_storm import storm

    db = tmp_path / "followup.json"
    store = Store(db, clock=FixedClock(NOW))
    store.add_many(
        Contact(name=f"Person {n:02}", created_at=NOW, updated_at=NOW) for n in range(1, 21)
    )
    result = storm(db, 20)  # the default timeout
    assert result["failures"] == []
    assert result["logged"] == 20
    print(f"20 at once: {result['total']:.2f} s, slowest {result['slowest']:.2f} s")


def test_the_storm_script_runs(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store = Store(db, clock=FixedClock(NOW))
    store.add_many([Contact(name="Solo", created_at=NOW, updated_at=NOW)])
    out = subprocess.run(
        [sys.executable, "bench/lock_storm.py", "--db", str(db), "--processes", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "1 followup log at once" in out.stdout and "0 failed" in out.stdout
