"""The Store on its own: round trips, ids, two instances on one file, the per-day
touch-count cache, transactions that fail, validation, hand-edited records."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from store.clock import FixedClock
from store.errors import DatabaseError, InputError
from store.model import SCHEMA_VERSION, Contact, Touch
from store.store import Store
from tests import helpers_proc, journal_file
from tests.factories import CET, NOW, TODAY, at
from tests.faults import Interrupted


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "followup.json"


@pytest.fixture
def store(db: Path, clock: FixedClock) -> Store:
    return Store(db, clock=clock)


def contact(name: str = "Anna Berg", **fields: Any) -> Contact:
    return Contact(name=name, created_at=NOW, updated_at=NOW, **fields)


def touch(who: Contact, when: Any = None, **fields: Any) -> Touch:
    fields.setdefault("channel", "call")
    fields.setdefault("outcome", "reached")
    return Touch(contact_uid=who.uid, at=when or at(TODAY), **fields)


def raw(path: Path) -> dict[str, Any]:
    return json.loads(path.read_bytes())


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def counted(touches: list[Touch]) -> dict[date, int]:
    return dict(Counter(t.at.date() for t in touches))


# -- round trips ---------------------------------------------------------------------


def test_add_contact_round_trip(store: Store, db: Path, clock: FixedClock) -> None:
    clock.advance(hours=2)
    given = contact(
        company="Acme",
        heat="hot",
        goal="Book a demo",
        channel="email",
        value=12_000,
        tags=("vip", "q4"),
        next_step="Send the deck",
        next_due=TODAY + timedelta(days=3),
    )
    added = store.add_contact(given)
    assert added.id == 1
    assert added.uid == given.uid
    assert added.created_at == added.updated_at == clock.now()
    assert added == replace(given, id=1, created_at=clock.now(), updated_at=clock.now())
    assert store.contact(given.uid) == added
    assert store.contact_by_id(1) == added
    assert Store(db, clock=clock).contacts() == [added]


def test_update_changes_fields_and_keeps_id_and_uid(
    store: Store, db: Path, clock: FixedClock
) -> None:
    anna = store.add_contact(contact())
    ben = store.add_contact(contact("Ben Costa"))
    clock.advance(days=1)
    updated = store.update_fields(
        anna.uid, {"heat": "cool", "next_step": "Ask for the offer", "value": 5.0}
    ).contact
    assert (updated.id, updated.uid) == (anna.id, anna.uid)
    assert (updated.heat, updated.next_step, updated.value) == ("cool", "Ask for the offer", 5.0)
    assert updated.created_at == anna.created_at
    assert updated.updated_at == clock.now()
    again = Store(db, clock=clock)
    assert again.contact(anna.uid) == updated
    assert again.contact(ben.uid) == ben


def test_put_contact_restores_a_snapshot_and_reinserts_a_missing_one(
    store: Store, db: Path, clock: FixedClock
) -> None:
    anna = store.add_contact(contact(next_step="Call"))
    store.update_fields(
        anna.uid, {"heat": "hot", "status": "dropped", "dropped_on": TODAY, "drop_reason": "gone"}
    )
    clock.advance(hours=1)
    put = store.put_contact(anna)
    # an undo is an edit of its own: each field it puts back is stamped now
    stamps = dict(put.field_stamps)
    assert {stamps[f] for f in ("heat", "status", "dropped_on", "drop_reason")} == {
        clock.now().isoformat()
    }
    assert replace(put, field_stamps=()) == anna
    anna = put
    stranger = contact("Carla Diaz", next_step="Write")
    put = store.put_contact(stranger)
    assert put.uid == stranger.uid and put.id == 2
    assert {c.uid: c for c in Store(db).contacts()} == {anna.uid: anna, stranger.uid: put}


def test_log_touch_records_touch_and_contact_change_together(
    store: Store, db: Path, clock: FixedClock
) -> None:
    anna = store.add_contact(contact())
    first = store.log_fields(touch(anna, at(TODAY, 9), note="voicemail", outcome="no-reply"), {})[0]
    second = store.log_fields(
        touch(anna, at(TODAY, 11), channel="email", outcome="waiting"),
        {"next_step": "Send the pricing", "next_due": TODAY + timedelta(days=7)},
    )[0]
    assert (first.id, second.id) == (1, 2)
    assert store.touches() == [second, first]
    assert store.touches(anna.uid) == [second, first]
    assert store.touches("nobody") == []
    now = store.contact(anna.uid)
    assert (now.next_step, now.next_due) == ("Send the pricing", TODAY + timedelta(days=7))
    again = Store(db, clock=clock)
    assert again.touches() == [second, first]
    assert again.contact(anna.uid) == now


def test_delete_touch_removes_only_that_touch(store: Store, db: Path) -> None:
    anna = store.add_contact(contact())
    kept = store.log_fields(touch(anna, at(TODAY, 9)), {})[0]
    gone = store.log_fields(touch(anna, at(TODAY, 10)), {})[0]
    store.delete_touch(gone.uid)
    assert store.touches() == [kept]
    assert Store(db).touches() == [kept]
    store.delete_touch("no-such-touch")  # nothing to undo: no error
    assert Store(db).touches() == [kept]


def test_add_many_keeps_their_own_dates(store: Store, db: Path) -> None:
    people = [contact(f"Person {n}") for n in range(5)]
    touches = [touch(people[n % 5], at(TODAY - timedelta(days=n))) for n in range(12)]
    assert store.add_many(people, touches) == 5
    again = Store(db)
    assert sorted(c.id for c in again.contacts()) == [1, 2, 3, 4, 5]
    assert {c.uid for c in again.contacts()} == {p.uid for p in people}
    assert all(c.created_at == NOW for c in again.contacts())
    assert sorted(t.id for t in again.touches()) == list(range(1, 13))
    assert again.touch_days() == counted(touches)


def test_ids_stay_stable_across_changes_and_reopening(store: Store, db: Path) -> None:
    ids = {store.add_contact(contact(f"P{n}")).uid: n + 1 for n in range(4)}
    for uid in ids:
        store.update_fields(uid, {"next_step": "Something specific"})
    for uid in list(ids)[:2]:
        store.log_fields(touch(store.contact(uid)), {"heat": "hot"})
    assert {c.uid: c.id for c in Store(db).contacts()} == ids
    assert {c.uid: c.id for c in store.contacts()} == ids


def test_missing_file_reads_as_empty_and_nothing_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    store = Store(folder / "followup.json", clock=FixedClock(NOW))
    assert store.contacts(include_dropped=True) == []
    assert store.touches() == []
    assert store.touch_days() == {}
    assert store.due_by(TODAY) == []
    assert store.problems == []
    assert store.settings.cadence_for("hot") == 7
    assert store.sync() is False
    assert not folder.exists()
    with pytest.raises(InputError):
        store.contact("nobody")
    store.add_contact(contact())
    assert (folder / "followup.json").exists()


def test_schema_version_is_written(store: Store, db: Path) -> None:
    store.add_contact(contact())
    meta = raw(db)["meta"]
    assert list(meta.values()) == [{"schema_version": SCHEMA_VERSION}]


# -- two instances on one file --------------------------------------------------------


def test_second_instance_sees_changes_after_sync(db: Path, clock: FixedClock) -> None:
    a = Store(db, clock=clock)
    b = Store(db, clock=clock)
    anna = a.add_contact(contact())
    assert b.contacts() == []
    assert b.sync() is True
    assert b.contacts() == [anna]
    assert b.sync() is False
    a.log_fields(touch(anna), {"next_step": "Call back"})
    assert b.sync() is True
    assert b.contact(anna.uid).next_step == "Call back"
    assert len(b.touches()) == 1


def test_two_instances_inserting_alternately_never_share_an_id(db: Path) -> None:
    a = Store(db, clock=FixedClock(NOW))
    b = Store(db, clock=FixedClock(NOW))
    made: list[Contact] = []
    logged: list[Touch] = []
    for n in range(10):
        writer = a if n % 2 == 0 else b
        made.append(writer.add_contact(contact(f"P{n}")))
        logged.append(writer.log_fields(touch(made[0], at(TODAY, 8 + n % 10)), {})[0])
    assert len({c.id for c in made}) == 10
    assert len({t.id for t in logged}) == 10
    contacts = raw(db)["contacts"]
    touches = journal_file.records(db)
    assert len(contacts) == 10 and len(touches) == 10
    assert {d["uid"] for d in contacts.values()} == {c.uid for c in made}
    assert {d["uid"] for d in touches.values()} == {t.uid for t in logged}
    for s in (a, b):
        s.sync()
        assert {c.uid for c in s.contacts()} == {c.uid for c in made}
        assert {t.uid for t in s.touches()} == {t.uid for t in logged}


def test_instance_with_touches_loaded_gets_fresh_ids_after_another_wrote(db: Path) -> None:
    a = Store(db, clock=FixedClock(NOW))
    anna = a.add_contact(contact())
    a.log_fields(touch(anna), {})
    b = Store(db, clock=FixedClock(NOW))
    assert len(b.touches()) == 1  # b has the touches file in memory, next id cached
    b.log_fields(touch(anna), {})
    a.log_fields(touch(anna), {})  # a's cached next id (2) is stale: b took it
    b.log_fields(touch(anna), {})
    touches = Store(db).touches()
    assert sorted(t.id for t in touches) == [1, 2, 3, 4]
    assert len({t.uid for t in touches}) == 4


# -- the per-day touch-count cache ----------------------------------------------------


def seeded(db: Path) -> tuple[Store, Contact, list[Touch]]:
    store = Store(db, clock=FixedClock(NOW))
    anna = store.add_contact(contact())
    logged = [
        store.log_fields(touch(anna, at(TODAY - timedelta(days=n % 4), 8 + n)), {})[0]
        for n in range(9)
    ]
    # a touch late in the evening in its own offset: its day is the day it was logged on
    logged.append(store.log_fields(touch(anna, at(TODAY, 23, 30, tz=CET)), {})[0])
    return store, anna, logged


def fresh_days(db: Path) -> tuple[dict[date, int], bool]:
    """touch_days() of a newly opened store, and whether it had to read the touches."""
    store = Store(db)
    days = store.touch_days()
    return days, store.touches_loaded


def test_touch_days_from_the_cache_equals_the_count(db: Path) -> None:
    store, _, logged = seeded(db)
    assert store.touch_days() == counted(logged)
    days, read_touches = fresh_days(db)
    assert days == counted(logged)
    assert not read_touches, "the cache answered without parsing the touches file"


def test_touch_days_after_delete_touch(db: Path) -> None:
    store, _, logged = seeded(db)
    store.delete_touch(logged[0].uid)
    store.delete_touch(logged[4].uid)
    expected = counted(logged[1:4] + logged[5:])
    assert store.touch_days() == expected
    days, read_touches = fresh_days(db)
    assert (days, read_touches) == (expected, False)


def test_touch_days_after_another_process_logged_touches(db: Path) -> None:
    _, anna, logged = seeded(db)
    reader = Store(db)
    assert reader.touch_days() == counted(logged)  # from the cache
    child = helpers_proc.start("log-touches", str(db), anna.uid, "6")
    helpers_proc.wait_for(child, "ready")
    helpers_proc.go_file(db).touch()
    helpers_proc.finish(child)
    everything = Store(db).touches()
    assert len(everything) == 16
    # the reader's cache no longer fits the touches file: it recounts
    assert reader.touch_days() == counted(everything)
    reader.sync()
    assert reader.touch_days() == counted(everything)
    days, read_touches = fresh_days(db)
    assert (days, read_touches) == (counted(everything), False)


def test_touch_days_after_the_touches_file_was_edited_by_hand(db: Path) -> None:
    _, _, logged = seeded(db)
    data = {"touches": journal_file.records(db)}
    first = next(iter(data["touches"]))
    data["touches"].pop(first)
    for doc in data["touches"].values():
        doc["at"] = doc["at"].replace(TODAY.isoformat(), "2026-01-05")
    journal_file.write(db, data["touches"])
    expected = dict(Counter(date.fromisoformat(d["at"][:10]) for d in data["touches"].values()))
    assert sum(expected.values()) == len(logged) - 1
    days, read_touches = fresh_days(db)
    assert days == expected
    assert read_touches, "a cache that does not fit the touches file is not trusted"
    # the next write brings the cache up to date again
    store = Store(db)
    store.log_fields(touch(store.contacts()[0], at(date(2026, 1, 5), 8)), {})
    expected[date(2026, 1, 5)] += 1
    days, read_touches = fresh_days(db)
    assert (days, read_touches) == (expected, False)


# -- failures write nothing -------------------------------------------------------------


def test_failed_transaction_writes_nothing_and_store_stays_usable(
    store: Store, db: Path, tmp_path: Path
) -> None:
    anna = store.add_contact(contact())
    store.log_fields(touch(anna), {})
    before = files_of(tmp_path)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_contact(contact("Ben Costa"))
        store.log_fields(touch(anna), {"next_step": "never saved"})
        store.update_fields(anna.uid, {"heat": "hot"})
        store.delete_touch(store.touches()[-1].uid)
        raise RuntimeError("changed my mind")
    assert files_of(tmp_path) == before
    assert [c.name for c in store.contacts()] == ["Anna Berg"]
    assert store.contact(anna.uid).heat == "warm"
    assert len(store.touches()) == 1
    assert store.touch_days() == {TODAY: 1}
    ben = store.add_contact(contact("Ben Costa"))
    assert ben.id == 2
    logged = store.log_fields(touch(ben), {})[0]
    assert logged.id == 2
    again = Store(db)
    assert sorted(c.name for c in again.contacts()) == ["Anna Berg", "Ben Costa"]
    assert again.touch_days() == {TODAY: 2}


def test_interrupted_write_leaves_no_phantom_change(
    db: Path, tmp_path: Path, clock: FixedClock
) -> None:
    interrupted = Interrupted()
    store = Store(db, clock=clock, faults=interrupted)
    anna = store.add_contact(contact())
    store.log_fields(touch(anna), {})
    before = files_of(tmp_path)

    interrupted.on = True
    with pytest.raises(KeyboardInterrupt):  # ctrl+c in the middle of appending to the journal
        store.log_fields(touch(anna, at(TODAY, 15)), {"next_step": "Call back"})
    interrupted.on = False
    assert {k: v for k, v in files_of(tmp_path).items() if not k.endswith(".tmp")} == before
    assert len(store.touches()) == 1, "the touch that was not saved is not shown"
    assert store.contact(anna.uid).next_step == ""
    store.update_fields(anna.uid, {"heat": "hot"})
    assert not list(tmp_path.glob(".*.tmp"))
    again = Store(db)
    assert len(again.touches()) == 1, "nor written with the next change"
    assert again.contact(anna.uid).next_step == ""
    assert again.touch_days() == {TODAY: 1}


def test_input_errors_write_nothing(store: Store, db: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        store.add_contact(contact(heat="tepid"))  # type: ignore[arg-type]
    with pytest.raises(InputError):
        store.add_contact(contact("   "))
    assert not db.exists()
    anna = store.add_contact(contact())
    store.log_fields(touch(anna), {})
    before = files_of(tmp_path)
    attempts = [
        lambda: store.update_fields(anna.uid, {"heat": "tepid"}).contact,
        lambda: store.update_fields(anna.uid, {"cadence_days": 0}).contact,
        lambda: store.update_fields(anna.uid, {"value": float("nan")}).contact,
        lambda: store.update_fields("nobody", {"heat": "hot"}).contact,
        lambda: store.log_fields(touch(anna, channel="pigeon"), {})[0],
        lambda: store.log_fields(touch(anna, when=NOW.replace(tzinfo=None)), {})[0],
        lambda: store.log_fields(touch(contact("Not Stored")), {})[0],
        lambda: store.log_fields(touch(anna), {"heat": "tepid"})[0],
        lambda: store.put_contact(contact("", uid=anna.uid)),
    ]
    for attempt in attempts:
        with pytest.raises(InputError):
            attempt()
        assert files_of(tmp_path) == before
    assert len(store.touches()) == 1
    assert store.contact(anna.uid) == anna


# -- hand-edited records --------------------------------------------------------------


def test_bad_record_is_reported_and_never_lost_or_rewritten(store: Store, db: Path) -> None:
    anna = store.add_contact(contact())
    ben = store.add_contact(contact("Ben Costa"))
    store.add_contact(contact("Carla Diaz"))
    data = raw(db)
    data["contacts"]["2"]["heat"] = 5
    data["contacts"]["4"] = "not a record"
    db.write_text(json.dumps(data))
    bad = {k: data["contacts"][k] for k in ("2", "4")}

    store.sync()
    assert sorted(c.name for c in store.contacts()) == ["Anna Berg", "Carla Diaz"]
    assert len(store.problems) == 2
    assert any("#2" in p and "heat" in p for p in store.problems)
    assert any("#4" in p for p in store.problems)
    with pytest.raises(InputError):
        store.contact(ben.uid)

    store.update_fields(anna.uid, {"next_step": "Send the deck"})
    store.log_fields(touch(anna), {"heat": "hot"})
    store.put_contact(store.contact(anna.uid))
    dave = store.add_contact(contact("Dave Eriksen"))
    assert dave.id == 5
    after = raw(db)["contacts"]
    assert {k: after[k] for k in ("2", "4")} == bad
    assert len(after) == 5
    assert len(Store(db).problems) == 2


def test_bad_touch_records_are_skipped_and_kept(store: Store, db: Path) -> None:
    anna = store.add_contact(contact())
    good = store.log_fields(touch(anna), {})[0]
    data = {"touches": journal_file.records(db)}
    data["touches"]["7"] = {"note": "scribble"}  # a journal line holds a dict, checked
    data["touches"]["8"] = {**data["touches"]["1"], "uid": "odd", "channel": "pigeon"}
    journal_file.write(db, data["touches"])
    bad = {k: data["touches"][k] for k in ("7", "8")}

    reopened = Store(db, clock=FixedClock(NOW))
    assert reopened.touches() == [good]
    recounted = reopened.touch_days()
    assert recounted[TODAY] >= 1
    later = reopened.log_fields(touch(anna, at(TODAY, 15)), {})[0]
    assert later.id == 9
    reopened.delete_touch(good.uid)
    after = journal_file.records(db)
    assert {k: after[k] for k in ("7", "8")} == bad
    assert Store(db).touches() == [later]
    days, read_touches = fresh_days(db)
    assert not read_touches
    assert days == {TODAY: recounted[TODAY]}, "the cache agrees with a recount"


def test_a_store_file_written_by_hand_with_indentation_still_loads(db: Path) -> None:
    store = Store(db, clock=FixedClock(NOW))
    anna = store.add_contact(contact())
    db.write_text(json.dumps(raw(db), indent=4))
    assert Store(db).contacts() == [anna]


def test_a_key_that_is_not_a_number_written_under_an_open_store_blocks_its_next_write(
    store: Store, db: Path, tmp_path: Path
) -> None:
    """The keys checked at one write are checked again after the file was read again."""
    anna = store.add_contact(contact())
    store.contacts()
    store.update_fields(anna.uid, {"next_step": "Call"})  # its keys checked
    data = raw(db)
    data["contacts"]["x1"] = {**data["contacts"]["1"], "uid": "other", "name": "Ben Costa"}
    db.write_text(json.dumps(data))
    before = files_of(tmp_path)
    with pytest.raises(DatabaseError) as raised:
        store.update_fields(anna.uid, {"next_step": "Write"})
    assert "'x1'" in str(raised.value)
    assert files_of(tmp_path) == before


def test_a_record_key_that_is_not_a_number_is_reported_and_blocks_writes_cleanly(
    store: Store, db: Path, tmp_path: Path
) -> None:
    anna = store.add_contact(contact())
    store.log_fields(touch(anna), {})
    data = raw(db)
    data["contacts"]["x1"] = {**data["contacts"]["1"], "uid": "other", "name": "Ben Costa"}
    db.write_text(json.dumps(data))
    before = files_of(tmp_path)

    reopened = Store(db, clock=FixedClock(NOW))
    assert [c.name for c in reopened.contacts()] == ["Anna Berg"]
    assert reopened.problems == ["contact 'x1': its key is not a number"]
    for write in (
        lambda: reopened.update_fields(anna.uid, {"next_step": "Call"}).contact,
        lambda: reopened.add_contact(contact("Carla Diaz")),
    ):
        with pytest.raises(DatabaseError) as raised:
            write()
        assert str(db) in str(raised.value) and "'x1'" in str(raised.value)
        assert files_of(tmp_path) == before
    assert reopened.contact(anna.uid) == anna


def test_remove_new_contact_takes_back_a_contact_without_touches(tmp_path: Path) -> None:
    store = Store(tmp_path / "followup.json", clock=FixedClock(NOW))
    kept = store.add_contact(Contact(name="Kept", created_at=NOW, updated_at=NOW))
    added = store.add_contact(Contact(name="Added by mistake", created_at=NOW, updated_at=NOW))
    store.remove_new_contact(added.uid)
    assert [c.name for c in Store(tmp_path / "followup.json").contacts()] == ["Kept"]

    store.log_fields(Touch(contact_uid=kept.uid, at=NOW, channel="call", outcome="reached"), {})
    before = (tmp_path / "followup.json").read_bytes()
    with pytest.raises(InputError, match="has touches"):
        store.remove_new_contact(kept.uid)
    assert (tmp_path / "followup.json").read_bytes() == before


def test_first_screen_never_counts_a_do_not_contact_contact_as_due(tmp_store) -> None:
    from tests.conftest import TODAY

    tmp_store.store.update_fields(tmp_store.uid("Anna Berg"), {"do_not_contact": True})
    head = tmp_store.other_store().first_screen(TODAY, 10)
    assert (head.overdue, head.due_today) == (0, 1)
    hot = [c.name for c in head.contacts if c.heat == "hot"]
    assert hot == ["Marco Rossi", "Anna Berg"]  # last, with the later ones
