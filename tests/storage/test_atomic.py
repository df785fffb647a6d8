"""One atomic write (store.engine.atomic.atomic_write) for every file followup replaces
whole: the main file, the journal's compaction, the backups, the touch index and exports.
Each goes through the same steps: a new private file under a random name, written,
moved into place, the folder fsynced."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

from store import exporting
from store.clock import FixedClock
from store.model import Contact, Touch
from store.store import Faults, Step, Store
from tests.conftest import NOW

DAY = timedelta(days=1)


class Recorded(Faults):
    """Every step of every atomic write, with the mode of the file being written."""

    compact_min_bytes = 0  # a small journal is compacted too

    def __init__(self) -> None:
        self.steps: list[tuple[str, str]] = []
        self.modes: set[tuple[str, int]] = set()

    def write(self, path: Path, fd: int, data: memoryview, offset: int | None) -> int:
        if offset is None:  # a new file (an append to the journal has an offset)
            self.modes.add((path.name, stat.S_IMODE(os.fstat(fd).st_mode)))
            self.steps.append(("write", path.name))
        return super().write(path, fd, data, offset)

    def reached(self, step: Step, path: Path) -> None:
        if step in ("replace", "fsync-folder"):  # an atomic write's (not a scan's, a commit's)
            self.steps.append((step, path.name))


def test_every_whole_file_is_replaced_by_the_same_steps(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    seed = Store(db, clock=FixedClock(NOW))
    anna = seed.add_contact(Contact(name="Anna Berg", created_at=NOW, updated_at=NOW))
    for hour in range(3):
        at = NOW + timedelta(hours=hour)
        seed.log_fields(Touch(contact_uid=anna.uid, at=at, channel="call", outcome="reached"), {})
    recorded = Recorded()
    store = Store(db, clock=FixedClock(NOW + DAY), faults=recorded)  # a new day: backups
    for touch in store.touches()[:2]:
        store.delete_touch(touch.uid)  # dead lines outnumber live ones: compacted
    files = {name for _, name in recorded.steps}
    day = (NOW + DAY).date()
    assert {
        "followup.json",
        "followup.touches.jsonl",
        f"followup.json.{day}",
        f"followup.touches.jsonl.{day}",
    } <= files, "the main file, the compaction and both backups"
    durable = files - {"followup.touches.jsonl.index"}
    for name in durable:
        steps = [step for step, file in recorded.steps if file == name]
        collapsed = [s for n, s in enumerate(steps) if n == 0 or s != steps[n - 1]]
        assert collapsed == ["write", "replace", "fsync-folder"] * (len(collapsed) // 3), name
    assert {mode for _, mode in recorded.modes} == {0o600}, "private until complete"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(db.stat().st_mode) == 0o666 & ~umask, "then the file's own mode"
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob("backups/.*"))


def test_an_export_never_writes_through_a_link_planted_at_a_temporary_name(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    target = tmp_path / "out.json"
    for name in (f".{target.name}.{os.getpid()}.export-tmp", f".{target.name}.tmp"):
        (tmp_path / name).symlink_to(victim)  # the names a guessable recipe would use
    exporting.write_file(target, b'{"format": "followup-export"}')
    assert victim.read_bytes() == b"keep me"
    assert target.read_bytes() == b'{"format": "followup-export"}'
    assert not target.is_symlink()
