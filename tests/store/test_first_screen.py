"""Store.first_screen: the head of each heat column for the dashboard's first paint,
ranked from the records' heads, must be exactly what column_order puts first: from
records parsed already, and from a file read anew (its records' heads decoded without
the rest, store.engine.layout.Body.heads), with or without a write since."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.model import HEATS, Contact
from store.rules.cadence import column_order, due_state
from store.store import Store
from tests.factories import CREATED, NOW, TODAY

NAMES = ["anna", "Anna", "Ben", "ben", "Carla", "Dirk", "Émile", "zoe", "Zoë", "Omar"]


def random_contacts(seed: int, count: int) -> list[Contact]:
    rng = random.Random(seed)
    contacts = []
    for number in range(count):
        due = rng.choice([None, *range(-60, 90)])
        contacts.append(
            Contact(
                name=f"{rng.choice(NAMES)} {rng.randint(0, 3)}",
                heat=rng.choice(HEATS),
                next_due=None if due is None else TODAY + timedelta(days=due),
                cadence_days=rng.choice([None, None, 1, 5, 30, 200]),
                status=rng.choice(["active"] * 9 + ["dropped"]),
                created_at=CREATED,
                updated_at=CREATED,
                uid=f"uid-{seed}-{number:04d}",
            )
        )
    return contacts


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("per_heat", [1, 5, 24, 1000])
@pytest.mark.parametrize("read", ["parsed", "anew", "anew, one written"])
def test_the_head_of_each_column_is_column_order(
    tmp_path: Path, seed: int, per_heat: int, read: str
) -> None:
    store = Store(tmp_path / "f.json", clock=FixedClock(NOW))
    store.add_many(random_contacts(seed, 300))
    if read != "parsed":
        store = Store(tmp_path / "f.json", clock=FixedClock(NOW))
    if read == "anew, one written":  # the written record is not parsed with the others
        last = store.contact(f"uid-{seed}-0299")
        update = {"next_due": TODAY - timedelta(days=400), "heat": "hot", "cadence_days": 1}
        update["status"] = "active"
        store.update_fields(last.uid, update, allow_dropped=True)
    head = store.first_screen(TODAY, per_heat)
    active = store.contacts()
    if read == "anew, one written":
        assert any(c.uid == f"uid-{seed}-0299" for c in head.contacts)  # the most overdue
    for heat in HEATS:
        members = [c for c in active if c.heat == heat]
        expected = column_order(members, TODAY, store.settings)[:per_heat]
        got = column_order([c for c in head.contacts if c.heat == heat], TODAY, store.settings)
        assert got == expected
        assert head.per_heat[heat] == len(members)
    states = [due_state(c, TODAY) for c in active]
    assert head.overdue == states.count("overdue")
    assert head.due_today == states.count("today")


def test_an_unreadable_record_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    store = Store(path, clock=FixedClock(NOW))
    store.add_many(random_contacts(1, 20))
    data = json.loads(path.read_text())
    first = next(iter(data["contacts"]))
    data["contacts"][first]["next_due"] = "not a date"
    data["contacts"][first]["status"] = "active"
    data["contacts"][first]["heat"] = "hot"
    path.write_text(json.dumps(data))
    reread = Store(path, clock=FixedClock(NOW))
    head = reread.first_screen(TODAY - timedelta(days=400), 100)  # every dated one is "later"
    uids = {c.uid for c in head.contacts}
    assert data["contacts"][first]["uid"] not in uids
    assert uids == {c.uid for c in reread.contacts()}


def test_a_record_of_unexpected_types_is_left_out_of_a_file_read_anew(tmp_path: Path) -> None:
    """A record whose fields are not of the types followup writes (the file then edited
    by hand and written again by followup, so that it is read without parsing) is left
    out of the first paint, and the others are ranked as before."""
    path = tmp_path / "f.json"
    store = Store(path, clock=FixedClock(NOW))
    store.add_many(random_contacts(3, 20))
    data = json.loads(path.read_text())
    first = next(iter(data["contacts"]))
    data["contacts"][first].update(status="active", heat="hot", next_due=17)
    path.write_text(json.dumps(data))
    other = next(c for c in store.contacts() if c.uid != data["contacts"][first]["uid"])
    Store(path, clock=FixedClock(NOW)).update_fields(other.uid, {"next_step": "Call"})
    reread = Store(path, clock=FixedClock(NOW))  # a file in followup's layout again
    assert not reread.contacts_parsed
    head = reread.first_screen(TODAY, 100)
    assert not reread.contacts_parsed  # the first paint parsed only its own records
    uids = {c.uid for c in head.contacts}
    assert data["contacts"][first]["uid"] not in uids
    assert uids == {c.uid for c in reread.contacts()}
    assert head.per_heat["hot"] == sum(1 for c in reread.contacts() if c.heat == "hot")
