"""The contact records of the main file one at a time: by key, by uid, by name, without
parsing the others while the file's contacts are still lines (store.engine.layout), and a map of
uids to keys once they are parsed.

What is built from the records (the uid map here, the contacts view of store.engine.built)
is dropped along one path: `Derived.changed`, which the main file's TinyDB storage calls
on every write and every read of the file (store.engine.adapters.StagedStorage).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from tinydb import TinyDB

from store.engine import layout
from store.engine.adapters import StagedStorage
from store.engine.built import Contacts
from store.engine.files import JsonFile, Tables
from store.rules.names import fold
from store.rules.ranking import RecordHead, heads_of


class Derived:
    """What is built from the main file's contact records: the map of uids to keys and
    the contacts view. It holds nothing back (no file, no storage)."""

    def __init__(self) -> None:
        self.uids: dict[str, list[str]] | None = None  # uid -> keys (a superset)
        self.contacts = Contacts()

    def changed(self, keys: set[str] | None, records: dict[str, Any] | None) -> None:
        """The records `keys` changed (None: any of them may have); `records`: the
        contacts as parsed now (None: not parsed)."""
        if keys is None:
            self.uids = None
        elif self.uids is not None:
            for key in keys:
                doc = (records or {}).get(key)
                uid = doc.get("uid") if doc.__class__ is dict else None
                if isinstance(uid, str) and key not in self.uids.setdefault(uid, []):
                    self.uids[uid].append(key)
        self.contacts.forget(keys)


class ContactRecords:
    """Reads and single-record writes of the contacts; the file is loaded already (the
    Disk hands this out only then: `Disk.records`)."""

    def __init__(self, main: JsonFile, db: TinyDB, derived: Derived) -> None:
        self._main = main
        self._db = db
        self._storage: StagedStorage = db.storage  # type: ignore[assignment]
        self._derived = derived

    def header(self) -> Tables:
        """The main file's tables, the contacts left out when they were not parsed."""
        staged = self._storage.staged
        return (staged if staged is not None else self._main.data) or {}

    def by_key(self, key: str) -> Any:
        """One contact's record (None: no such key)."""
        if not self._lazy():
            return self._contacts().get(key)
        found = self._storage.patch.get(key)
        return found if found is not None else self._body().record(key)

    def of_uid(self, uid: str) -> list[tuple[str, Any]]:
        """The records that may hold `uid` (every one that does is among them)."""
        if self._lazy():
            patch = self._storage.patch
            return [(k, patch.get(k, d)) for k, d in self._body().holding(orjson.dumps(uid))]
        records = self._contacts()
        derived = self._derived
        if derived.uids is None:
            derived.uids = {}
            for key, doc in records.items():
                found = doc.get("uid") if doc.__class__ is dict else None
                if isinstance(found, str):
                    derived.uids.setdefault(found, []).append(key)
        return [(k, records[k]) for k in derived.uids.get(uid, ()) if k in records]

    def due_by(self, cutoff: str) -> list[tuple[str, Any]] | None:
        """The records due on or before `cutoff` (a superset: due dates are checked by the
        caller), without parsing the others; None when the contacts are parsed already."""
        if not self._lazy():
            return None
        found = dict(self._body().due_by(cutoff))
        found.update(self._storage.patch)
        return list(found.items())

    def heads(self) -> tuple[list[tuple[str, RecordHead]], Callable[[str], Any]] | None:
        """What the column order reads of every record, and a way to parse one whole,
        without parsing the others (layout.Body.heads); None when they are parsed already."""
        if not self._lazy():
            return None
        heads, record = self._body().heads()
        patch = self._storage.patch
        if not patch:
            return heads, record
        heads = [(k, h) for k, h in heads if k not in patch] + heads_of(patch)
        return heads, lambda key: patch[key] if key in patch else record(key)

    def keys_named(self, wanted: str) -> list[str] | None:
        """The keys of the contacts (not dropped) whose folded name holds `wanted`, from
        the names index; None when the contacts are parsed already."""
        if not self._lazy():
            return None
        patch = self._storage.patch
        keys = [k for k in self._body().keys_named(wanted) if k not in patch]
        for key, doc in patch.items():
            if doc.get("status") != "dropped" and wanted in fold(str(doc.get("name", ""))):
                keys.append(key)
        return keys

    def put(self, key: str, doc: dict[str, Any]) -> None:
        """Change the fields `doc` holds of one contact record (inside a transaction)."""
        if self._lazy():
            current = self.by_key(key)
            if current is not None:
                self._storage.put(key, {**current, **doc})
            return
        self._db.table("contacts").update(doc, doc_ids=[int(key)])

    def _contacts(self) -> dict[str, Any]:
        return (self._storage.read() or {}).get("contacts") or {}

    def _lazy(self) -> bool:
        main = self._main
        return main.lazy and main.body is not None and self._storage.staged is None

    def _body(self) -> layout.Body:
        body: layout.Body | None = self._main.body
        assert body is not None
        return body
