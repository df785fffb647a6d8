"""Fault hooks for the tests (store.engine.faults.Faults, passed to Store or Journal):
a disk that fills, an interrupted write, a process that stops at a named step, a
journal scan that must not happen, reads counted, another process's write just before
a transaction takes the lock."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

from store.store import Faults, Step


def anything(path: Path) -> bool:
    return True


class DiskFull(Faults):
    """While `full` is set, a write to a file `which` picks stops with ENOSPC after
    writing the fraction `keep` of what it was given (`times`: for that many writes,
    then the disk has room again; None: until `full` is cleared)."""

    def __init__(
        self,
        which: Callable[[Path], bool] = anything,
        keep: float = 0.0,
        times: int | None = None,
        full: bool = True,
    ) -> None:
        self.which, self.keep, self.times, self.full = which, keep, times, full

    def write(self, path: Path, fd: int, data: memoryview, offset: int | None) -> int:
        if not (self.full and self.which(path)):
            return super().write(path, fd, data, offset)
        if self.times is not None:
            self.times -= 1
            self.full = self.times > 0
        kept = int(len(data) * self.keep)
        if kept:
            super().write(path, fd, data[:kept], offset)
        raise OSError(errno.ENOSPC, "No space left on device")


def main_file(name: str) -> Callable[[Path], bool]:
    """The main file `name` alone (not its backups, not the journal)."""
    return lambda path: path.name == name


def not_a_backup(path: Path) -> bool:
    return path.parent.name != "backups"


class Interrupted(Faults):
    """While `on` is set, ctrl+c in the middle of an append to the journal (a write at
    an offset)."""

    def __init__(self) -> None:
        self.on = False

    def write(self, path: Path, fd: int, data: memoryview, offset: int | None) -> int:
        if self.on and offset is not None:
            raise KeyboardInterrupt
        return super().write(path, fd, data, offset)


class CompactSmall(Faults):
    """A journal compacted whatever its size (when its dead lines outnumber the live)."""

    compact_min_bytes = 0


class NoScan(Faults):
    """A journal scanned line by line is a failure (the touch index must serve)."""

    def reached(self, step: Step, path: Path) -> None:
        if step == "scan":
            raise AssertionError("the journal was scanned: the index was not used")


class ReadsCounted(Faults):
    """Where each read of the journal started (`starts`)."""

    def __init__(self) -> None:
        self.starts: list[int] = []

    def read(self, path: Path, fd: int, start: int) -> bytes:
        self.starts.append(start)
        return super().read(path, fd, start)


class WriteBeforeTheLock(Faults):
    """Another process's write (`write`, once) right before the first transaction of the
    store given this hook takes the lock: what it read before is then out of date."""

    def __init__(self, write: Callable[[], object]) -> None:
        self.write_first: Callable[[], object] | None = write

    def reached(self, step: Step, path: Path) -> None:
        if step == "lock" and self.write_first is not None:
            write, self.write_first = self.write_first, None
            write()


class CtrlCAt(Faults):
    """ctrl+c when `step` is reached (once)."""

    def __init__(self, step: Step) -> None:
        self.step: Step | None = step

    def reached(self, step: Step, path: Path) -> None:
        if step == self.step:
            self.step = None
            raise KeyboardInterrupt
