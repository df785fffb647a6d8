"""Store.first_screen: the head of each heat column for the dashboard's first paint,
ranked from the raw records, must be exactly what column_order puts first."""

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
def test_the_head_of_each_column_is_column_order(tmp_path: Path, seed: int, per_heat: int) -> None:
    store = Store(tmp_path / "f.json", clock=FixedClock(NOW))
    store.add_many(random_contacts(seed, 300))
    head = store.first_screen(TODAY, per_heat)
    active = store.contacts()
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
