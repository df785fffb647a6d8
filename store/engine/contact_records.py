"""The contact records of the main file one at a time: by key, by uid, by name, without
parsing the others while the file's contacts are still lines (store.engine.layout), and a map of
uids to keys once they are parsed."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import orjson

from store.engine import layout
from store.engine.files import Tables

if TYPE_CHECKING:
    from store.engine.disk import Disk


class ContactRecords:
    def __init__(self, disk: Disk) -> None:
        self._disk = weakref.proxy(disk)  # the Disk holds this: no cycle
        self._uids: dict[str, list[str]] | None = None  # uid -> keys (a superset)

    def changed(self, keys: set[str] | None = None) -> None:
        """The records `keys` changed in memory (None: any of them may have)."""
        if keys is None:
            self._uids = None
        elif self._uids is not None:
            records = self._parsed() or {}
            for key in keys:
                doc = records.get(key)
                uid = doc.get("uid") if doc.__class__ is dict else None
                if isinstance(uid, str) and key not in self._uids.setdefault(uid, []):
                    self._uids[uid].append(key)
        self._disk.forget_view(keys)

    def header(self) -> Tables:
        """The main file's tables, the contacts left out when they were not parsed."""
        disk = self._disk
        if not disk.main.loaded:
            disk.load_main()
        staged = disk.main_storage.staged
        return (staged if staged is not None else disk.main.data) or {}

    def by_key(self, key: str) -> Any:
        """One contact's record (None: no such key)."""
        if not self._lazy():
            return (self._disk.main_tables().get("contacts") or {}).get(key)
        found = self._disk.main_storage.patch.get(key)
        return found if found is not None else self._body().record(key)

    def of_uid(self, uid: str) -> list[tuple[str, Any]]:
        """The records that may hold `uid` (every one that does is among them)."""
        if self._lazy():
            patch = self._disk.main_storage.patch
            return [(k, patch.get(k, d)) for k, d in self._body().holding(orjson.dumps(uid))]
        records = self._disk.main_tables().get("contacts") or {}
        if self._uids is None:
            self._uids = {}
            for key, doc in records.items():
                found = doc.get("uid") if doc.__class__ is dict else None
                if isinstance(found, str):
                    self._uids.setdefault(found, []).append(key)
        return [(k, records[k]) for k in self._uids.get(uid, ()) if k in records]

    def due_by(self, cutoff: str) -> list[tuple[str, Any]] | None:
        """The records due on or before `cutoff` (a superset: due dates are checked by the
        caller), without parsing the others; None when the contacts are parsed already."""
        if not self._lazy():
            return None
        patch = self._disk.main_storage.patch
        found = dict(self._body().due_by(cutoff))
        found.update(patch)
        return list(found.items())

    def keys_named(self, wanted: str) -> list[str] | None:
        """The keys of the contacts (not dropped) whose folded name holds `wanted`, from
        the names index; None when the contacts are parsed already."""
        if not self._lazy():
            return None
        patch = self._disk.main_storage.patch
        keys = [k for k in self._body().keys_named(wanted) if k not in patch]
        for key, doc in patch.items():
            if doc.get("status") != "dropped" and wanted in layout.fold(str(doc.get("name", ""))):
                keys.append(key)
        return keys

    def put(self, key: str, doc: dict[str, Any]) -> None:
        """Change the fields `doc` holds of one contact record (inside a transaction)."""
        if self._lazy():
            current = self.by_key(key)
            if current is not None:
                self._disk.main_storage.put(key, {**current, **doc})
            return
        self._disk.main_db.table("contacts").update(doc, doc_ids=[int(key)])

    def _parsed(self) -> dict[str, Any] | None:
        disk = self._disk
        if disk.main.lazy:
            return None
        tables = disk.main_storage.staged or disk.main.data or {}
        return tables.get("contacts")

    def _lazy(self) -> bool:
        disk = self._disk
        if not disk.main.loaded:
            disk.load_main()
        main = disk.main
        return main.lazy and main.body is not None and disk.main_storage.staged is None

    def _body(self) -> layout.Body:
        body: layout.Body | None = self._disk.main.body
        assert body is not None
        return body
