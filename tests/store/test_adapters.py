"""The TinyDB adapters (store/engine/adapters.py): staged writes and the in-place table."""

from __future__ import annotations

from pathlib import Path

from tinydb import TinyDB

from store.engine.adapters import InPlaceTable, StagedStorage, reset
from store.engine.files import JsonFile


def opened(path: Path) -> tuple[TinyDB, StagedStorage, list[int]]:
    path.write_text('{"touches": {"1": {"n": 1}, "2": {"n": 2}}}')
    file = JsonFile(path)
    file.load()
    writes: list[int] = []

    def changed(keys: object, records: object) -> None:
        writes.append(1)

    db = TinyDB(file, changed, storage=StagedStorage)
    db.table_class = InPlaceTable
    storage: StagedStorage = db.storage  # type: ignore[assignment]
    return db, storage, writes


def test_an_insert_update_or_remove_by_id_leaves_every_other_record_as_it_was(
    tmp_path: Path,
) -> None:
    db, storage, writes = opened(tmp_path / "t.json")
    table = db.table("touches")
    first = (storage.read() or {})["touches"]["1"]
    assert table.insert({"n": 3}) == 3
    table.update({"n": 20}, doc_ids=[2])
    assert table.remove(doc_ids=[3]) == [3]
    staged = storage.staged or {}
    assert staged["touches"]["1"] is first, "the untouched record was copied"
    assert staged["touches"] == {"1": {"n": 1}, "2": {"n": 20}}
    assert len(writes) == 3, "each write is reported to the owner"


def test_writes_are_staged_and_the_file_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    db, storage, _ = opened(path)
    before = path.read_bytes()
    db.table("touches").insert({"n": 3})
    assert path.read_bytes() == before
    assert len((storage.staged or {})["touches"]) == 3
    # the records are changed in place, so dropping a transaction forgets the file too
    # (what Store does on a failure): then it reads as it is on disk
    storage.staged = None
    storage.file.forget()
    storage.file.load()
    reset(db)
    assert len(db.table("touches")) == 2


def test_a_reset_forgets_tinydbs_next_id(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    db, storage, _ = opened(path)
    table = db.table("touches")
    assert table.insert({"n": 3}) == 3
    storage.staged = None
    # another process wrote ids 3 and 4 meanwhile
    path.write_text('{"touches": {"1": {}, "2": {}, "3": {}, "4": {}}}')
    file = storage.file
    file.load()
    reset(db)
    assert db.table("touches").insert({"n": 5}) == 5, "an id on disk was given again"
