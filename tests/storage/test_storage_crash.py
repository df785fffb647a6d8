"""Writers killed at every point of a write: the files stay whole, nothing acknowledged is lost,
leftovers are ignored and cleaned, and a dead process's lock never blocks."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.errors import DatabaseError, InputError
from store.model import Contact, Touch
from store.store import Store
from tests import helpers_proc, journal_file
from tests.factories import NOW, TODAY, at

ACKNOWLEDGED = 200


def seeded(db: Path) -> tuple[Store, Contact]:
    store = Store(db, clock=FixedClock(NOW))
    anna = store.add_contact(Contact(name="Anna Berg", created_at=NOW, updated_at=NOW))
    return store, anna


def touch(who: Contact) -> Touch:
    return Touch(contact_uid=who.uid, at=at(TODAY), channel="call", outcome="reached")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("followup*.json"))}


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


@pytest.mark.slow
def test_writers_killed_at_every_point_of_a_write_lose_no_acknowledged_touch(
    tmp_path: Path,
) -> None:
    """Thirty writers, each killed at a known point of a write (five rounds of the six
    points of helpers_proc.PAUSE_POINTS), after a varying number of touches; after each
    kill the files are whole and hold exactly the acknowledged touches, plus the one
    being written when it was killed after its rename."""
    rng = random.Random(20261124)
    db = tmp_path / "followup.json"
    touches_path = tmp_path / "followup.touches.jsonl"
    _, anna = seeded(db)
    acknowledged: list[str] = []
    saved_unacknowledged = 0
    kills = killed_mid_write = 0
    for _round in range(5):
        for point in helpers_proc.PAUSE_POINTS:
            before = rng.randrange(3, 12)  # touches logged before the one killed
            writer = helpers_proc.ForkedWriter(db, anna.uid, pause=(point, before))
            writer.wait_paused()
            mid_write = bool(temps(tmp_path))
            new = writer.kill()
            kills += 1
            killed_mid_write += mid_write
            assert len(new) == before, f"{point}: the writer stopped where it was told"
            assert mid_write == (point in helpers_proc.TEMP_AT), point
            acknowledged += new
            saved_unacknowledged += point in helpers_proc.SAVED_AT

            json.loads(db.read_bytes())  # whole, valid JSON
            if touches_path.exists():
                journal_file.records(db)  # every line before a torn tail is whole
            after = Store(db)
            counts = Counter(t.uid for t in after.touches())
            missing = [uid for uid in acknowledged if counts[uid] != 1]
            assert not missing, f"after kill {kills} ({point}): acknowledged touches lost"
            assert max(counts.values(), default=1) == 1, "no touch is stored twice"
            assert sum(counts.values()) == len(acknowledged) + saved_unacknowledged, point
            assert len({t.id for t in after.touches()}) == len(counts)
            assert sum(after.touch_days().values()) == len(counts), point
            assert after.contacts()[0].uid == anna.uid

    assert kills == 30
    assert killed_mid_write == 10
    assert len(acknowledged) >= 200
    # the next writer cleans up what the killed ones left
    print(f"{kills} kills, {killed_mid_write} mid-write, {len(acknowledged)} acknowledged")
    store = Store(db, clock=FixedClock(NOW))
    store.log_fields(touch(anna), {})
    assert temps(tmp_path) == []
    fresh = Store(db)
    days = fresh.touch_days()
    assert not fresh.touches_loaded, "the day-count cache is whole again after a write"
    saved = len(fresh.touches())
    assert sum(days.values()) == saved
    # the touch of each kill after a rename was saved but never acknowledged
    assert saved == len(acknowledged) + saved_unacknowledged + 1


def test_leftover_temp_files_are_ignored_by_readers_and_cleaned_by_the_next_writer(
    tmp_path: Path,
) -> None:
    db = tmp_path / "followup.json"
    store, anna = seeded(db)
    store.log_fields(touch(anna), {})
    left = [
        tmp_path / ".followup.json.99991.tmp",
        tmp_path / ".followup.touches.jsonl.99992.tmp",
    ]
    left[0].write_text('{"contacts": {"1": {"name": "half of a')
    left[1].write_bytes(b"\x00" * 4096)
    reader = Store(db)
    assert [c.name for c in reader.contacts()] == ["Anna Berg"]
    assert len(reader.touches()) == 1
    other = tmp_path / "notes.tmp"
    other.write_text("not ours")
    store.update_fields(anna.uid, {"next_step": "Call"})
    assert temps(tmp_path) == []
    assert other.exists(), "only the database's own temporary files are removed"


def test_a_lock_held_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    _, anna = seeded(db)
    holder = helpers_proc.start("hold-lock", str(db), "60")
    helpers_proc.wait_for(holder, "ready")
    helpers_proc.wait_for(holder, "locked")
    store = Store(db, clock=FixedClock(NOW), lock_timeout=0.5)
    with pytest.raises(DatabaseError):
        store.log_fields(touch(anna), {})  # the holder is alive: it really holds the lock
    helpers_proc.kill(holder)
    store.log_fields(touch(anna), {})  # the same 0.5 s timeout: the dead holder's lock is gone
    assert len(Store(db).touches()) == 1


def test_a_lock_held_too_long_fails_quickly_naming_the_file(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    _, anna = seeded(db)
    holder = helpers_proc.start("hold-lock", str(db), "60")
    try:
        helpers_proc.wait_for(holder, "locked")
        before = snapshot(tmp_path)
        store = Store(db, clock=FixedClock(NOW), lock_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(DatabaseError) as raised:
            store.log_fields(touch(anna), {"next_step": "Call back"})
        waited = time.monotonic() - started
        assert 0.45 <= waited < 3.0, "well before the default timeout of 10 s"
        assert str(db) in str(raised.value)
        assert "\n" not in str(raised.value)
        assert snapshot(tmp_path) == before
        assert store.touches() == []
        assert store.contact(anna.uid).next_step == ""
    finally:
        helpers_proc.kill(holder)
    store.log_fields(touch(anna), {"next_step": "Call back"})
    assert Store(db).contact(anna.uid).next_step == "Call back"


def test_the_lock_timeout_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "followup.json"
    holder, anna = seeded(db)
    monkeypatch.setenv("FOLLOWUP_LOCK_TIMEOUT", "0.3")
    store = Store(db, clock=FixedClock(NOW))
    with holder.transaction():  # another open file description: flock sees two holders
        started = time.monotonic()
        with pytest.raises(DatabaseError) as raised:
            store.log_fields(touch(anna), {})
        assert 0.25 <= time.monotonic() - started < 3.0
    assert "0.3s" in str(raised.value)


@pytest.mark.parametrize("value", ["soon", "nan", "-1"])
def test_a_bad_lock_timeout_setting_is_one_clear_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("FOLLOWUP_LOCK_TIMEOUT", value)
    with pytest.raises(InputError) as raised:
        Store(tmp_path / "followup.json", clock=FixedClock(NOW))
    assert "FOLLOWUP_LOCK_TIMEOUT" in str(raised.value)
    assert list(tmp_path.iterdir()) == []
