"""TinyDB adapters: a storage that stages writes until the Store commits, and a table
whose single-record writes change only that record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from store.engine.files import JsonFile, Tables

# (the contacts changed, None: any of them; the contacts as parsed now, None: not parsed)
OnChange = Callable[[set[str] | None, dict[str, Any] | None], None]


class StagedStorage(Storage):
    """TinyDB storage over a `JsonFile`: reads from its cache, writes only inside
    a transaction, where they are staged until the Store commits."""

    def __init__(self, file: JsonFile, on_change: OnChange) -> None:
        self.file = file
        # What is built from the contact records is told of every change here, whether
        # written (TinyDB, `put`) or read from disk (`reloaded`): the one path by which it
        # is dropped. It must hold nothing back (store.engine.contact_records.Derived).
        self._on_change = on_change
        self.staged: Tables | None = None
        # The keys of the contacts this transaction wrote (None: TinyDB's own writes,
        # which may have changed anything), and those written while the file's contacts
        # were not parsed (`patch`: see `put`).
        self.changed: set[str] | None = set()
        self.patch: dict[str, Any] = {}

    def reset(self) -> None:
        self.staged, self.changed, self.patch = None, set(), {}

    def read(self) -> Tables | None:
        if self.staged is not None:
            return self.staged
        if self.file.lazy:  # TinyDB reads whole tables: parse every record
            self.file.materialize()
        if self.patch and self.file.data is not None:
            records = self.file.data.setdefault("contacts", {})
            records.update(self.patch)  # cached records changed in place: see InPlaceTable
            self.written(self.file.data, "contacts", self.patch)
            self.patch = {}
        return self.file.data

    def write(self, data: Tables) -> None:
        self.staged = data
        self.changed = None
        self._notify(None)

    def written(self, data: Tables, table: str, keys: Iterable[str]) -> None:
        """A write that changed only the records `keys` of `table`."""
        self.staged = data
        keys = set(keys)
        if self.changed is not None and table == "contacts":
            self.changed.update(keys)
        self._notify(keys if table == "contacts" else set())

    def put(self, key: str, doc: dict[str, Any]) -> None:
        """Stage one contact record without parsing the others (the file is lazy)."""
        self.patch[key] = doc
        self._notify({key})

    def reloaded(self, keys: set[str] | None) -> None:
        """The file was read again (`keys`: the contacts it changed; None: any) or its
        cache dropped."""
        self._notify(keys)

    def _notify(self, keys: set[str] | None) -> None:
        file = self.file
        tables = None if file.lazy else (self.staged or file.data or {})
        self._on_change(keys, None if tables is None else tables.get("contacts"))

    def close(self) -> None:
        pass


class InPlaceTable(Table):
    """A TinyDB table whose insert, and update or remove by document id, change only
    those records. TinyDB's own versions copy every record of the table twice (about
    50 ms at 50,000 touches, 10 ms at 5,000 contacts). Changing the cached records in
    place is safe because a failed transaction drops every cached record."""

    def insert(self, document: Mapping[str, Any]) -> int:
        doc_id: int = self._get_next_id()  # type: ignore[no-untyped-call]
        tables, records = self._records()
        records[str(doc_id)] = dict(document)
        self._written(tables, [str(doc_id)])
        return doc_id

    def update(  # type: ignore[override]
        self,
        fields: Mapping[str, Any],
        cond: Any = None,
        doc_ids: Iterable[int] | None = None,
    ) -> list[int]:
        if cond is not None or doc_ids is None or callable(fields):
            return super().update(fields, cond, doc_ids)
        tables, records = self._records()
        changed = [doc_id for doc_id in doc_ids if str(doc_id) in records]
        for doc_id in changed:
            records[str(doc_id)] = {**records[str(doc_id)], **fields}
        self._written(tables, [str(doc_id) for doc_id in changed])
        return changed

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        if cond is not None or doc_ids is None:
            return super().remove(cond, doc_ids)
        tables, records = self._records()
        removed = [doc_id for doc_id in doc_ids if records.pop(str(doc_id), None) is not None]
        self._written(tables, [str(doc_id) for doc_id in removed])
        return removed

    # The records whose keys were all found to be numbers, and how many there were: the
    # keys change only when a record is added or removed (the count) or the table is read
    # or rebuilt (another dict; `reset` forgets it at every read of the file), so each
    # write need not check 5,000 keys again (0.5 ms).
    _checked: tuple[dict[str, Any], int] | None = None

    def _records(self) -> tuple[Tables, dict[str, Any]]:
        tables: Tables = self._storage.read() or {}
        records = tables.setdefault(self.name, {})
        checked = self._checked
        if checked is None or checked[0] is not records or checked[1] != len(records):
            if not all(map(str.isdigit, records)):
                # as in TinyDB, a key that is not a number stops the write; transaction()
                # names it
                raise ValueError("a record key is not a number")
            self._checked = records, len(records)
        return tables, records

    def _written(self, tables: Tables, keys: list[str]) -> None:
        storage = self._storage
        if isinstance(storage, StagedStorage):
            storage.written(tables, self.name, keys)
        else:
            storage.write(tables)
        self.clear_cache()


def reset(db: TinyDB) -> None:
    """Forget what TinyDB cached about the old contents of a file.

    `_next_id` is TinyDB's own cache of the next document id (tinydb 4.8): it is kept
    across reads, so a file changed by another process would be given ids it already
    holds. The pin in pyproject.toml names this."""
    for name in ("contacts", "meta", "settings", "cache", "touches"):
        table = db.table(name)
        table.clear_cache()
        table._next_id = None
        if isinstance(table, InPlaceTable):
            table._checked = None
