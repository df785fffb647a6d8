"""The touch index in the main file: where each contact's live touches are in the journal,
so a new process reads one contact's touches from their lines alone, exactly, whatever
was appended, removed, moved or compacted since."""

from __future__ import annotations

import json
import random
import zlib
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.engine import journal_scan
from store.engine.files import JsonFile
from store.engine.journal import Journal
from store.errors import DatabaseError
from store.model import Contact, Touch
from store.store import NO_FAULTS, Faults, Store
from tests import journal_file
from tests.factories import NOW, TODAY, at
from tests.faults import CompactSmall, NoScan


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "followup.json"


def seeded(db: Path, count: int = 400, faults: Faults = NO_FAULTS) -> tuple[Store, list[Contact]]:
    store = Store(db, clock=FixedClock(NOW), faults=faults)
    store.add_many([Contact(name=f"P{n}", created_at=NOW, updated_at=NOW) for n in range(8)])
    people = store.contacts()
    touches = [
        Touch(contact_uid=people[n % 8].uid, at=at(TODAY, 8 + n % 10), channel="call",
              outcome="reached", note=f"n{n}")
        for n in range(count)
    ]  # fmt: skip
    store.add_many([], touches)
    assert journal_file.path_of(db).stat().st_size > 65536  # more than a new process reads
    return store, people


def index_of(db: Path) -> journal_scan.TouchIndex | None:
    return journal_scan.IndexFile(journal_file.path_of(db)).read()


def by_index(db: Path, uid: str) -> list[Touch]:
    """One contact's touches as a new process reads them, the index alone allowed."""

    reader = Store(db, clock=FixedClock(NOW), faults=NoScan())
    found = reader.touches(uid)
    assert not reader.touches_loaded
    return found


def everything(db: Path, uid: str) -> list[Touch]:
    store = Store(db, clock=FixedClock(NOW))
    store.touches()
    return store.touches(uid)


def test_a_journal_written_whole_is_indexed(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, people = seeded(db)
    index = index_of(db)
    assert index is not None
    identity, complete_to, text, _, _ = index
    journal = Journal(journal_file.path_of(db))
    journal.sync()
    assert (identity, complete_to) == journal.signature()
    assert text.count("@") == len(journal.records) == 400
    for person in people:
        assert by_index(db, person.uid) == everything(db, person.uid)


def test_logs_removals_and_moves_keep_the_index_exact(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dashboard, people = seeded(db)
    dashboard.touches()  # the journal read whole, as the dashboard holds it
    rng = random.Random(12)
    for step in range(60):
        writer = dashboard if step % 2 else Store(db, clock=FixedClock(NOW))
        person = rng.choice(people)
        action = rng.random()
        if action < 0.5:
            writer.log_fields(Touch(contact_uid=person.uid, at=NOW, channel="email",
                                   outcome="waiting", note=f"s{step}"), {})  # fmt: skip
        elif action < 0.75 and writer.touches(person.uid):
            writer.delete_touch(rng.choice(writer.touches(person.uid)).uid)
        elif writer.touches(person.uid):  # a touch moved to another contact
            moved = rng.choice(writer.touches(person.uid))
            other = rng.choice(people)
            with writer.transaction():
                table = writer._touches_table()
                table.update({"contact_uid": other.uid}, doc_ids=[moved.id])
        index = index_of(db)
        assert index is not None and index[1] >= 0
    for person in people:
        assert by_index(db, person.uid) == everything(db, person.uid)


def test_lines_appended_after_the_index_are_read_too(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, people = seeded(db)
    anna, bo = people[0], people[1]
    journal = Journal(journal_file.path_of(db))
    journal.sync()
    first_of_anna = next(k for k, d in journal.records.items() if d["contact_uid"] == anna.uid)
    moved = {**journal.records[first_of_anna], "contact_uid": bo.uid}
    journal.records[first_of_anna] = moved
    new = Touch(contact_uid=anna.uid, at=NOW, channel="text", outcome="reached").to_doc()
    journal.append({first_of_anna: moved, "9999": new})  # a writer that left the index be
    for person in (anna, bo):
        assert by_index(db, person.uid) == everything(db, person.uid)
    assert any(t.note == "" and t.channel == "text" for t in everything(db, anna.uid))


def test_an_index_that_does_not_fit_the_journal_is_not_trusted(db: Path) -> None:
    _, people = seeded(db)
    docs = journal_file.records(db)
    for key in list(docs)[:10]:
        del docs[key]
    journal_file.write(db, docs)  # rewritten by another program: a new identity
    reader = Store(db, clock=FixedClock(NOW))
    assert reader.touches(people[0].uid) == everything(db, people[0].uid)


def test_an_index_naming_the_wrong_lines_falls_back_to_the_journal(db: Path) -> None:
    _, people = seeded(db)
    path = journal_file.path_of(db)
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    lines[3], lines[4] = lines[4], lines[3]  # same size, same identity: offsets now wrong
    path.write_bytes(b"\n".join(lines))
    for person in people:
        assert Store(db, clock=FixedClock(NOW)).touches(person.uid) == everything(db, person.uid)


def test_compaction_gives_a_new_index(db: Path) -> None:
    store, people = seeded(db, faults=CompactSmall())
    before = index_of(db)
    for touch in store.touches()[:201]:
        store.delete_touch(touch.uid)  # dead lines outnumber live ones: compacted
    journal = Journal(journal_file.path_of(db))
    journal.sync()
    after = index_of(db)
    assert before is not None and after is not None
    assert after[0] != before[0] and after[0] == journal.identity
    assert 0 < after[1] <= journal.offset  # the lines after it are read too
    assert len(journal.records) == 199
    for person in people:  # small now, so a new process reads it whole: the index alone
        found = journal_scan.read_indexed(
            journal.path, after[2], after[1], journal.offset, person.uid
        )
        assert found == {k: d for k, d in journal.records.items() if d["contact_uid"] == person.uid}


def test_a_journal_from_before_the_index_is_indexed_once_by_a_reader_of_every_touch(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, people = seeded(db)
    index_file = journal_scan.IndexFile(journal_file.path_of(db))
    index_file.path.unlink()  # as an older followup left it
    dashboard = Store(db, clock=FixedClock(NOW))
    dashboard.touches()
    dashboard.log_fields(Touch(contact_uid=people[1].uid, at=NOW, channel="call",
                              outcome="reached"), {})  # fmt: skip
    assert index_of(db) is not None
    for person in people:
        assert by_index(db, person.uid) == everything(db, person.uid)


def test_a_lost_index_is_built_again_by_the_next_writer_that_reads_one_contact(
    db: Path,
) -> None:
    """A missing index (deleted, not restored from a backup) cost every later read of one
    contact a scan of the whole journal; the next write of a process that read only that
    contact (`followup log`, the dashboard) builds it from every line, once."""
    store, people = seeded(db)
    first = store.touches(people[3].uid)[0]
    store.delete_touch(first.uid, people[3].uid)  # a removal line too
    index_file = journal_scan.IndexFile(journal_file.path_of(db))
    index_file.path.unlink()
    cli = Store(db, clock=FixedClock(NOW))
    assert cli.touches(people[0].uid) == everything(db, people[0].uid)  # by a scan
    cli.log_fields(Touch(contact_uid=people[0].uid, at=NOW, channel="call", outcome="reached"), {})
    assert not cli.touches_loaded
    assert index_of(db) is not None
    for person in people:
        assert by_index(db, person.uid) == everything(db, person.uid)


def test_index_text_updates() -> None:
    index = journal_scan.build_index(
        {"1": {"contact_uid": "a"}, "2": {"contact_uid": "b"}, "3": {"contact_uid": "a"}},
        [("1", 10), ("2", 20), ("3", 30)],
    )
    assert index == "\na\t1@10 3@30\nb\t2@20"
    moved = journal_scan.updated_index(index, [("1", 40)], {"1": {"contact_uid": "b"}})
    assert moved == "\na\t3@30\nb\t2@20 1@40"
    removed = journal_scan.updated_index(moved, [("3", 50)], {})
    assert removed == "\na\t\nb\t2@20 1@40"
    again = journal_scan.updated_index(removed, [("7", 60)], {"7": {"contact_uid": "a"}})
    assert again == "\na\t7@60\nb\t2@20 1@40"
    assert journal_scan.build_index({"1": {"contact_uid": "a b"}}, [("1", 5)]) is None


def test_a_damaged_or_missing_index_file_costs_a_scan_not_a_touch(db: Path) -> None:
    _, people = seeded(db)
    index_file = journal_scan.IndexFile(journal_file.path_of(db))
    raw = index_file.path.read_bytes()
    index_file.path.write_bytes(raw[: len(raw) // 2])  # cut short (a crash: never fsynced)
    assert index_file.read() is None
    for person in people[:3]:
        assert Store(db, clock=FixedClock(NOW)).touches(person.uid) == everything(db, person.uid)
    index_file.path.unlink()
    assert Store(db, clock=FixedClock(NOW)).touches(people[0].uid) == everything(db, people[0].uid)


def test_an_index_checked_by_crc_32_is_still_used(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index written before the XXH3 check (its head held a CRC-32) is used as it is."""
    _, people = seeded(db)
    path = journal_scan.IndexFile(journal_file.path_of(db)).path
    raw = path.read_bytes()
    newline = raw.find(b"\n")
    head = json.loads(raw[:newline])
    assert type(head.pop("xxh3")) is int
    head["crc"] = zlib.crc32(raw[newline + 1 :])
    path.write_bytes(json.dumps(head).encode() + raw[newline:])
    assert journal_scan.IndexFile(path.with_name(path.name.removesuffix(".index"))).read()
    assert by_index(db, people[2].uid) == everything(db, people[2].uid)
    head["crc"] += 1
    path.write_bytes(json.dumps(head).encode() + raw[newline:])
    assert index_of(db) is None, "a CRC-32 that does not hold is not trusted"


def test_a_journal_cut_short_under_the_index_is_not_read_by_it(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, people = seeded(db)
    path = journal_file.path_of(db)
    raw = path.read_bytes()
    cut = raw.rfind(b"\n", 0, len(raw) * 3 // 4) + 1  # whole lines: another program cut it
    path.write_bytes(raw[:cut])
    with pytest.raises(DatabaseError, match="is shorter"):
        Store(db, clock=FixedClock(NOW))  # the pair: refused
    main = JsonFile(db)  # a main file written before the pair was recorded: not refused
    main.load()
    main.materialize()
    main.write({k: v for k, v in (main.data or {}).items() if k != "pair"})
    cli = Store(db, clock=FixedClock(NOW))
    for n in range(30):  # appended past where the index said it was complete
        cli.log_fields(Touch(contact_uid=people[n % 8].uid, at=NOW, channel="call",
                            outcome="reached", note=f"after {n}"), {})  # fmt: skip
    index = index_of(db)
    assert index is not None and index[1] < 0  # said not to fit, until a compaction
    for person in people:
        assert Store(db, clock=FixedClock(NOW)).touches(person.uid) == everything(db, person.uid)
    dashboard = Store(db, clock=FixedClock(NOW))
    dashboard.touches()
    dashboard.log_fields(Touch(contact_uid=people[0].uid, at=NOW, channel="call",
                              outcome="reached"), {})  # fmt: skip
    again = index_of(db)
    assert again is not None and again[1] >= 0  # compacted once, indexed again
    for person in people:
        assert by_index(db, person.uid) == everything(db, person.uid)


def test_the_index_is_brought_up_to_date_once_enough_was_appended_after_it(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, people = seeded(db)
    first = index_of(db)
    assert first is not None
    cli = Store(db, clock=FixedClock(NOW))
    for n in range(3):
        cli.log_fields(Touch(contact_uid=people[n].uid, at=NOW, channel="call",
                            outcome="reached", note="short"), {})  # fmt: skip
    assert index_of(db) == first  # a few lines after it: read by readers, not indexed
    for person in people:
        assert by_index(db, person.uid) == everything(db, person.uid)
    victim = everything(db, people[1].uid)[-1]
    Store(db, clock=FixedClock(NOW)).delete_touch(victim.uid)
    for n in range(40):  # more than journal_scan.REFRESH bytes
        Store(db, clock=FixedClock(NOW)).log_fields(
            Touch(
                contact_uid=people[n % 8].uid,
                at=NOW,
                channel="email",
                outcome="waiting",
                note="x" * 2000,
            ),
            {},
        )
    later = index_of(db)
    assert later is not None and later[0] == first[0] and later[1] > first[1]
    assert f" {victim.id}@" not in later[2] and f"\t{victim.id}@" not in later[2]
    assert later[1] - first[1] > journal_scan.REFRESH  # caught up with the lines after it
    for person in people:
        assert by_index(db, person.uid) == everything(db, person.uid)


def test_a_touch_logged_and_removed_after_the_index_stays_removed_once_it_is_caught_up(
    db: Path,
) -> None:
    _, people = seeded(db)
    anna = people[0]
    cli = Store(db, clock=FixedClock(NOW))
    logged = cli.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="call",
                                  outcome="reached", note="X"), {})[0]  # fmt: skip
    assert logged is not None
    Store(db, clock=FixedClock(NOW)).delete_touch(logged.uid, anna.uid)
    before = index_of(db)
    for _n in range(40):  # more than journal_scan.REFRESH bytes: the index is caught up
        Store(db, clock=FixedClock(NOW)).log_fields(
            Touch(contact_uid=people[1].uid, at=NOW, channel="email", outcome="waiting",
                  note="y" * 2000), {},
        )  # fmt: skip
    after = index_of(db)
    assert before is not None and after is not None and after[1] > before[1]
    assert "X" not in [t.note for t in by_index(db, anna.uid)]
    assert by_index(db, anna.uid) == everything(db, anna.uid)


def test_an_index_of_another_copy_of_the_journal_is_not_believed(db: Path, tmp_path: Path) -> None:
    """Two copies of one database that went apart (a sync conflict): the same journal
    identity, and an index of the other copy, complete to an offset this one has too."""
    _, people = seeded(db)
    other = tmp_path / "other"
    other.mkdir()
    for path in tmp_path.glob("followup*"):
        if path.is_file():
            (other / path.name).write_bytes(path.read_bytes())
    anna, bo = people[0], people[1]
    here = Store(db, clock=FixedClock(NOW))
    there = Store(other / "followup.json", clock=FixedClock(NOW))
    first, second = here.touches(anna.uid)[:2]  # ids of as many digits: the lines align
    here.delete_touch(first.uid, anna.uid)
    there.delete_touch(second.uid, anna.uid)
    for n in range(41):  # more than REFRESH bytes on both copies: both indexes caught up
        for store in (here, there):
            store.log_fields(Touch(contact_uid=bo.uid, at=NOW, channel="email",
                                   outcome="waiting", note=f"{n:02}" + "y" * 2000), {})  # fmt: skip
    ours = index_of(db)
    assert ours is not None
    index = journal_scan.IndexFile(journal_file.path_of(db)).path
    kept = index.read_bytes()
    for name in ("followup.json", "followup.touches.jsonl"):  # the other copy, synced in
        (tmp_path / name).write_bytes((other / name).read_bytes())
    index.write_bytes(kept)  # with this copy's index
    assert journal_file.path_of(db).stat().st_size >= ours[1]
    assert (
        journal_file.path_of(db).stat().st_size
        == journal_file.path_of(other / "followup.json").stat().st_size
    )
    assert first.uid in [t.uid for t in everything(db, anna.uid)], "the other copy has it"
    assert Store(db, clock=FixedClock(NOW)).touches(anna.uid) == everything(db, anna.uid)


@pytest.mark.parametrize("older", ["no check", "a check of the last 4 KB"])
def test_an_index_written_before_the_whole_prefix_check_is_not_read_but_a_writer_takes_it_once(
    db: Path, older: str
) -> None:
    _, people = seeded(db)
    index = journal_scan.IndexFile(journal_file.path_of(db)).path
    newline = index.read_bytes().find(b"\n")
    head = json.loads(index.read_bytes()[:newline])
    prefix = head.pop("prefix")  # as the versions before wrote it
    if older != "no check":
        head["tail"] = prefix
    index.write_bytes(json.dumps(head).encode() + index.read_bytes()[newline:])
    assert index_of(db) is not None and index_of(db)[4] is None  # type: ignore[index]
    with pytest.raises(AssertionError, match="scanned"):
        by_index(db, people[0].uid)  # not read: a scan
    Store(db, clock=FixedClock(NOW)).log_fields(
        Touch(contact_uid=people[1].uid, at=NOW, channel="call", outcome="reached"), {}
    )
    assert by_index(db, people[0].uid) == everything(db, people[0].uid)
