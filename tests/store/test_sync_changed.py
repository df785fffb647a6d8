"""What sync() builds again after another process's change: only the contacts whose
records changed (the others are the same objects), and, with `main=False`, only the
touches journal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.model import Contact, Touch
from store.store import Store
from tests.factories import NOW


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "followup.json"


def people(db: Path, count: int = 20) -> list[Contact]:
    store = Store(db, clock=FixedClock(NOW))
    store.add_many([Contact(name=f"P{n}", created_at=NOW, updated_at=NOW) for n in range(count)])
    return store.contacts()


def test_sync_builds_again_only_the_contact_another_process_changed(db: Path) -> None:
    everyone = people(db)
    reader = Store(db, clock=FixedClock(NOW))
    before = {c.uid: c for c in reader.contacts()}
    Store(db, clock=FixedClock(NOW)).update_fields(everyone[3].uid, {"next_step": "call back"})
    assert reader.sync()
    assert reader.changed == {everyone[3].uid}
    after = {c.uid: c for c in reader.contacts()}
    assert after[everyone[3].uid].next_step == "call back"
    kept = [uid for uid in before if after[uid] is before[uid]]
    assert len(kept) == len(everyone) - 1, "only the changed contact was built again"
    assert reader.contacts() == Store(db).contacts()


def test_a_record_broken_by_hand_is_still_reported_after_the_sync(db: Path) -> None:
    everyone = people(db)
    reader = Store(db, clock=FixedClock(NOW))
    assert reader.problems == []
    data = json.loads(db.read_text())
    key = next(k for k, d in data["contacts"].items() if d["uid"] == everyone[5].uid)
    data["contacts"][key]["heat"] = "lukewarm"
    db.write_text(json.dumps(data))
    assert reader.sync()
    assert len(reader.problems) == 1 and "lukewarm" in reader.problems[0]
    assert everyone[5].uid not in {c.uid for c in reader.contacts()}


def test_a_change_of_our_own_before_the_sync_is_not_taken_for_unchanged(db: Path) -> None:
    everyone = people(db)
    reader = Store(db, clock=FixedClock(NOW))
    reader.contacts()  # built, then changed here: what was built no longer holds
    reader.update_fields(everyone[1].uid, {"next_step": "ours"})
    Store(db, clock=FixedClock(NOW)).update_fields(everyone[2].uid, {"next_step": "theirs"})
    assert reader.sync()
    assert reader.changed == {everyone[2].uid}
    steps = {c.uid: c.next_step for c in reader.contacts()}
    assert (steps[everyone[1].uid], steps[everyone[2].uid]) == ("ours", "theirs")
    assert reader.contacts() == Store(db).contacts()


def test_sync_of_the_journal_alone_leaves_the_main_file_for_later(db: Path) -> None:
    everyone = people(db)
    reader = Store(db, clock=FixedClock(NOW))
    reader.histories()  # the journal is read and followed from here
    writer = Store(db, clock=FixedClock(NOW))
    uid = everyone[4].uid
    logged = writer.log_fields(
        Touch(contact_uid=uid, at=NOW, channel="call", outcome="reached"), {"next_step": "again"}
    )[0]
    assert reader.sync(main=False)
    assert reader.changed == {uid}
    assert [t.uid for t in reader.touches(uid)] == [logged.uid]
    assert {c.uid: c for c in reader.contacts()}[uid].next_step == ""  # not read yet
    assert not reader.sync(main=False), "nothing more in the journal"
    assert reader.sync()
    assert {c.uid: c for c in reader.contacts()}[uid].next_step == "again"


def test_a_contact_given_another_contacts_uid_by_hand_is_reported(db: Path) -> None:
    everyone = people(db)
    reader = Store(db, clock=FixedClock(NOW))
    assert len(reader.contacts()) == len(everyone)
    data = json.loads(db.read_text())
    key = next(k for k, d in data["contacts"].items() if d["uid"] == everyone[7].uid)
    data["contacts"][key]["uid"] = everyone[8].uid
    db.write_text(json.dumps(data))
    assert reader.sync()
    assert {everyone[7].uid, everyone[8].uid}.isdisjoint(c.uid for c in reader.contacts())
    assert len(reader.problems) == 2 and all("same uid" in p for p in reader.problems)
