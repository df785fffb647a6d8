"""The main file laid out one contact a line: still plain TinyDB JSON, a write changes
only the lines of the records it changed, a reader parses only what it needs, and a file
edited by another program is read whole."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from store.clock import FixedClock
from store.engine.layout import Body, body_of, changed_lines, decode, encode
from store.model import Contact, Touch
from store.store import Store
from tests.factories import NOW


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "followup.json"


def seeded(db: Path, count: int = 30) -> Store:
    store = Store(db, clock=FixedClock(NOW))
    names = [f"Person {n}" for n in range(count - 3)] + ["Ánna  Berg", "STRASSE Weg", "Zoë"]
    store.add_many([Contact(name=name, created_at=NOW, updated_at=NOW) for name in names])
    return store


def lines(db: Path) -> list[bytes]:
    return db.read_bytes().split(b"\n")


def test_the_file_is_plain_json_with_one_contact_a_line(db: Path) -> None:
    store = seeded(db)
    data = json.loads(db.read_bytes())
    assert len(data["contacts"]) == 30
    assert len(lines(db)) == 30 + 3  # the other tables, "contacts":{, 30 records, }}
    stock = TinyDB(db)
    assert len(stock.table("contacts")) == 30
    assert {c.name for c in store.contacts()} == {d["name"] for d in data["contacts"].values()}


def test_a_log_rewrites_only_the_line_of_its_contact(db: Path) -> None:
    store = seeded(db)
    anna = next(c for c in store.contacts() if c.name.startswith("Á"))
    before = lines(db)
    store.log_fields(
        Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"),
        {"next_step": "Send the deck"},
    )
    after = lines(db)
    differ = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert differ[0] == 0  # the first line: the day counts and the layout's check
    assert len(differ) == 2
    assert b"Send the deck" in after[differ[1]] and anna.uid.encode() in after[differ[1]]


def test_a_new_process_reads_only_the_records_it_needs(db: Path) -> None:
    seeded(db)
    other = Store(db, clock=FixedClock(NOW))
    found = other.contacts_named("ÁNNA berg")
    assert [c.name for c in found] == ["Ánna Berg"]
    assert [c.name for c in other.contacts_named("strasse")] == ["STRASSE Weg"]
    anna = found[0]
    other.log_fields(
        Touch(contact_uid=anna.uid, at=NOW, channel="email", outcome="no-reply"),
        {"next_step": "Call"},
    )
    assert other.contact(anna.uid).next_step == "Call"
    assert other.contact_by_id(anna.id).next_step == "Call"
    assert not other.contacts_parsed, "the other contacts were never parsed"
    fresh = Store(db, clock=FixedClock(NOW))
    assert fresh.contact(anna.uid).next_step == "Call"
    assert len(fresh.contacts()) == 30


def test_the_names_index_leaves_out_dropped_contacts_and_never_matches_a_key(db: Path) -> None:
    store = seeded(db, count=15)
    zoe = next(c for c in store.contacts() if c.name == "Zoë")
    store.update_fields(zoe.uid, {"status": "dropped", "dropped_on": NOW.date()})
    other = Store(db, clock=FixedClock(NOW))
    assert other.contacts_named("zoë") == []  # dropped: not in the index
    assert [c.name for c in other.contacts_named("person 1")] == [
        "Person 1", "Person 10", "Person 11"
    ]  # fmt: skip
    by_id = Store(db, clock=FixedClock(NOW))
    assert by_id.contact_by_id(3).name == "Person 2" and not by_id.contacts_parsed


def test_a_file_edited_by_hand_is_read_whole(db: Path) -> None:
    seeded(db, count=5)
    raw = db.read_bytes().replace(b'"name":"Person 1"', b'"name":"Renamed by hand"')
    db.write_bytes(raw)
    assert decode(raw) is None  # the check no longer holds
    other = Store(db, clock=FixedClock(NOW))
    assert [c.name for c in other.contacts_named("renamed")] == ["Renamed by hand"]
    assert other.contacts_parsed
    other.update_fields(other.contacts_named("renamed")[0].uid, {"goal": "kept"})
    assert decode(db.read_bytes()) is not None  # written back in the layout
    assert "Renamed by hand" in {c.name for c in Store(db, clock=FixedClock(NOW)).contacts()}


def as_written_before_the_xxh3_check(raw: bytes) -> bytes:
    """The same file as followup wrote it with a CRC-32 check (its layout as then)."""
    newline = raw.find(b"\n")
    head = json.loads(raw[: newline - 1] + b"}")
    layout = head["layout"]["1"]
    del layout["xxh3"]
    layout.pop("parent", None), layout.pop("edits", None)
    body = raw[newline + 1 :]
    layout["crc"] = zlib.crc32(str(len(layout["names"])).encode(), zlib.crc32(body))
    first = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    return first[:-1] + b",\n" + body


def test_the_check_is_xxh3_and_a_file_checked_by_crc_32_is_read_as_laid_out(db: Path) -> None:
    seeded(db, count=6)
    raw = db.read_bytes()
    layout = json.loads(raw)["layout"]["1"]
    assert type(layout["xxh3"]) is int and "crc" not in layout
    older = as_written_before_the_xxh3_check(raw)
    assert decode(older) is not None, "read in its layout, not parsed whole"
    db.write_bytes(older)
    other = Store(db, clock=FixedClock(NOW))
    anna = other.contacts_named("ÁNNA berg")[0]
    assert not other.contacts_parsed
    other.update_fields(anna.uid, {"goal": "still here"})
    assert "xxh3" in json.loads(db.read_bytes())["layout"]["1"]  # written with the new check
    assert Store(db, clock=FixedClock(NOW)).contact(anna.uid).goal == "still here"
    damaged = older.replace(b'"name":"Person 1"', b'"name":"Person 7"')
    assert decode(damaged) is None, "a CRC-32 that does not hold is not trusted"
    assert decode(raw.replace(b'"name":"Person 1"', b'"name":"Person 7"')) is None


def test_a_file_written_by_stock_tinydb_is_read_and_laid_out_again(db: Path) -> None:
    seeded(db, count=4)
    stock = TinyDB(db)
    stock.table("contacts").update({"goal": "from elsewhere"}, doc_ids=[2])
    stock.close()
    assert len(lines(db)) == 1
    store = Store(db, clock=FixedClock(NOW))
    assert store.contact_by_id(2).goal == "from elsewhere"
    store.update_fields(store.contact_by_id(1).uid, {"goal": "ours"})
    assert len(lines(db)) == 4 + 3
    assert Store(db, clock=FixedClock(NOW)).contact_by_id(2).goal == "from elsewhere"


def test_another_process_s_change_parses_only_its_lines(db: Path) -> None:
    store = seeded(db)
    contacts = store.contacts()
    records = store.raw_contacts()
    other = Store(db, clock=FixedClock(NOW))
    other.update_fields(contacts[4].uid, {"goal": "changed elsewhere"})
    assert store.sync()
    assert store.changed == {contacts[4].uid}
    now = store.raw_contacts()
    assert now["5"]["goal"] == "changed elsewhere"
    assert all(now[k] is records[k] for k in records if k != "5"), "parsed again"
    assert store.contacts()[0] is contacts[0]


def test_a_body_changes_line_by_line() -> None:
    records = {str(n): {"name": f"N{n}", "uid": f"u{n}"} for n in range(1, 6)}
    body = body_of(records)
    assert body.records() == records
    assert body.record("3") == records["3"] and body.record("9") is None
    changed = body.with_records({"5": {"name": "Five", "uid": "u5"}})
    assert changed is not None
    assert changed.records()["5"]["name"] == "Five"
    assert changed.keys_named("five") == ["5"] and changed.keys_named("n5") == []
    assert changed_lines(body, changed) == {"5": {"name": "Five", "uid": "u5"}}
    assert body.with_records({"6": {"name": "new"}}) is None  # a new key: laid out whole
    assert body.with_records({"2": None}) is None  # a removal too
    empty = body_of({})
    assert empty.records() == {} and empty.lines() == []
    raw = b"".join(encode({"meta": {"1": {"schema_version": 2}}}, body))
    head, again = decode(raw)  # type: ignore[misc]
    assert head == {"meta": {"1": {"schema_version": 2}}}
    assert isinstance(again, Body) and b"".join(again.chunks()) == b"".join(body.chunks())
    assert decode(raw[:-1]) is None and decode(raw.replace(b"N3", b"N4")) is None


def test_a_write_builds_again_only_the_contacts_it_changed(db: Path) -> None:
    store = seeded(db)
    before = store.contacts()
    anna = before[7]
    store.log_fields(
        Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"),
        {"next_step": "Next"},
    )
    after = store.contacts()
    assert after[7].next_step == "Next" and after[7] is not before[7]
    assert all(a is b for n, (a, b) in enumerate(zip(after, before, strict=True)) if n != 7)
    other = Store(db, clock=FixedClock(NOW))
    other.update_fields(before[3].uid, {"goal": "elsewhere"})
    assert store.sync()
    again = store.contacts()
    assert again[3].goal == "elsewhere"
    assert all(a is b for n, (a, b) in enumerate(zip(again, after, strict=True)) if n != 3)
    new = store.add_contact(Contact(name="Newcomer", created_at=NOW, updated_at=NOW))
    assert store.contact(new.uid).name == "Newcomer"  # the uid map follows an insert
    assert len(store.contacts()) == 31


def test_the_due_contacts_are_found_without_parsing_the_others(db: Path) -> None:
    store = seeded(db)
    people = store.contacts()
    for n, person in enumerate(people[:12]):
        due = NOW.date().replace(day=1 + n)
        store.update_fields(
            person.uid, {"next_step": f"s{n}", "next_due": due, "goal": 'a "next_due":"2000-01-01"'}
        )
    store.update_fields(people[2].uid, {"status": "dropped", "dropped_on": NOW.date()})
    day = NOW.date().replace(day=6)
    fresh = Store(db, clock=FixedClock(NOW))
    found = fresh.due_by(day)
    assert not fresh.contacts_parsed
    whole = Store(db, clock=FixedClock(NOW))
    whole.contacts()
    assert found == whole.due_by(day)
    assert sorted(c.next_step for c in found) == ["s0", "s1", "s3", "s4", "s5"]


def test_changed_lines_finds_exactly_the_records_edited_in_place() -> None:
    import random

    rng = random.Random(5)
    for _ in range(300):
        count = rng.randint(1, 12)
        records = {str(n): {"name": "x" * rng.randint(0, 5), "n": n} for n in range(1, count + 1)}
        edited = dict(records)
        keys = rng.sample(sorted(records), rng.randint(0, min(3, count)))
        for key in keys:
            edited[key] = {"name": "y" * rng.randint(0, 7), "n": int(key)}
        expected = {k: d for k, d in edited.items() if d != records[k]}
        assert changed_lines(body_of(records), body_of(edited)) == expected
    grown = body_of({"1": {"a": 1}, "2": {"a": 2}})
    assert changed_lines(body_of({"1": {"a": 1}}), grown) is None  # a record added
    assert changed_lines(grown, body_of({"2": {"a": 2}, "1": {"a": 1}})) is None  # moved


def test_a_body_made_from_the_one_read_names_its_edits() -> None:
    records = {str(n): {"name": f"N{n}"} for n in range(1, 40)}
    old = body_of(records)
    head = {"meta": {"1": {"schema_version": 2}}}
    read = decode(b"".join(encode(head, old)))
    assert read is not None
    old = read[1]
    made = old.with_records({"7": {"name": "Seven"}, "30": {"name": "Thirty"}})
    assert made is not None
    written = decode(b"".join(encode(head, made)))
    assert written is not None
    new = written[1]
    assert new.parent == old.check and [key for key, _ in new.edits] == ["7", "30"]
    assert changed_lines(old, new) == {"7": {"name": "Seven"}, "30": {"name": "Thirty"}}
    other = body_of({**records, "3": {"name": "changed elsewhere"}})
    other.check = 12345  # a version this one was not made from: every line compared
    assert changed_lines(other, new) == {
        "3": {"name": "N3"}, "7": {"name": "Seven"}, "30": {"name": "Thirty"}
    }  # fmt: skip


@given(
    count=st.integers(min_value=1, max_value=12),
    writes=st.lists(
        st.tuples(
            st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=4),
            st.text(max_size=6),
            st.sampled_from(["record", "search", "none"]),
        ),
        max_size=12,
    ),
    segments=st.sampled_from([2, 5, 64]),
    from_file=st.booleans(),
)
@settings(max_examples=150, deadline=None)
def test_a_run_of_writes_keeps_the_bytes_and_the_records_of_a_fresh_layout(
    count: int,
    writes: list[tuple[list[int], str, str]],
    segments: int,
    from_file: bool,
) -> None:
    """Each write replaces its lines in segments of the bytes before it (never a copy of
    the rest); whatever is read between writes (a record, a search that joins them), the
    bytes, every record and the lines a reader of the parent finds are those of the same
    records laid out afresh."""
    records: dict[str, Any] = {
        str(n): {"uid": f"u{n}", "name": f"P {n}"} for n in range(1, count + 1)
    }
    body = body_of(records)
    if from_file:  # as read: the bytes after the first line
        laid_out = decode(b"".join(encode({"meta": {}}, body)))
        assert laid_out is not None
        body = laid_out[1]
    for keys, name, read in writes:
        changed = {str(k): {"uid": f"u{k}", "name": name} for k in keys if k <= count}
        if not changed:
            continue
        old = Body.MAX_SEGMENTS
        Body.MAX_SEGMENTS = segments
        try:
            made = body.with_records(changed)
        finally:
            Body.MAX_SEGMENTS = old
        assert made is not None
        assert len(made.chunks()) <= segments + 2 * len(changed) + 1  # a copy now and then
        records.update(changed)
        fresh = body_of(records)
        assert made.size == fresh.size and made.names == fresh.names
        written = b"".join(made.chunks())  # as another process reads it: one buffer
        assert written == b"".join(fresh.chunks())
        assert Body(written, made.names).lines_at(made.edits) == changed
        if read == "record":
            assert all(made.record(key) == doc for key, doc in records.items())
        elif read == "search":
            assert [key for key, _ in made.holding(b'"u1"')] == ["1"]
        body = made
    assert all(body.record(key) == doc for key, doc in records.items())
    assert body.records() == records


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=40),
    writes=st.lists(st.lists(st.integers(min_value=1, max_value=40), max_size=4), max_size=5),
    reads=st.lists(st.integers(min_value=0, max_value=45), max_size=30),
    from_file=st.booleans(),
)
def test_records_are_found_in_any_order(
    count: int, writes: list[list[int]], reads: list[int], from_file: bool
) -> None:
    """A line is looked for from after the one found last, then from the start: keys
    asked for in any order (or absent: 0, and past the last), from one buffer or from the
    segments of writes, joined or not in between, are found as laid out afresh."""
    records: dict[str, Any] = {
        str(n): {"uid": f"u{n}", "name": f"P {n}"} for n in range(1, count + 1)
    }
    body = body_of(records)
    if from_file:
        laid_out = decode(b"".join(encode({"meta": {}}, body)))
        assert laid_out is not None
        body = laid_out[1]
    for step, keys in enumerate(writes):
        for key in reads:
            assert body.record(str(key)) == records.get(str(key))
        changed = {str(k): {"uid": f"u{k}", "name": f"W{step}"} for k in keys if k <= count}
        made = body.with_records(changed) if changed else None
        if made is not None:
            records.update(changed)
            body = made
        if step % 2:
            body.holding(b'"u1"')  # a search joins the segments into one buffer
    for key in reversed(reads):
        assert body.record(str(key)) == records.get(str(key))
