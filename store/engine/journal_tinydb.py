"""The touches journal behind TinyDB: a Storage whose `read()` gives the journal's live
records as its one table, and a Table whose writes change only the records they name."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tinydb.storages import Storage
from tinydb.table import Document, Table

from store.engine.journal_records import MISSING, Change
from store.errors import DatabaseError

if TYPE_CHECKING:
    from store.engine.journal import Journal


class JournalStorage(Storage):
    """TinyDB storage over a `Journal`: `read()` gives the live records as the journal's
    one table; writes change them in place and are appended by `commit()`."""

    def __init__(self, journal: Journal, on_write: Callable[[], None] | None = None) -> None:
        self.journal = journal
        self.on_write = on_write

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self.journal.loaded:
            self.journal.sync()
        return {self.journal.table: self.journal.records}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        journal = self.journal
        records = journal.records
        if not records.tracking:
            raise DatabaseError(f"{journal.path}: a write outside a transaction")
        for name, other in data.items():
            if name != journal.table and other:
                raise ValueError(f"{journal.path} holds only the table {journal.table!r}")
        table = data.get(journal.table)
        if table is not None and table is not records:
            # TinyDB built a new table (insert_multiple, truncate, remove by query): diff it
            for key in [k for k in records if k not in table]:
                del records[key]
            for key, doc in table.items():
                old = dict.get(records, key, MISSING)
                if old is not doc and old != doc:
                    records[key] = doc
        if self.on_write is not None:
            self.on_write()

    def begin(self) -> None:
        """Start remembering changes (the caller holds the lock and has synced)."""
        if not self.journal.loaded:
            self.journal.sync()
        self.journal.records.begin()

    def commit(self) -> Change:
        """Append what changed since `begin()` as one batch; compact if due."""
        records = self.journal.records
        change = records.changes()
        try:
            self.journal.append(change.put, change.removed)
        except BaseException:
            self.rollback()
            raise
        records.end()
        # the change is saved: a compaction that fails (disk full) is tried again later
        with contextlib.suppress(DatabaseError):
            self.journal.compact_if_due()
        return change

    def rollback(self) -> None:
        self.journal.records.undo()

    def close(self) -> None:
        pass


class JournalTable(Table):
    """A TinyDB table for a `JournalStorage`: insert, update and remove change only the
    records they name, and an update replaces a record rather than changing it in place
    (TinyDB's own update changes the stored dict, which the journal could not see)."""

    def _get_next_id(self) -> int:
        """The journal's next free id: above every id it ever held, so an id is never
        given twice, by this process or by one that appended without reading the records
        (`Journal.add`); TinyDB's own is one above the highest id it has seen."""
        storage = self._storage
        if not isinstance(storage, JournalStorage):
            return super()._get_next_id()  # type: ignore[no-untyped-call,no-any-return]
        journal = storage.journal
        records = journal.records
        doc_id = journal.next_id
        while str(doc_id) in records:  # an id put in by hand
            doc_id += 1
        journal.next_id = doc_id + 1
        return doc_id

    def insert(self, document: Mapping[str, Any]) -> int:
        doc_id = self._get_next_id()
        self._records()[str(doc_id)] = dict(document)
        self._written()
        return doc_id

    def update(
        self,
        fields: Mapping[str, Any] | Callable[[dict[str, Any]], None],
        cond: Any = None,
        doc_ids: Iterable[int] | None = None,
    ) -> list[int]:
        records = self._records()
        if doc_ids is not None:
            keys = [str(i) for i in doc_ids if str(i) in records]
        else:
            keys = [k for k, d in records.items() if cond is None or cond(Document(d, int(k)))]
        for key in keys:
            doc = dict(records[key])
            if callable(fields):
                fields(doc)
            else:
                doc.update(fields)
            records[key] = doc
        self._written()
        return [int(k) for k in keys]

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        records = self._records()
        if doc_ids is not None:
            keys = [str(i) for i in doc_ids if str(i) in records]
        elif cond is not None:
            keys = [k for k, d in records.items() if cond(Document(d, int(k)))]
        else:
            raise RuntimeError("Use truncate() to remove all documents")
        for key in keys:
            del records[key]
        self._written()
        return [int(k) for k in keys]

    def _records(self) -> dict[str, Any]:
        tables = self._storage.read() or {}
        records = tables[self.name]
        return records

    def _written(self) -> None:
        self._storage.write({self.name: self._records()})
        self.clear_cache()
