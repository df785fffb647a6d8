"""The touches journal (store/engine/journal.py): its format, following it by offset, torn and
cut files, compaction, and the TinyDB storage over it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB

from store.engine.journal import Journal, decode, encode, iter_lines
from store.engine.journal_tinydb import JournalStorage, JournalTable
from store.errors import DatabaseError
from tests.faults import DiskFull, ReadsCounted
from tests.helpers_journal import lock_of


def opened(path: Path, **kwargs: Any) -> tuple[Journal, JournalStorage, Any]:
    journal = Journal(path, **kwargs)
    db = TinyDB(journal, storage=JournalStorage)
    db.table_class = JournalTable
    storage: JournalStorage = db.storage  # type: ignore[assignment]
    journal.sync()
    return journal, storage, db.table("touches")


def log(storage: JournalStorage, table: Any, *docs: dict[str, Any]) -> list[int]:
    storage.journal.sync()
    storage.begin()
    ids = [table.insert(doc) for doc in docs]
    storage.commit()
    return ids


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "followup.touches.jsonl"


# -- the format ---------------------------------------------------------------------


def test_a_line_is_a_checksum_and_json_and_any_changed_byte_is_caught() -> None:
    line = encode({"put": "7", "doc": {"note": "Talked pricing"}})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert decode(line[:-1]) == {"put": "7", "doc": {"note": "Talked pricing"}}
    body = bytearray(line[:-1])
    for index in range(len(body)):
        damaged = bytearray(body)
        damaged[index] = ord("#") if damaged[index] != ord("#") else ord("$")
        assert decode(bytes(damaged)) is None, f"byte {index} changed and not caught"
    assert decode(b"") is None
    assert decode(b"00000000 ") is None


def test_the_first_write_creates_the_journal_whole_with_a_header(path: Path) -> None:
    journal, storage, table = opened(path)
    assert not path.exists(), "reading creates nothing"
    log(storage, table, {"n": 1})
    header, put = list(iter_lines(path))
    assert header["journal"] == "followup" and header["schema"] == 1
    assert header["table"] == "touches"
    assert len(header["id"]) == 32 and int(header["id"], 16) >= 0
    assert put == {"put": "1", "doc": {"n": 1}}
    assert journal.identity == header["id"]
    other = Journal(path.with_name("other.jsonl"))
    other.sync()
    other.records.begin()
    other.records["1"] = {"n": 1}
    other.append({"1": {"n": 1}})
    assert other.identity != journal.identity, "every journal has its own identity"


def test_puts_replaces_and_removes_are_one_appended_batch_each(path: Path) -> None:
    _journal, storage, table = opened(path)
    log(storage, table, {"n": 1}, {"n": 2})
    size = path.stat().st_size
    storage.begin()
    table.insert({"n": 3})
    table.update({"n": 20}, doc_ids=[2])
    table.remove(doc_ids=[1])
    change = storage.commit()
    assert change.put == {"3": {"n": 3}, "2": {"n": 20}}
    assert change.removed == {"2": {"n": 2}, "1": {"n": 1}}
    data = path.read_bytes()
    new = data[size:].split(b"\n")[:-1]
    assert [decode(line) for line in new] == [
        {"put": "3", "doc": {"n": 3}, "more": True},
        {"put": "2", "doc": {"n": 20}, "more": True},
        {"del": "1", "next": 4},
    ], "one batch: every line but the last says more follows"
    fresh = Journal(path)
    fresh.sync()
    assert dict(fresh.records) == {"2": {"n": 20}, "3": {"n": 3}}
    assert fresh.dead == 3


def test_one_touch_appended_to_a_big_journal_writes_one_short_line(path: Path) -> None:
    _journal, storage, table = opened(path)
    log(storage, table, *({"n": n, "note": "x" * 100} for n in range(2000)))
    size = path.stat().st_size
    log(storage, table, {"n": 2000})
    assert path.stat().st_size - size == len(
        encode({"put": "2001", "doc": {"n": 2000}, "next": 2002})
    )


def test_a_failed_transaction_writes_nothing_and_is_undone(path: Path) -> None:
    journal, storage, table = opened(path)
    log(storage, table, {"n": 1})
    before = path.read_bytes()
    storage.begin()
    table.insert({"n": 2})
    table.update({"n": 10}, doc_ids=[1])
    storage.rollback()
    assert dict(journal.records) == {"1": {"n": 1}}
    assert path.read_bytes() == before
    log(storage, table, {"n": 3})
    assert Journal(path).sync().put == {"1": {"n": 1}, "3": {"n": 3}}


def test_a_write_that_fails_midway_is_taken_back(path: Path) -> None:
    disk = DiskFull(keep=0.5, full=False)  # half of the append, then full
    journal, storage, table = opened(path, faults=disk)
    log(storage, table, {"n": 1})
    before = path.read_bytes()
    disk.full = True
    storage.begin()
    table.insert({"n": 2})
    with pytest.raises(DatabaseError) as raised:
        storage.commit()
    assert "the disk is full" in str(raised.value) and "nothing was changed" in str(raised.value)
    assert path.read_bytes() == before
    assert dict(journal.records) == {"1": {"n": 1}}


def test_tinydb_queries_and_its_own_table_writes_go_through_the_journal(path: Path) -> None:
    _journal, storage, table = opened(path)
    log(storage, table, {"who": "anna", "n": 1}, {"who": "omar", "n": 2})
    who = Query()
    assert [d["n"] for d in table.search(who.who == "anna")] == [1]
    storage.begin()
    table.update({"seen": True}, who.who == "omar")
    table.insert_multiple([{"who": "lena", "n": 3}, {"who": "lena", "n": 4}])
    table.remove(who.who == "anna")
    storage.commit()
    fresh = Journal(path)
    fresh.sync()
    assert dict(fresh.records) == {
        "2": {"who": "omar", "n": 2, "seen": True},
        "3": {"who": "lena", "n": 3},
        "4": {"who": "lena", "n": 4},
    }
    storage.begin()
    table.truncate()
    storage.commit()
    assert Journal(path).sync().put == {}


def test_a_write_outside_a_transaction_is_refused(path: Path) -> None:
    _, _, table = opened(path)
    with pytest.raises(DatabaseError):
        table.insert({"n": 1})


# -- following by offset -------------------------------------------------------------


def test_a_reader_reads_only_the_lines_appended_since_it_last_read(path: Path) -> None:
    _, storage, table = opened(path)
    log(storage, table, *({"n": n} for n in range(500)))
    counted = ReadsCounted()
    reader = Journal(path, faults=counted)
    assert len(reader.sync().put) == 500
    size = path.stat().st_size
    starts = counted.starts
    starts.clear()
    assert reader.sync().put == {}, "nothing new: nothing read"
    assert starts == []
    storage.begin()
    table.insert({"n": 500})
    table.remove(doc_ids=[3])
    storage.commit()
    change = reader.sync()
    assert change.put == {"501": {"n": 500}}
    assert change.removed == {"3": {"n": 2}}
    assert not change.full
    assert len(starts) == 1 and size - 200 < starts[0] < size, "only the tail is read"
    assert dict(reader.records) == dict(storage.journal.records)


def test_compaction_by_another_process_is_seen_by_its_identity(path: Path) -> None:
    writer, storage, table = opened(path)
    log(storage, table, {"n": 1}, {"n": 2})
    storage.begin()
    table.remove(doc_ids=[1])
    storage.commit()
    reader = Journal(path)
    reader.sync()
    old_identity = reader.identity
    writer.compact()
    change = reader.sync()
    assert change.full and not change, "read again in full; the records are the same"
    assert reader.identity == writer.identity != old_identity
    assert dict(reader.records) == {"2": {"n": 2}}
    assert len(lines(path)) == 2
    log(storage, table, {"n": 3})
    assert reader.sync().put == {"3": {"n": 3}}, "and followed by offset again"


def test_a_journal_rewritten_in_place_is_read_again_in_full(path: Path) -> None:
    _, storage, table = opened(path)
    log(storage, table, {"n": 1})
    log(storage, table, {"n": 2})
    reader = Journal(path)
    reader.sync()
    data = path.read_bytes()
    last = lines(path)[-1]
    forged = encode({"put": "2", "doc": {"n": 9}, "next": 3})[:-1]
    assert len(forged) == len(last)
    with open(path, "r+b") as handle:  # same inode, same size, other last line
        handle.seek(len(data) - len(last) - 1)
        handle.write(forged + b"\n" + encode({"put": "3", "doc": {"n": 3}}))
    change = reader.sync()
    assert change.full
    assert dict(reader.records) == {"1": {"n": 1}, "2": {"n": 9}, "3": {"n": 3}}


# -- torn and cut journals --------------------------------------------------------------


@pytest.mark.parametrize("batch", [1, 3])
def test_a_torn_last_batch_of_every_length_is_ignored_and_cut_by_the_next_writer(
    tmp_path: Path, batch: int
) -> None:
    whole = tmp_path / "whole.jsonl"
    _, storage, table = opened(whole)
    log(storage, table, {"n": 1}, {"n": 2})
    log(storage, table, {"n": 3})
    good = whole.read_bytes()
    log(storage, table, *({"n": 4, "note": "Talked pricing é"} for _ in range(batch)))
    full = whole.read_bytes()
    assert len(full) - len(good) > 40 * batch
    for cut in range(len(good) + 1, len(full)):
        path = tmp_path / f"torn-{cut}.jsonl"
        path.write_bytes(full[:cut])
        reader = Journal(path)
        reader.sync()
        assert dict(reader.records) == {"1": {"n": 1}, "2": {"n": 2}, "3": {"n": 3}}, cut
        _, writer_storage, writer_table = opened(path)
        log(writer_storage, writer_table, {"n": 5})
        data = path.read_bytes()
        assert data.startswith(good) and data[len(good) :] == encode(
            {"put": "4", "doc": {"n": 5}, "next": 5}
        )
        assert all(decode(line) is not None for line in lines(path))
        assert reader.sync().put == {"4": {"n": 5}}, "the reader follows on past the cut"
        path.unlink()


def test_a_reader_waits_for_a_line_being_written(path: Path) -> None:
    _, storage, table = opened(path)
    log(storage, table, {"n": 1})
    reader = Journal(path)
    reader.sync()
    line = encode({"put": "2", "doc": {"n": 2}})
    with open(path, "ab") as handle:
        handle.write(line[:10])
        handle.flush()
        assert reader.sync().put == {}
        handle.write(line[10:])
        handle.flush()
    assert reader.sync().put == {"2": {"n": 2}}


def test_only_an_incomplete_last_line_is_a_torn_tail_and_a_whole_damaged_one_is_refused(
    path: Path,
) -> None:
    _, storage, table = opened(path)
    log(storage, table, {"n": 1})
    good = path.read_bytes()
    with open(path, "ab") as handle:
        handle.write(b"\x00" * 30 + b"\n" + b"garbage")  # whole, then incomplete
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync()
    assert "line 3 is damaged" in str(raised.value)
    path.write_bytes(good + b"garbage")  # an incomplete last line alone: torn
    reader = Journal(path)
    reader.sync()
    assert dict(reader.records) == {"1": {"n": 1}}
    assert reader.offset == len(good)


def test_a_damaged_line_with_whole_lines_after_it_is_refused_and_never_written_over(
    path: Path,
) -> None:
    _, storage, table = opened(path)
    log(storage, table, {"n": 1}, {"n": 2})
    log(storage, table, {"n": 3})
    data = bytearray(path.read_bytes())
    second = data.index(b'"put":"2"')
    data[second + 20] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync()
    assert "line 3 is damaged" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert path.read_bytes() == bytes(data)


def test_a_journal_cut_short_by_another_program_is_read_again_in_full(path: Path) -> None:
    _, storage, table = opened(path)
    for n in range(1, 6):
        log(storage, table, {"n": n})
    reader = Journal(path)
    reader.sync()
    keep = sum(len(line) + 1 for line in lines(path)[:3])  # header and two records
    with open(path, "r+b") as handle:
        handle.truncate(keep + 7)  # inside a line
    change = reader.sync()
    assert change.full
    assert dict(reader.records) == {"1": {"n": 1}, "2": {"n": 2}}
    assert set(change.removed) == {"3", "4", "5"}
    with open(path, "r+b") as handle:
        handle.truncate(keep)  # the torn tail gone too: the same records
    assert not reader.sync()
    assert dict(reader.records) == {"1": {"n": 1}, "2": {"n": 2}}
    _writer, writer_storage, writer_table = opened(path)
    assert log(writer_storage, writer_table, {"n": 6}) == [3]
    assert all(decode(line) is not None for line in lines(path))
    assert reader.sync().put == {"3": {"n": 6}}


def test_a_journal_from_a_newer_followup_is_refused(path: Path) -> None:
    path.write_bytes(
        encode({"journal": "followup", "schema": 2, "id": "a" * 32, "table": "touches"})
    )
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync()
    assert "newer followup" in str(raised.value) and "schema 2" in str(raised.value)


@pytest.mark.parametrize(
    "content",
    [b'{"touches": {}}', b"hello\n", encode({"journal": "other", "id": "x"}), b"\x00\x00"],
)
def test_a_file_that_is_not_a_journal_is_refused(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync()
    assert "not a followup journal" in str(raised.value)


def test_an_empty_file_is_an_empty_journal_and_the_first_write_makes_it_whole(
    path: Path,
) -> None:
    path.write_bytes(b"")
    _, storage, table = opened(path)
    log(storage, table, {"n": 1})
    assert [e.get("journal") for e in iter_lines(path)] == ["followup", None]


def test_a_journal_deleted_by_another_program_keeps_its_records_and_the_next_write_restores_it(
    path: Path,
) -> None:
    journal, storage, table = opened(path)
    log(storage, table, {"n": 1})
    path.unlink()
    assert journal.sync().removed == {}
    assert journal.vanished and dict(journal.records) == {"1": {"n": 1}}
    log(storage, table, {"n": 2})
    fresh = Journal(path)
    fresh.sync()
    assert dict(fresh.records) == {"1": {"n": 1}, "2": {"n": 2}}


def test_a_folder_in_place_of_the_journal_is_one_clear_error(path: Path) -> None:
    path.mkdir()
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync()
    assert str(path) in str(raised.value)


# -- compaction ----------------------------------------------------------------------


def test_compaction_comes_when_dead_lines_outnumber_live_records_in_a_big_enough_journal(
    path: Path,
) -> None:
    journal, storage, table = opened(path, compact_min_bytes=2000)
    ids = log(storage, table, *({"n": n, "note": "y" * 40} for n in range(30)))
    identity = journal.identity
    for doc_id in ids[:10]:  # a put and a del line dead for each: 20 dead, 20 live
        journal.sync()
        storage.begin()
        table.remove(doc_ids=[doc_id])
        storage.commit()
    assert journal.identity == identity and journal.dead == 20
    journal.sync()
    storage.begin()
    table.remove(doc_ids=[ids[10]])  # 22 dead lines, 19 live: compacted
    storage.commit()
    assert journal.identity != identity
    assert journal.dead == 0 and len(lines(path)) == 20
    assert dict(Journal(path).sync().put) == dict(journal.records)
    assert list(path.parent.glob(".*.tmp")) == []
    small, small_storage, small_table = opened(path.with_name("small.jsonl"))
    log(small_storage, small_table, {"n": 1}, {"n": 2})
    small.sync()
    small_storage.begin()
    small_table.remove(doc_ids=[1, 2])
    small_storage.commit()
    assert small.dead == 4 and len(small.records) == 0, "a small journal is left as it is"


def test_compaction_keeps_the_file_mode_and_removes_a_killed_compactions_temp(
    path: Path,
) -> None:
    journal, storage, table = opened(path)
    log(storage, table, {"n": 1})
    path.chmod(0o600)
    stale = path.with_name(f".{path.name}.deadbeef.tmp")
    stale.write_bytes(b"half a journal")
    journal.compact()
    assert path.stat().st_mode & 0o777 == 0o600
    assert not stale.exists()


@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_a_new_journal_takes_the_mode_of_the_main_file(path: Path, mode: int) -> None:
    main = path.with_name("followup.json")
    main.write_text("{}")
    main.chmod(mode)
    journal, storage, table = opened(path, mode_like=main)
    log(storage, table, {"n": 1})
    assert path.stat().st_mode & 0o777 == mode
    path.chmod(0o644)  # then the journal keeps its own, through compaction too
    journal.compact()
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_link_or_a_pipe_in_place_of_the_journal_is_refused_and_left_alone(path: Path) -> None:
    target = path.with_name("elsewhere.jsonl")
    _journal, storage, table = opened(target)
    log(storage, table, {"n": 1})
    before = target.read_bytes()
    path.symlink_to(target)
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync()
    assert str(path) in str(raised.value)
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync()  # at once: opening the pipe never waits for a writer
    assert "pipe" in str(raised.value) and "left untouched" in str(raised.value)
    assert target.read_bytes() == before and path.is_fifo()


def test_the_signature_on_disk_matches_the_journal_read_without_reading_it(path: Path) -> None:
    journal, storage, table = opened(path)
    log(storage, table, {"n": 1})
    assert Journal(path).on_disk() == journal.signature()
    log(storage, table, {"n": 2})
    other = Journal(path)
    other.sync()
    assert other.on_disk() == journal.signature() == other.signature()
    journal.compact()
    assert other.on_disk() == journal.signature() != other.signature()
    assert Journal(path.with_name("none.jsonl")).on_disk() is None


@pytest.mark.parametrize("entry", [{"put": 5, "doc": {}}, {"put": "5"}, {"del": 5}, [1, 2]])
def test_a_checked_line_of_the_wrong_shape_is_refused_in_the_middle_and_at_the_end(
    path: Path, entry: Any
) -> None:
    _, storage, table = opened(path)
    log(storage, table, {"n": 1})
    good = path.read_bytes()
    for damaged in (good + encode(entry) + encode({"put": "2", "doc": {"n": 2}}),
                    good + encode(entry)):  # fmt: skip
        path.write_bytes(damaged)
        with pytest.raises(DatabaseError) as raised:
            Journal(path).sync()
        assert "line 3 is damaged" in str(raised.value)


# -- appending without reading the records (followup log) ----------------------------


def test_a_tail_only_writer_appends_after_reading_only_the_header_and_the_tail(
    path: Path,
) -> None:
    _, storage, table = opened(path)
    log(storage, table, *({"n": n, "note": "z" * 60} for n in range(3000)))
    size = path.stat().st_size
    assert size > 4 * 65536
    counted = ReadsCounted()
    starts = counted.starts
    writer = Journal(path, faults=counted)
    with lock_of(path):
        writer.sync_tail()
        assert starts == [size - 65536], "the last 64 KiB only"
        assert not writer.loaded and len(writer.records) == 0
        assert writer.add([{"n": 3000}]) == [3001]
    assert path.stat().st_size - size == len(
        encode({"put": "3001", "doc": {"n": 3000}, "next": 3002})
    )
    fresh = Journal(path)
    fresh.sync()
    assert len(fresh.records) == 3001 and fresh.records["3001"] == {"n": 3000}


def test_ids_are_never_given_twice_by_tail_writers_and_tinydb_writers(path: Path) -> None:
    journal, storage, table = opened(path)
    log(storage, table, *({"n": n, "note": "z" * 60} for n in range(2000)))
    journal.sync()
    storage.begin()
    table.remove(doc_ids=[2000])  # the highest id: never given again by a tail writer
    storage.commit()
    given = []
    for round_ in range(6):
        tail = Journal(path)
        with lock_of(path):
            tail.sync_tail()
            given += tail.add([{"tail": round_}])
        with lock_of(path):
            given += log(storage, table, {"tinydb": round_})
    assert len(set(given)) == len(given) == 12
    assert 2000 not in given
    fresh = Journal(path)
    fresh.sync()
    assert len(fresh.records) == 1999 + 12


def test_a_tail_only_writer_cuts_a_torn_tail_and_falls_back_to_a_full_read_when_small(
    path: Path,
) -> None:
    _, storage, table = opened(path)
    log(storage, table, *({"n": n, "note": "z" * 60} for n in range(3000)))
    with open(path, "ab") as handle:
        handle.write(encode({"put": "3001", "doc": {"n": 1}})[:20])
    writer = Journal(path)
    with lock_of(path):
        writer.sync_tail()
        assert writer.add([{"n": 3000}]) == [3001]
    assert all(decode(line) is not None for line in lines(path))
    small = path.with_name("small.jsonl")
    _, small_storage, small_table = opened(small)
    log(small_storage, small_table, {"n": 1})
    writer = Journal(small)
    writer.sync_tail()
    assert writer.loaded and dict(writer.records) == {"1": {"n": 1}}
    assert writer.add([{"n": 2}]) == [2]
    assert dict(writer.records) == {"1": {"n": 1}, "2": {"n": 2}}


def test_an_empty_journal_written_in_place_by_another_program_is_read_in_full(
    path: Path,
) -> None:
    path.write_bytes(b"")
    reader = Journal(path)
    reader.sync()
    with open(path, "ab") as handle:
        handle.write(
            encode({"journal": "followup", "schema": 1, "id": "b" * 32, "table": "touches"})
        )
        handle.write(encode({"put": "1", "doc": {"n": 1}}))
    assert reader.sync().put == {"1": {"n": 1}}
    assert reader.identity == "b" * 32


def test_a_transaction_on_a_journal_not_read_yet_reads_it_first(path: Path) -> None:
    _, storage, table = opened(path)
    log(storage, table, {"n": 1})
    journal = Journal(path)
    db = TinyDB(journal, storage=JournalStorage)
    db.table_class = JournalTable
    other: JournalStorage = db.storage  # type: ignore[assignment]
    other.begin()
    assert journal.loaded
    db.table("touches").insert({"n": 2})
    assert other.commit().put == {"2": {"n": 2}}
    assert Journal(path).sync().put == {"1": {"n": 1}, "2": {"n": 2}}


def test_a_write_by_a_process_that_ignored_the_lock_is_detected_and_nothing_is_written(
    path: Path,
) -> None:
    journal, storage, table = opened(path)
    log(storage, table, {"n": 1})
    journal.sync()
    storage.begin()
    table.insert({"n": 2})
    _, rogue_storage, rogue_table = opened(path)
    log(rogue_storage, rogue_table, {"rogue": True})
    assert journal.sync().put == {}, "inside a transaction nothing is read"
    with pytest.raises(DatabaseError) as raised:
        storage.commit()
    assert "changed by another program" in str(raised.value)
    assert dict(journal.records) == {"1": {"n": 1}}
    assert Journal(path).sync().put == {"1": {"n": 1}, "2": {"rogue": True}}


def test_a_tail_only_journal_never_writes_itself_whole(path: Path) -> None:
    _, storage, table = opened(path)
    log(storage, table, *({"n": n, "note": "z" * 60} for n in range(3000)))
    tail = Journal(path)
    tail.sync_tail()
    assert tail.tail_only
    with pytest.raises(DatabaseError):
        tail._write_whole()
    tail.compact()  # reads the records first
    assert len(Journal(path).sync().put) == 3000


def test_a_tail_only_writer_refuses_a_newer_journal_and_keeps_no_file_open(path: Path) -> None:
    header = {"journal": "followup", "schema": 2, "id": "c" * 32, "table": "touches"}
    body = b"".join(encode({"put": str(n), "doc": {"n": n}, "next": n + 1}) for n in range(5000))
    path.write_bytes(encode(header) + body)
    before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(DatabaseError) as raised:
        Journal(path).sync_tail()
    assert "newer followup" in str(raised.value)
    assert len(os.listdir("/proc/self/fd")) == before
