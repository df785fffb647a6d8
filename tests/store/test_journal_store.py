"""The Store over the touches journal: one contact's touches read from its lines alone,
and another process's appends followed by offset, updating what was built."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.errors import DatabaseError
from store.model import Contact, Touch
from store.store import Store
from tests import journal_file
from tests.factories import NOW, TODAY, at
from tests.faults import DiskFull, main_file


def newest_first(touches: list[Touch]) -> list[Touch]:
    return sorted(touches, key=lambda t: (t.at.timestamp(), t.id), reverse=True)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "followup.json"


def many(db: Path, count: int = 600) -> tuple[Store, list[Contact]]:
    """A journal well over the 64 KiB tail a new process reads (so it is not read whole)."""
    store = Store(db, clock=FixedClock(NOW))
    people = [Contact(name=f"P{n}", created_at=NOW, updated_at=NOW) for n in range(6)]
    store.add_many(people)
    people = store.contacts()
    touches = [
        Touch(contact_uid=people[n % 6].uid, at=at(TODAY, 8 + n % 10), channel="call",
              outcome="reached", note=f"n{n}")
        for n in range(count)
    ]  # fmt: skip
    store.add_many([], touches)
    assert journal_file.path_of(db).stat().st_size > 2 * 65536
    return store, people


def test_one_contacts_touches_are_read_without_reading_every_touch(db: Path) -> None:
    store, people = many(db)
    anna = people[0]
    victim = store.touches(anna.uid)[3]
    store.delete_touch(victim.uid)  # a del line
    moved = store.touches(anna.uid)[5]
    docs = journal_file.records(db)
    docs[str(moved.id)] = {**docs[str(moved.id)], "contact_uid": people[1].uid}
    journal_file.write(db, docs)  # a hand edit: the touch now belongs to another contact
    other = Store(db, clock=FixedClock(NOW))
    other.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="email", outcome="waiting"), {})

    reader = Store(db, clock=FixedClock(NOW))
    mine = reader.touches(anna.uid)
    assert not reader.touches_loaded, "only the lines naming the contact were read"
    everything = Store(db, clock=FixedClock(NOW))
    assert mine == everything.touches(anna.uid)
    assert victim.uid not in {t.uid for t in mine} and moved.uid not in {t.uid for t in mine}
    assert len(mine) == 100 - 2 + 1
    assert reader.touches(people[1].uid) == everything.touches(people[1].uid)


def test_a_damaged_line_naming_the_contact_falls_back_to_a_full_read(db: Path) -> None:
    many(db)
    path = journal_file.path_of(db)
    lines = path.read_bytes().split(b"\n")
    uid = json.loads(lines[5].split(b" ", 1)[1])["doc"]["contact_uid"]
    lines[5] = lines[5].replace(b'"note":"n', b'"note":"X', 1)  # the checksum no longer fits
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DatabaseError, match="line 6 is damaged"):
        # changed in place since followup wrote it (the pair's check) or the full read
        Store(db, clock=FixedClock(NOW)).touches(uid)


def test_sync_after_another_process_logged_updates_what_was_built_from_the_new_lines(
    db: Path,
) -> None:
    _, people = many(db)
    reader = Store(db, clock=FixedClock(NOW))
    histories = reader.histories()
    everything = reader.touches()
    built = {t.uid: t for t in everything}  # the Touch objects built from the full read
    writer = Store(db, clock=FixedClock(NOW))
    logged = writer.log_fields(
        Touch(contact_uid=people[2].uid, at=NOW, channel="text", outcome="waiting"), {}
    )[0]
    assert not writer.touches_loaded, "the writer appended after reading the tail alone"
    assert reader.sync()
    assert reader.changed == {people[2].uid}
    assert reader.touches(people[2].uid) == newest_first([logged, *histories[people[2].uid]])
    assert reader.histories()[people[2].uid] == reader.touches(people[2].uid)
    assert reader.touches() == newest_first([logged, *everything])
    now = {t.uid: t for t in reader.touches()}
    assert all(now[uid] is t for uid, t in built.items()), "no touch was built again"
    # our own write updates what was built too, without building it again
    reader.delete_touch(logged.uid)
    now = {t.uid: t for t in reader.touches()}
    assert all(now[uid] is t for uid, t in built.items())
    assert reader.histories()[people[2].uid] == histories[people[2].uid]
    assert reader.touch_days() == Store(db).touch_days()


@pytest.mark.parametrize("by_contact", [False, True], ids=["by-uid", "by-contact"])
def test_a_touch_logged_from_the_tail_then_removed_in_one_transaction_is_never_written(
    db: Path, by_contact: bool
) -> None:
    _, people = many(db)
    before = journal_file.path_of(db).read_bytes()
    store = Store(db, clock=FixedClock(NOW))
    with store.transaction():
        logged = store.log_fields(
            Touch(contact_uid=people[0].uid, at=NOW, channel="email", outcome="waiting"), {}
        )[0]
        # Not on disk yet: the records are read and the pending touch goes with them.
        store.delete_touch(logged.uid, people[0].uid if by_contact else None)
    assert journal_file.path_of(db).read_bytes().startswith(before)
    assert logged.uid not in {t.uid for t in Store(db).touches()}
    again = store.log_fields(
        Touch(contact_uid=people[0].uid, at=NOW, channel="text", outcome="waiting"), {}
    )[0]
    assert again.id == logged.id + 1, "an id is never given twice"
    assert again in Store(db).touches(people[0].uid)


def test_a_main_file_that_fails_after_the_touch_was_appended_cuts_it_back(
    db: Path,
) -> None:
    _, people = many(db)
    disk = DiskFull(main_file(db.name))
    store = Store(db, clock=FixedClock(NOW), faults=disk)
    store.histories()  # built, as in the dashboard
    before = journal_file.path_of(db).read_bytes()
    with pytest.raises(DatabaseError, match="nothing was changed"):
        store.log_fields(
            Touch(contact_uid=people[0].uid, at=NOW, channel="call", outcome="reached"),
            {"next_step": "Call back"},
        )
    disk.full = False
    assert journal_file.path_of(db).read_bytes() == before, "the append was cut back"
    on_disk = Store(db, clock=FixedClock(NOW))
    assert store.touches(people[0].uid) == on_disk.touches(people[0].uid)
    assert store.histories() == on_disk.histories()


def test_an_undo_appends_the_removal_after_reading_only_that_contacts_lines(db: Path) -> None:
    _, people = many(db)
    anna = people[0]
    reader = Store(db, clock=FixedClock(NOW))
    before = reader.touches()  # a dashboard that read everything
    writer = Store(db, clock=FixedClock(NOW))
    logged = writer.log_fields(
        Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {}
    )[0]
    writer.delete_touch(logged.uid, anna.uid)
    assert not writer.touches_loaded, "only the journal's tail and the contact's lines were read"
    last = journal_file.path_of(db).read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[1]
    assert json.loads(last.split(b" ", 1)[1])["del"] == str(logged.id)

    fresh = Store(db, clock=FixedClock(NOW))
    assert logged.uid not in {t.uid for t in fresh.touches(anna.uid)}
    assert not fresh.touches_loaded
    assert fresh.touches(anna.uid) == Store(db).histories()[anna.uid]
    assert Store(db).touches() == before
    days = Counter(t.at.date() for t in before)
    assert Store(db, clock=FixedClock(NOW)).touch_days() == dict(days), "the day counts follow"
    assert writer.touch_days() == dict(days)
    assert reader.sync() and anna.uid in (reader.changed or set())
    assert reader.touches() == before


def test_a_touch_undone_twice_in_one_transaction_is_removed_once(db: Path) -> None:
    _, people = many(db)
    logged = Store(db, clock=FixedClock(NOW)).log_fields(
        Touch(contact_uid=people[0].uid, at=NOW, channel="email", outcome="waiting"), {}
    )[0]
    store = Store(db, clock=FixedClock(NOW))
    days = store.touch_days()
    with store.transaction():
        store.delete_touch(logged.uid, people[0].uid)
        store.delete_touch(logged.uid, people[0].uid)
    assert logged.uid not in {t.uid for t in Store(db).touches()}
    assert Store(db, clock=FixedClock(NOW)).touch_days() == {**days, TODAY: days[TODAY] - 1}
