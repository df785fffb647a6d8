"""The journal under SIGKILL and concurrent compaction: every acknowledged record is there
exactly once, the journal is readable after every kill, and the next writer cleans up."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from store.engine.journal import Journal, decode, iter_lines
from tests.helpers_journal import JournalWriter, lock_of, log_one, open_journal

KILLS = 40
PER_ROUND = 6  # acknowledged writes before each kill: 240 in all, at least 200


def check(path: Path, acknowledged: list[str], when: str) -> Journal:
    """The journal reads whole; every acknowledged record is in it once, on one put line;
    a transaction is there whole or not at all (never two scratch records)."""
    reader = Journal(path)
    reader.sync()  # raises if the journal can't be read
    uids = Counter(doc["uid"] for doc in reader.records.values())
    missing = [uid for uid in acknowledged if uids[uid] != 1]
    assert not missing, f"{when}: acknowledged records lost or doubled: {missing[:3]}"
    assert max(uids.values(), default=1) == 1, f"{when}: a record is stored twice"
    scratch = [uid for uid in uids if uid.startswith("scratch-")]
    assert len(scratch) <= 1, f"{when}: half a transaction is visible: {scratch}"
    put_lines = Counter(
        entry["doc"]["uid"] for entry in iter_lines(path) if "put" in entry and "doc" in entry
    )
    assert all(put_lines[uid] == 1 for uid in acknowledged), f"{when}: a put line repeats"
    return reader


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


@pytest.mark.slow
def test_writers_killed_at_random_moments_in_appends_and_compactions_lose_nothing(
    tmp_path: Path,
) -> None:
    rng = random.Random(20261201)
    path = tmp_path / "followup.touches.jsonl"
    acknowledged: list[str] = []
    torn = mid_compaction = 0  # where the kills landed (shown, not asserted: that is chance)
    for kill in range(KILLS):
        mode = ("append", "compact", "tail")[kill % 3]  # a third compact every time
        writer = JournalWriter(path, mode)
        writer.wait_for(str(PER_ROUND))
        time.sleep(rng.uniform(0.0, 0.015))
        acknowledged += writer.kill()
        check(path, acknowledged, f"after kill {kill + 1} ({mode})")
        torn += not path.read_bytes().endswith(b"\n")
        mid_compaction += bool(temps(tmp_path))
    print(f"{KILLS} kills: {torn} left a torn line, {mid_compaction} a compaction's temp file")
    assert len(acknowledged) >= KILLS * PER_ROUND >= 200
    # the next writer cuts any torn tail, and its compaction removes a killed one's temp
    journal, storage, table = open_journal(path)
    with lock_of(path):
        log_one(journal, storage, table, "last")
        assert all(decode(line) is not None for line in path.read_bytes().split(b"\n")[:-1])
        journal.compact()
    assert temps(tmp_path) == []
    final = check(path, [*acknowledged, "last"], "at the end")
    # at most one record per kill was saved but never acknowledged
    saved = sum(1 for d in final.records.values() if not d.get("scratch"))
    assert len(acknowledged) + 1 <= saved <= len(acknowledged) + 1 + KILLS


@pytest.mark.parametrize("step", ["append-half", "temp-written", "replaced"])
def test_a_writer_killed_at_each_step_loses_nothing_acknowledged(tmp_path: Path, step: str) -> None:
    path = tmp_path / "followup.touches.jsonl"
    writer = JournalWriter(path, "append", stop_at=step)
    writer.wait_for(f"at {step}")
    acknowledged = writer.kill()
    assert len(acknowledged) == 1
    reader = check(path, acknowledged, f"killed at {step}")
    if step == "append-half":
        assert not path.read_bytes().endswith(b"\n"), "a torn line was left"
        assert len(reader.records) == 2, "the torn transaction is not seen"
    if step == "temp-written":
        assert len(temps(tmp_path)) == 1, "the compaction's temporary file was left"
    # the next writer: cuts the torn tail, and compacts away the leftover temporary file
    journal, storage, table = open_journal(path)
    with lock_of(path):
        log_one(journal, storage, table, "next")
        journal.compact()
    assert temps(tmp_path) == []
    after = check(path, [*acknowledged, "next"], f"after the writer killed at {step}")
    assert all(decode(line) is not None for line in path.read_bytes().split(b"\n")[:-1])
    assert path.read_bytes().endswith(b"\n")
    assert "next" in {d["uid"] for d in after.records.values()}


@pytest.mark.slow
def test_two_processes_compacting_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "followup.touches.jsonl"
    go = multiprocessing.get_context("fork").Event()
    count = 40
    writers = [JournalWriter(path, "twice", count=count, go=go) for _ in range(2)]
    for writer in writers:
        writer.wait_for("ready")
    follower = Journal(path)
    go.set()
    identities = set()
    while any(w.process.is_alive() for w in writers):
        follower.sync()  # a reader following along, without the lock
        identities.add(follower.identity)
        time.sleep(0.002)
    acknowledged = [uid for writer in writers for uid in writer.join()]
    assert [w.process.exitcode for w in writers] == [0, 0]
    assert len(acknowledged) == 2 * count
    final = check(path, acknowledged, "after two compacting processes")
    assert len(final.records) == 2 * count + 1  # and one scratch record
    assert temps(tmp_path) == []
    follower.sync()
    assert dict(follower.records) == dict(final.records)
    lines = path.read_bytes().split(b"\n")[:-1]
    assert len(lines) == 1 + len(final.records), "the last compaction left no dead line"
