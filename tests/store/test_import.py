"""Import into a database: duplicates, dry runs, heat and tags, the summary, staggered
first follow-ups, and merging followup files by uid."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from store import exporting, importing
from store.clock import FixedClock
from store.importing import Candidate, Reading
from store.importing.stagger import stagger
from store.model import Contact, Settings, Touch
from store.store import Store
from tests.conftest import NOW, TODAY, Env
from tests.paths import IMPORT_FIXTURES as FIXTURES


def people(*candidates: Candidate) -> Reading:
    return Reading(candidates=list(candidates))


def docs(store: Store) -> list[dict[str, object]]:
    return sorted((c.to_doc() for c in store.contacts(include_dropped=True)), key=str)


# -- duplicates ------------------------------------------------------------------------


def test_a_person_matches_by_email_case_folded(tmp_store: Env) -> None:
    store = tmp_store.store
    store.update_fields(tmp_store.uid("Anna Berg"), {"email": "anna@northwind.example"})
    plan = importing.run(store, people(Candidate("A. Berg", emails=("ANNA@Northwind.example",))))
    assert (len(plan.new), len(plan.updated), plan.same) == (0, 0, 1)


def test_then_by_phone_digits(tmp_store: Env) -> None:
    store = tmp_store.store
    store.update_fields(tmp_store.uid("Jonas Weber"), {"phone": "+49 (30) 1234-567"})
    plan = importing.run(store, people(Candidate("J Weber", phones=("+49 30 1234567",))))
    assert (len(plan.new), plan.same) == (0, 1)


def test_then_by_name_and_company(tmp_store: Env) -> None:
    store = tmp_store.store
    same = Candidate("omar diaz", company="HELIX LABS")
    other = Candidate("Omar Diaz", company="Another Co")
    plan = importing.run(store, people(same, other))
    assert plan.same == 1
    assert [c.company for c in plan.new] == ["Another Co"]


def test_a_match_fills_empty_fields_and_adds_groups_but_overwrites_nothing(
    tmp_store: Env,
) -> None:
    store = tmp_store.store
    person = Candidate(
        "Lena Fischer", company="Brightwave", role="CTO", emails=("lena@bw.example",),
        tags=("Clients",),
    )  # fmt: skip
    plan = importing.run(store, people(person))
    assert (len(plan.new), len(plan.updated)) == (0, 1)
    lena = tmp_store.contact("Lena Fischer")
    assert (lena.role, lena.email, lena.tags, lena.company) == (
        "CTO", "lena@bw.example", ("Clients",), "Brightwave",
    )  # fmt: skip
    again = importing.run(store, people(person))
    assert (len(again.new), len(again.updated), again.same) == (0, 0, 1)


def test_reimporting_a_file_adds_nothing(empty_store: Store) -> None:
    files = sorted(FIXTURES.iterdir())
    first = importing.run(empty_store, importing.read_files(files))
    assert len(first.new) > 10
    before = docs(empty_store)
    again = importing.run(empty_store, importing.read_files(files))
    assert (len(again.new), len(again.updated)) == (0, 0)
    assert docs(empty_store) == before


def test_dry_run_writes_nothing(tmp_store: Env) -> None:
    before = tmp_store.path.read_bytes()
    plan = importing.run(
        tmp_store.store, importing.read_files([FIXTURES / "vcard30.vcf"]), dry_run=True
    )
    assert len(plan.new) == 2
    assert tmp_store.path.read_bytes() == before
    assert len(tmp_store.other_store().contacts()) == 5


def test_heat_and_tags_apply_to_new_contacts_only(tmp_store: Env) -> None:
    store = tmp_store.store
    new = Candidate("Nia Grant", emails=("nia@grant.example",), tags=("Friends",))
    known = Candidate("Marco Rossi", company="Bellavista Foods")
    importing.run(store, people(new, known), heat="hot", tags=("expo-2026",))
    nia = tmp_store.contact("Nia Grant")
    assert (nia.heat, nia.tags) == ("hot", ("Friends", "expo-2026"))
    assert tmp_store.contact("Marco Rossi").tags == ()


def test_summary_line_and_object(tmp_store: Env) -> None:
    reading = people(
        Candidate("New One", emails=("one@new.example",)),
        Candidate("Lena Fischer", company="Brightwave", role="Designer"),
        Candidate("Omar Diaz", company="Helix Labs"),
    )
    reading.problems.append(importing.Problem("x.vcf", "card 4", "can't be read"))
    plan = importing.run(tmp_store.store, reading)
    assert plan.summary_line() == "1 new, 1 updated, 1 already here, 1 unreadable"
    assert plan.summary() == {
        "new": 1, "updated": 1, "already_here": 1, "unreadable": 1, "touches": 0,
        "without_first_follow_up": 0, "touches_removed": 0,
    }  # fmt: skip


def test_one_person_twice_in_one_import_is_one_contact(empty_store: Store) -> None:
    plan = importing.run(
        empty_store,
        people(
            Candidate("Kim Park", emails=("kim@park.example",)),
            Candidate("Kim Park", emails=("KIM@park.example",), role="Founder"),
        ),
    )
    assert (len(plan.new), plan.same) == (1, 1)
    [kim] = empty_store.contacts()
    assert kim.role == "Founder"


# -- staggered first follow-ups ---------------------------------------------------------


def test_500_new_contacts_are_spread_over_working_days_within_the_target() -> None:
    settings = Settings(rest_days=(5, 6), daily_target=15)
    heats = ["hot"] * 50 + ["warm"] * 300 + ["cool"] * 150
    already = {TODAY + timedelta(days=1): 10}
    found = stagger(heats, TODAY, settings, already)
    assert len(found) == 500
    days = [d for d in found if d is not None]
    load = Counter(days)
    load.update(already)
    assert max(load.values()) <= 15
    assert all(day.weekday() not in (5, 6) and day > TODAY for day in days)
    # Hot ones within a week; warm ones never past their 21 days: those that do not fit
    # the daily target get no date (15 working days x 15, less 10 already due and 50 hot).
    assert all(d is not None and d <= TODAY + timedelta(days=7) for d in found[:50])
    warm_end = TODAY + timedelta(days=21)
    warm = found[50:350]
    assert all(d is None or d <= warm_end for d in warm)
    assert warm.count(None) == 300 - (15 * 15 - 10 - 50)
    day = TODAY + timedelta(days=1)
    while day <= warm_end:
        if day.weekday() < 5:
            assert load[day] == 15, day
        day += timedelta(days=1)
    # The cool ones fill the working days of their 75 days evenly.
    assert None not in found[350:]
    cool = Counter(found[350:])
    assert max(cool.values()) - min(cool.values()) <= 1


def test_a_few_new_contacts_are_spread_over_the_cadence_not_all_tomorrow() -> None:
    days = stagger(["warm"] * 15, TODAY, Settings(daily_target=15))
    assert len(set(days)) == 15  # one a day over the 21-day window's 15 working days
    assert max(days) <= TODAY + timedelta(days=21)


def test_rest_days_come_from_the_settings() -> None:
    found = stagger(["hot"] * 40, TODAY, Settings(rest_days=(0, 2), daily_target=5))
    days = [d for d in found if d is not None]
    assert {d.weekday() for d in days} <= {1, 3, 4, 5, 6}
    assert max(Counter(days).values()) <= 5
    assert len(days) == 5 * 5  # five working days in the week, five a day; the rest undated


def test_imported_contacts_get_their_staggered_dates(empty_store: Store) -> None:
    empty_store.save_settings(Settings(daily_target=2))
    candidates = [Candidate(f"Person {i}", emails=(f"p{i}@x.example",)) for i in range(10)]
    importing.run(empty_store, people(*candidates), heat="hot")
    load = Counter(c.next_due for c in empty_store.contacts())
    assert max(load.values()) == 2 and sum(load.values()) == 10
    assert all(d is not None and d.weekday() < 5 for d in load)


# -- merging followup files -------------------------------------------------------------


def _copy(path: Path, clock: FixedClock) -> Store:
    return Store(path, clock=clock)


def test_two_copies_edited_apart_merge_by_uid(tmp_store: Env, tmp_path: Path) -> None:
    laptop = tmp_store.store
    server_path = tmp_path / "server.json"
    server = _copy(server_path, tmp_store.clock)
    importing.run(server, importing.read_bytes(exporting.to_json(laptop), "laptop.json"))
    assert docs(server) == docs(laptop)
    # Edited apart: the laptop edits Anna later, the server edits Marco and logs a touch
    # and adds a contact.
    tmp_store.clock.advance(hours=1)
    server.update_fields(tmp_store.uid("Marco Rossi"), {"goal": "Renewal at 12k"})
    server.update_fields(tmp_store.uid("Anna Berg"), {"goal": "old idea"})
    tmp_store.clock.advance(hours=1)
    laptop.update_fields(tmp_store.uid("Anna Berg"), {"goal": "Pilot in March"})
    server.log_fields(
        Touch(contact_uid=tmp_store.uid("Marco Rossi"), at=NOW, channel="call", outcome="reached"),
        {},
    )
    server.add_contact(
        Contact(name="Sam Hill", created_at=NOW, updated_at=NOW, email="sam@hill.example")
    )
    plan = importing.run(laptop, importing.read_files([server_path]))
    assert (len(plan.new), len(plan.updated), len(plan.touches)) == (1, 1, 1)
    merged = {c.name: c for c in laptop.contacts()}
    assert merged["Anna Berg"].goal == "Pilot in March"  # the newer edit wins
    assert merged["Marco Rossi"].goal == "Renewal at 12k"
    assert "Sam Hill" in merged
    assert len(laptop.touches()) == 3
    # The other way round, then both agree, and a second run changes nothing.
    importing.run(server, importing.read_bytes(exporting.to_json(laptop), "laptop.json"))
    assert docs(server) == docs(laptop)
    assert {t.uid for t in server.touches()} == {t.uid for t in laptop.touches()}
    before = (tmp_store.path.read_bytes(), server_path.read_bytes())
    for target, source in ((laptop, server_path), (server, tmp_store.path)):
        again = importing.run(target, importing.read_files([source]))
        assert (len(again.new), len(again.updated), len(again.touches)) == (0, 0, 0)
    assert (tmp_store.path.read_bytes(), server_path.read_bytes()) == before


def test_a_json_export_round_trips_into_an_empty_database(tmp_store: Env, tmp_path: Path) -> None:
    store = tmp_store.store
    store.update_fields(tmp_store.uid("Omar Diaz"), {"status": "dropped", "dropped_on": TODAY})
    store.save_settings(Settings(cadence={"hot": 5, "warm": 14, "cool": 60}, daily_target=9))
    target = Store(tmp_path / "empty.json", clock=tmp_store.clock)
    plan = importing.run(target, importing.read_bytes(exporting.to_json(store), "x.json"))
    assert len(plan.new) == 5
    assert docs(target) == docs(store)
    assert sorted((t.to_doc() for t in target.touches()), key=str) == sorted(
        (t.to_doc() for t in store.touches()), key=str
    )
    assert target.settings == store.settings


def test_merged_records_keep_their_ids_and_do_not_duplicate(tmp_store: Env) -> None:
    store = tmp_store.store
    exported = exporting.to_json(store)
    ids = {c.uid: c.id for c in store.contacts()}
    importing.run(store, importing.read_bytes(exported, "x.json"))
    assert {c.uid: c.id for c in store.contacts()} == ids
    assert len(store.touches()) == 2


def test_a_bad_record_in_a_followup_file_is_reported_and_the_rest_merged(
    empty_store: Store, tmp_store: Env
) -> None:
    import orjson

    doc = orjson.loads(exporting.to_json(tmp_store.store))
    doc["contacts"][1]["heat"] = "lukewarm"
    plan = importing.run(empty_store, importing.read_bytes(orjson.dumps(doc), "x.json"))
    assert len(plan.new) == 4
    assert [p.where for p in plan.problems] == ["contact 2"]


def test_an_older_copy_does_not_overwrite_a_newer_edit(tmp_store: Env) -> None:
    old = exporting.to_json(tmp_store.store)
    tmp_store.clock.advance(minutes=5)
    tmp_store.store.update_fields(tmp_store.uid("Anna Berg"), {"role": "COO"})
    plan = importing.run(tmp_store.store, importing.read_bytes(old, "old.json"))
    assert len(plan.updated) == 0
    assert tmp_store.contact("Anna Berg").role == "COO"


def test_stagger_skips_when_all_days_are_rest_days() -> None:
    days = stagger(["hot"] * 3, TODAY, replace(Settings(), rest_days=tuple(range(7))))
    assert all(d > TODAY for d in days) and len(days) == 3
    assert date(2026, 11, 25) in days
