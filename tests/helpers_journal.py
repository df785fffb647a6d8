"""Forked processes writing to a journal, for the journal's crash and concurrency tests.

`JournalWriter(path, mode)` forks a process that opens the journal behind TinyDB and, under
the lock, logs records in a loop: each transaction inserts one record `{"uid": ...}`,
removes the previous scratch record and inserts a new one (a batch of three lines), and
writes the uid to a pipe once the commit has returned (acknowledged). Modes:

    append     no compaction (the journal only grows)
    compact    compaction after every transaction
    tail       one record a transaction, appended without reading the records
               (`sync_tail` and `add`, as `followup log` can)
    twice      N transactions, each followed by a compaction, then exit (two at once)

`stop_at` makes the writer stop for good at one step, after printing `at STEP`:
    append-half    half of an append's bytes written
    temp-written   a compaction's temporary file written and fsynced, not yet in place
    replaced       the journal replaced, the folder not yet fsynced
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import time
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from store.engine.journal import Journal
from store.engine.journal_tinydb import JournalStorage, JournalTable
from store.engine.lock import FileLock
from store.store import NO_FAULTS, Faults, Step


def lock_of(path: Path) -> FileLock:
    return FileLock(path.with_name(path.name + ".lock"), path, timeout=60)


def open_journal(path: Path, faults: Faults = NO_FAULTS) -> tuple[Journal, JournalStorage, Any]:
    journal = Journal(path, compact_min_bytes=1 << 40, faults=faults)
    db = TinyDB(journal, storage=JournalStorage)
    db.table_class = JournalTable
    table = db.table("touches")
    storage: JournalStorage = db.storage  # type: ignore[assignment]
    return journal, storage, table


def log_one(journal: Journal, storage: JournalStorage, table: Any, uid: str) -> None:
    """One transaction (the caller holds the lock): the record and a new scratch record."""
    journal.sync()
    table.clear_cache()
    table._next_id = None  # another process may have appended: as the Store does on a sync
    storage.begin()
    table.insert({"uid": uid})
    scratch = [int(k) for k, d in journal.records.items() if d.get("scratch")]
    table.remove(doc_ids=scratch)
    table.insert({"uid": f"scratch-{uid}", "scratch": True})
    storage.commit()


class JournalWriter:
    def __init__(
        self, path: Path, mode: str, stop_at: str = "", count: int = 0, go: Any = None
    ) -> None:
        read_end, write_end = os.pipe()
        context = multiprocessing.get_context("fork")
        self.process = context.Process(
            target=_writer, args=(str(path), mode, stop_at, count, go, write_end)
        )
        self.process.start()
        os.close(write_end)
        self._fd = read_end
        self._buffer = b""

    def lines(self) -> list[str]:
        return [line for line in self._buffer.decode().split("\n")[:-1] if line != "ready"]

    def wait_for(self, expected: str, timeout: float = 60.0) -> None:
        """Until the writer printed `expected` (a line), or `expected` acknowledged uids
        when it is a number."""
        deadline = time.monotonic() + timeout
        while not self._seen(expected):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._fd], [], [], max(0.0, left))
            chunk = os.read(self._fd, 65536) if ready else b""
            if not chunk:
                self.kill()
                raise AssertionError(f"the writer never printed {expected!r}")
            self._buffer += chunk

    def _seen(self, expected: str) -> bool:
        if expected.isdigit():
            return len(self.acknowledged_so_far()) >= int(expected)
        return f"{expected}\n".encode() in self._buffer

    def acknowledged_so_far(self) -> list[str]:
        return [u for u in self.lines() if not u.startswith("at ")]

    def kill(self) -> list[str]:
        """SIGKILL the writer; the uids it acknowledged."""
        if self.process.pid is not None and self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)
        return self.join()

    def join(self) -> list[str]:
        self.process.join(60)
        while chunk := os.read(self._fd, 65536):
            self._buffer += chunk
        os.close(self._fd)
        return self.acknowledged_so_far()


def _writer(path: str, mode: str, stop_at: str, count: int, go: Any, fd: int) -> None:
    code = 1
    try:
        stopper = StopAt(stop_at, fd)
        journal, storage, table = open_journal(Path(path), stopper)
        lock = lock_of(Path(path))
        os.write(fd, b"ready\n")
        if go is not None:
            go.wait(60)
        n = 0
        while mode != "twice" or n < count:
            if stop_at and n == 1:
                stopper.armed = True  # from now on
            uid = f"{os.getpid()}-{n}"
            with lock:
                if mode == "tail":
                    journal.sync_tail(window=512)
                    journal.add([{"uid": uid}])
                    os.write(fd, f"{uid}\n".encode())
                    n += 1
                    continue
                log_one(journal, storage, table, uid)
                if mode in ("compact", "twice") or stop_at in ("temp-written", "replaced"):
                    journal.compact()
            os.write(fd, f"{uid}\n".encode())
            n += 1
        code = 0
    finally:
        os._exit(code)


class StopAt(Faults):
    """Once `armed`, stop for good at `step` (the parent kills the writer there), after
    writing `at STEP` to the pipe `fd`."""

    def __init__(self, step: str, fd: int) -> None:
        self.step, self.fd, self.armed = step, fd, False

    def stop(self) -> None:
        os.write(self.fd, f"at {self.step}\n".encode())
        time.sleep(600)

    def write(self, path: Path, fd: int, data: memoryview, offset: int | None) -> int:
        if self.armed and self.step == "append-half" and offset is not None:  # an append
            os.pwrite(fd, data[: len(data) // 2], offset)
            os.fsync(fd)
            self.stop()
        return super().write(path, fd, data, offset)

    def reached(self, step: Step, path: Path) -> None:
        if self.armed and (self.step, step) in (
            ("temp-written", "replace"),
            ("replaced", "fsync-folder"),
        ):
            self.stop()
