"""The touches journal against today's touches file, side by side in one run.

    python bench/journal_bench.py [--touches 50000] [--rounds 15]

The heavy database's touches (bench/make_db.py's seeded data, 50,000 by default) are
written twice in a temporary folder: as today's touches file (one JSON file, `JsonFile`,
replaced whole on every write) and as a journal (store/engine/journal.py). Then, in alternating
rounds, the median of N rounds of:

(a) logging one touch: the journal checks its bytes against what it read (one pass of
    XXH3 over the file, as the dashboard does at each write), appends one line and
    fsyncs it; the JSON file is
    rewritten whole (temp file, fsync, replace, fsync of the folder), as `Store._commit`
    does today. Both grow by one touch per round.
(b) reading every touch from disk: a new `Journal` read in full vs `JsonFile.load`.
(c) catching up after another process logged one touch: a journal follower reads only
    the new line; today the whole file is read again.
(d) what `followup log` does to the touches, from a fresh start: the journal reads its
    header and last 64 KiB, checks every byte before its append against the hash the
    main file's pair records, and appends one line (`sync_tail`, `add`); today the whole
    file is read, and rewritten with the touch.
And once: compacting the journal (one live line per touch, all of it rewritten).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_db  # noqa: E402
from tinydb import TinyDB  # noqa: E402

from store.engine.files import JsonFile  # noqa: E402
from store.engine.journal import Journal  # noqa: E402
from store.engine.journal_tinydb import JournalStorage, JournalTable  # noqa: E402
from store.model import Touch  # noqa: E402


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touches", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    contacts, touches = make_db.build(5_000, args.touches, seed=7)
    docs = {str(n): t.to_doc() for n, t in enumerate(touches, 1)}
    one = Touch(contact_uid=contacts[0].uid, at=make_db.NOW, channel="call", outcome="reached")

    with tempfile.TemporaryDirectory() as folder:
        json_path = Path(folder) / "followup.touches.json"
        journal_path = Path(folder) / "followup.touches.jsonl"

        json_file = JsonFile(json_path)
        json_file.load()
        json_file.write({"touches": dict(docs)})

        journal = Journal(journal_path)
        db = TinyDB(journal, storage=JournalStorage)
        db.table_class = JournalTable
        storage: JournalStorage = db.storage  # type: ignore[assignment]
        table = db.table("touches")
        journal.sync()
        storage.begin()
        table.insert_multiple(docs.values())
        storage.commit()

        sizes = (json_path.stat().st_size, journal_path.stat().st_size)
        follower_json = JsonFile(json_path)
        follower_json.load()
        follower = Journal(journal_path)
        follower.sync()

        def log_json() -> None:
            tables = json_file.data or {}
            records = tables["touches"]
            records[str(len(records) + 1)] = one.to_doc()
            json_file.write(tables)

        # what the main file's pair records of the journal after each write: a tail-only
        # writer checks every byte before its append against it, as `followup log` does
        recorded = [journal.pair()]

        def log_journal() -> None:
            journal.sync()
            storage.begin()
            table.insert(one.to_doc())
            storage.commit()
            recorded[0] = journal.pair()

        append: dict[str, list[float]] = {"journal": [], "json": []}
        read: dict[str, list[float]] = {"journal": [], "json": []}
        follow: dict[str, list[float]] = {"journal": [], "json": []}
        fresh: dict[str, list[float]] = {"journal": [], "json": []}

        def fresh_journal() -> None:
            cold = Journal(journal_path)
            cold.expect = recorded[0]
            cold.sync_tail()
            cold.add([one.to_doc()])
            recorded[0] = cold.pair()

        def fresh_json() -> None:
            cold = JsonFile(json_path)
            tables = cold.load() or {}
            records = tables["touches"]
            records[str(len(records) + 1)] = one.to_doc()
            cold.write(tables)

        for n in range(args.rounds):
            order = ["journal", "json"] if n % 2 == 0 else ["json", "journal"]
            for who in order:
                append[who].append(timed(log_journal if who == "journal" else log_json))
            for who in order:
                if who == "journal":
                    read[who].append(timed(lambda: Journal(journal_path).sync()))
                else:
                    read[who].append(timed(lambda: JsonFile(json_path).load()))
            for who in order:
                if who == "journal":
                    follow[who].append(timed(follower.sync))
                else:
                    follow[who].append(timed(follower_json.load))
            for who in order:
                fresh[who].append(timed(fresh_journal if who == "journal" else fresh_json))
            json_file.load()
        journal.sync()
        follower.sync()
        assert len(follower.records) == len(journal.records) == args.touches + 2 * args.rounds
        compaction = timed(journal.compact)

    megabytes = f"JSON file {sizes[0] / 1e6:.1f} MB, journal {sizes[1] / 1e6:.1f} MB"
    print(f"{args.touches:,} touches: {megabytes}")
    print(f"median of {args.rounds} rounds, milliseconds")
    rows = [
        ("(a) log one touch", append),
        ("(b) read every touch", read),
        ("(c) catch up after one external touch", follow),
        ("(d) a new process logs one touch", fresh),
    ]
    print(f"{'':42} {'journal':>9} {'JSON file':>10} {'ratio':>7}")
    for name, samples in rows:
        ours, theirs = median_ms(samples["journal"]), median_ms(samples["json"])
        print(f"{name:42} {ours:9.2f} {theirs:10.2f} {ours / theirs:6.2f}x")
    print(f"compacting the journal once: {compaction * 1000:.1f} ms")


if __name__ == "__main__":
    main()
