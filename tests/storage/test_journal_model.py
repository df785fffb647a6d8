"""The journal against a plain dict: any sequence of writes by two processes, compactions
and torn tails leaves every reader with the records of the dict."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from store.engine.journal import Journal, encode
from store.engine.journal_tinydb import JournalStorage, JournalTable

STEP = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 1), st.integers(1, 3)),
    st.tuples(st.just("update"), st.integers(0, 1), st.integers(0, 50)),
    st.tuples(st.just("remove"), st.integers(0, 1), st.integers(0, 50)),
    st.tuples(st.just("compact"), st.integers(0, 1), st.just(0)),
    st.tuples(st.just("tear"), st.integers(0, 1), st.integers(1, 40)),
    st.tuples(st.just("tail-add"), st.integers(0, 1), st.just(0)),
)


class Writer:
    def __init__(self, path: Path) -> None:
        self.journal = Journal(path, compact_min_bytes=512)
        db = TinyDB(self.journal, storage=JournalStorage)
        db.table_class = JournalTable
        self.storage: JournalStorage = db.storage  # type: ignore[assignment]
        self.table = db.table("touches")

    def transaction(self, action: Any) -> None:
        self.journal.sync()
        self.table.clear_cache()
        self.storage.begin()
        action(self.table)
        self.storage.commit()


@settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
@given(st.lists(STEP, min_size=1, max_size=40))
def test_any_sequence_of_writes_compactions_and_torn_tails_reads_back_as_a_dict(
    steps: list[tuple[str, int, int]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "followup.touches.jsonl"
        writers = [Writer(path), Writer(path)]
        follower = Journal(path)
        model: dict[str, dict[str, Any]] = {}
        counter = 0
        for action, who, arg in steps:
            writer = writers[who]
            keys = sorted(model, key=int)
            if action == "insert":
                docs = [{"n": counter + k} for k in range(arg)]
                counter += arg
                ids: list[int] = []
                writer.transaction(lambda t, d=docs, out=ids: out.extend(t.insert(x) for x in d))
                assert not set(map(str, ids)) & set(model), "an id was given twice"
                model.update({str(i): d for i, d in zip(ids, docs, strict=True)})
            elif action == "update" and keys:
                key = keys[arg % len(keys)]
                new = {**model[key], "seen": arg}
                writer.transaction(lambda t, k=key, v=arg: t.update({"seen": v}, doc_ids=[int(k)]))
                model[key] = new
            elif action == "remove" and keys:
                key = keys[arg % len(keys)]
                writer.transaction(lambda t, k=key: t.remove(doc_ids=[int(k)]))
                del model[key]
            elif action == "compact":
                writer.journal.compact()
            elif action == "tear" and path.exists():
                # a writer killed mid-append: part of a line that never became whole
                line = encode({"put": "999999", "doc": {"torn": True}})
                with open(path, "ab") as handle:
                    handle.write(line[: min(arg, len(line) - 1)])
            elif action == "tail-add":
                tail = Journal(path)
                tail.sync_tail(window=256)
                [doc_id] = tail.add([{"n": counter}])
                assert str(doc_id) not in model, "an id was given twice"
                model[str(doc_id)] = {"n": counter}
                counter += 1
            follower.sync()
            assert dict(follower.records) == model, f"the follower after {action}"
        fresh = Journal(path)
        fresh.sync()
        assert dict(fresh.records) == model
