"""Many processes writing one database at once never lose or duplicate a write."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.model import Contact
from store.store import Store
from tests import helpers_proc, journal_file
from tests.factories import NOW

PROCESSES = 8


def contact(name: str) -> Contact:
    return Contact(name=name, created_at=NOW, updated_at=NOW)


def run_together(db: Path, commands: list[list[str]]) -> list[list[str]]:
    """Start every command, wait until each has its store open, then let all go at once."""
    procs = [helpers_proc.start(*command) for command in commands]
    for proc in procs:
        helpers_proc.wait_for(proc, "ready")
    helpers_proc.go_file(db).touch()
    return [helpers_proc.finish(proc, timeout=120) for proc in procs]


@pytest.mark.slow
def test_eight_processes_logging_50_touches_each_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store = Store(db, clock=FixedClock(NOW))
    people = [store.add_contact(contact(f"Person {n}")) for n in range(PROCESSES)]

    outputs = run_together(db, [["log-touches", str(db), p.uid, "50"] for p in people])

    acknowledged = [line for out in outputs for line in out if line != "done"]
    assert len(acknowledged) == PROCESSES * 50
    final = Store(db)
    cached_days = final.touch_days()
    assert not final.touches_loaded, "the day counts came from an up-to-date cache"
    touches = final.touches()
    assert len(touches) == 400
    assert Counter(t.uid for t in touches) == Counter(acknowledged)
    assert len({t.id for t in touches}) == 400
    raw = journal_file.records(db)
    assert len(raw) == 400 and sorted(map(int, raw)) == list(range(1, 401))
    assert cached_days == dict(Counter(t.at.date() for t in touches))
    assert sum(cached_days.values()) == 400
    assert final.touch_days() == cached_days
    for person in people:
        assert len(final.touches(person.uid)) == 50
        assert final.contact(person.uid).next_step == "step 49"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.slow
def test_contact_updates_from_many_processes_are_never_lost(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store = Store(db, clock=FixedClock(NOW))
    shared = store.add_contact(contact("Shared"))
    people = [store.add_contact(contact(f"Person {n}")) for n in range(PROCESSES)]

    run_together(
        db,
        [["bump", str(db), p.uid, shared.uid, f"p{n}", "30"] for n, p in enumerate(people)],
    )

    final = Store(db)
    for n, person in enumerate(people):
        mine = final.contact(person.uid)
        assert mine.next_step == "step 29"
        assert mine.tags == tuple(f"p{n}-{k}" for k in range(30)), "no update lost or reordered"
    tags = final.contact(shared.uid).tags
    assert len(tags) == PROCESSES * 30
    for n in range(PROCESSES):
        assert [t for t in tags if t.startswith(f"p{n}-")] == [f"p{n}-{k}" for k in range(30)]
    assert final.problems == []
    assert len(final.contacts()) == PROCESSES + 1


def test_a_reader_notices_every_change_even_when_the_file_signature_comes_back(
    tmp_path: Path,
) -> None:
    """Atomic replaces recycle inode numbers (ext4 hands a freed inode to the next new
    file), and many file systems keep coarse modification times. A file of the same
    size, on a recycled inode, with the same mtime, must still be seen as changed."""
    db = tmp_path / "followup.json"
    a = Store(db, clock=FixedClock(NOW))
    anna = a.add_contact(contact("Anna"))
    ben = a.add_contact(contact("Ben"))
    a.update_fields(anna.uid, {"next_step": "step 0"})
    seen = os.stat(db)
    b = Store(db, clock=FixedClock(NOW))
    for k in range(1, 60):
        b.update_fields(anna.uid, {"next_step": f"step {k % 10}"})  # the same size every time
        if os.stat(db).st_ino == seen.st_ino and k % 10:
            break
    # what a file system with coarse timestamps would show
    os.utime(db, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    changed_to = b.contact(anna.uid).next_step
    assert changed_to != "step 0"

    assert a.sync() is True
    assert a.contact(anna.uid).next_step == changed_to
    a.update_fields(ben.uid, {"next_step": "Call"})
    assert Store(db).contact(anna.uid).next_step == changed_to, "b's update survives"
