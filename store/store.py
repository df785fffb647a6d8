"""The Store: contacts and touches in TinyDB, safe across crashes and processes.

Two TinyDB files: the main one (`--db`) holds meta, settings and contacts; the
touches live beside it in `<name>.touches.json`, so the first screen never
parses them. Every change runs in `transaction()`: the lock file is held, both
files are re-read if another process changed them, TinyDB's writes are staged
in memory, and on success each changed file is written atomically (touches
first). Reads between transactions are served from memory unless a file
changed on disk.

The main file also keeps a small cache: the number of touches per day, with the
signature of the touches file it was computed from, so `followup today` can
show the streak without parsing 50,000 touches. A cache that does not match the
touches file on disk is ignored and recomputed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import heapq
import os
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from store import backup, migrate
from store.cadence import SOON_DAYS
from store.clock import Clock, SystemClock
from store.errors import DatabaseError, InputError
from store.files import JsonFile, Tables
from store.lock import FileLock
from store.model import (
    CHANNELS,
    DIRECTIONS,
    FIELD_LIMITS,
    HEATS,
    KINDS,
    OUTCOMES,
    SCHEMA_VERSION,
    STATUSES,
    TAG_MAX,
    BadRecord,
    Contact,
    Settings,
    Touch,
)
from store.paths import resolve
from store.text import check_name, check_text, clean
from store.values import VALUE_MAX


class _StagedStorage(Storage):
    """TinyDB storage over a `JsonFile`: reads from its cache, writes only inside
    a transaction, where they are staged until the Store commits."""

    def __init__(self, file: JsonFile, on_write: Callable[[], None]) -> None:
        self.file = file
        # A weak reference: a bound method of the Store would make the Store hold itself
        # (Store -> TinyDB -> storage -> Store), so only the cyclic collector could free it.
        self._on_write = weakref.WeakMethod(on_write)
        self.staged: Tables | None = None

    def read(self) -> Tables | None:
        if self.staged is not None:
            return self.staged
        return self.file.data

    def write(self, data: Tables) -> None:
        self.staged = data
        on_write = self._on_write()
        if on_write is not None:
            on_write()

    def close(self) -> None:
        pass


class _InPlaceTable(Table):
    """A TinyDB table whose insert, and update or remove by document id, change only
    those records. TinyDB's own versions copy every record of the table twice (about
    50 ms at 50,000 touches, 10 ms at 5,000 contacts). Changing the cached records in
    place is safe because a failed transaction drops every cached record."""

    def insert(self, document: Mapping[str, Any]) -> int:
        doc_id: int = self._get_next_id()  # type: ignore[no-untyped-call]
        tables, records = self._records()
        records[str(doc_id)] = dict(document)
        self._written(tables)
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
        self._written(tables)
        return changed

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        if cond is not None or doc_ids is None:
            return super().remove(cond, doc_ids)
        tables, records = self._records()
        removed = [doc_id for doc_id in doc_ids if records.pop(str(doc_id), None) is not None]
        self._written(tables)
        return removed

    def _records(self) -> tuple[Tables, dict[str, Any]]:
        tables: Tables = self._storage.read() or {}
        records = tables.setdefault(self.name, {})
        if not all(map(str.isdigit, records)):
            # as in TinyDB, a key that is not a number stops the write; transaction() names it
            raise ValueError("a record key is not a number")
        return tables, records

    def _written(self, tables: Tables) -> None:
        self._storage.write(tables)
        self.clear_cache()


@dataclass(frozen=True)
class FirstScreen:
    """What the dashboard's first paint needs, read without building every contact:
    the first `per_heat` active contacts of each heat in column order (unordered here;
    a record that can't be read is left out), and the counts of all active contacts."""

    contacts: list[Contact]
    per_heat: dict[str, int]
    due_today: int
    overdue: int


OnConflict = Literal["stop", "overwrite", "keep"]


@dataclass(frozen=True)
class FieldWrite:
    """What `Store.update_fields` did.

    `written`: each field it changed, as (on disk before, after). `conflicts`: each field
    it was asked to change that another process had changed since the caller read it, as
    (what the caller read, what is on disk); when there are any, nothing was written.
    """

    contact: Contact
    written: dict[str, tuple[Any, Any]]
    conflicts: dict[str, tuple[Any, Any]]


class GoneError(InputError):
    """The contact a change was meant for is gone, or was dropped, meanwhile."""


@dataclass
class _View:
    """What was built from one version of the files; rebuilt when they change."""

    contacts: list[Contact]
    problems: list[str]


class Store:
    """All reads and writes of one followup database."""

    def __init__(
        self, path: Path | str, clock: Clock | None = None, lock_timeout: float | None = None
    ) -> None:
        self.path = resolve(path)  # the one place the path is resolved: links followed
        self.touches_path = self.path.with_name(f"{self.path.stem}.touches{self.path.suffix}")
        self.clock: Clock = clock or SystemClock()
        self._main = JsonFile(self.path)
        self._touch_file = JsonFile(self.touches_path)
        self._main_db = TinyDB(self._main, self._forget_view, storage=_StagedStorage)
        self._touch_db = TinyDB(self._touch_file, self._forget_touches, storage=_StagedStorage)
        self._main_db.table_class = _InPlaceTable
        self._touch_db.table_class = _InPlaceTable
        self._main_storage: _StagedStorage = self._main_db.storage  # type: ignore[assignment]
        self._touch_storage: _StagedStorage = self._touch_db.storage  # type: ignore[assignment]
        self._lock = FileLock(
            self.path.with_name(self.path.name + ".lock"), self.path, lock_timeout
        )
        self._view: _View | None = None
        self._touches: list[Touch] | None = None
        self._touch_problems: list[str] = []  # the touches that can't be read, once parsed
        self._by_contact: dict[str, list[Touch]] | None = None
        self._day_delta: Counter[str] = Counter()
        # Objects built from records, by key, with the record they were built from: a
        # re-read after another process's change rebuilds only the records it changed.
        self._built_contacts: dict[str, tuple[Any, Contact]] = {}
        # Touches by key (sync() drops those whose record changed on disk; keeping their
        # records too would hold two copies of 50,000 records after every re-read).
        self._built_touches: dict[str, Touch] = {}
        self.notices: list[str] = []
        # The uids of the contacts whose record or touches the last sync() found changed
        # on disk (None: not known, treat everything as changed).
        self.changed: set[str] | None = None
        self.sync()

    # -- reading -----------------------------------------------------------------

    def sync(self) -> bool:
        """Re-read whatever another process changed on disk; True if anything did."""
        changed = False
        uids: set[str] | None = set()
        if self._main.stale():
            old = self._main.data if self._main.loaded else None
            self._load_main()
            changed = True
            uids = _changed_uids(old, self._main.data, "contacts", "uid", uids)
        if self._touch_file.loaded and self._touch_file.stale():
            old = self._touch_file.data
            self._load_touches()
            changed = True
            keys: set[str] = set()
            uids = _changed_uids(old, self._touch_file.data, "touches", "contact_uid", uids, keys)
            del old
            if uids is None:
                self._built_touches.clear()
            for key in keys:
                self._built_touches.pop(key, None)
        if changed:
            self.changed = uids
            if self._by_contact is not None:
                self._refresh_histories(uids)
        return changed

    def _refresh_histories(self, uids: set[str] | None) -> None:
        """Rebuild the per-contact histories of `uids` only (all of them if None)."""
        by_contact = self._by_contact
        if by_contact is None:
            return
        if uids is None:
            self._by_contact = None
            return
        if not uids:
            return
        raw = self._raw_touches()
        found: dict[str, list[tuple[str, Any]]] = {uid: [] for uid in uids}
        for key, doc in raw.items():
            if doc.__class__ is dict:
                members = found.get(doc.get("contact_uid"))  # type: ignore[arg-type]
                if members is not None:
                    members.append((key, doc))
        for uid, items in found.items():
            touches = self._built(items)
            if touches:
                by_contact[uid] = touches
            else:
                by_contact.pop(uid, None)
        for key in [k for k in self._built_touches if k not in raw]:
            del self._built_touches[key]

    def contacts(self, *, include_dropped: bool = False) -> list[Contact]:
        contacts = self._current_view().contacts
        if include_dropped:
            return list(contacts)
        return [c for c in contacts if c.status == "active"]

    def due_by(self, day: date) -> list[Contact]:
        """Active contacts whose next step is due on or before `day`; reads only those
        records (the quick `followup today` path)."""
        cutoff = day.isoformat()
        due = []
        for key, doc in self._raw_contacts().items():
            when = doc.get("next_due") if isinstance(doc, dict) else None
            if isinstance(when, str) and when <= cutoff and doc.get("status") != "dropped":
                try:
                    due.append(Contact.from_doc(doc, int(key)))
                except (BadRecord, ValueError):
                    continue
        return [c for c in due if c.status == "active" and not c.do_not_contact]

    def first_screen(self, today: date, per_heat: int) -> FirstScreen:
        """The head of each heat column and the counts, for the dashboard's first paint.

        Building all 5,000 contacts of a heavy database costs 50-85 ms; this ranks the
        raw records by the column order key (store.cadence) and builds only the
        `per_heat` first of each heat. The full list (`contacts()`) follows after the paint.
        """
        settings = self.settings
        cutoff, soon = today.isoformat(), date.fromordinal(today.toordinal() + SOON_DAYS)
        soon_cutoff = soon.isoformat()
        # First pass, no parsing: each active record into its heat and due state rank.
        ranks: dict[str, list[list[tuple[str, dict[str, Any]]]]] = {
            heat: [[], [], [], [], []] for heat in HEATS
        }
        for key, doc in self._raw_contacts().items():
            if doc.__class__ is not dict or doc.get("status", "active") != "active":
                continue
            due = doc.get("next_due")
            if doc.get("do_not_contact") is True:
                rank = 3  # never due: with the later ones (store.cadence.due_state)
            elif due is None:
                rank = 4
            elif due.__class__ is not str:
                continue
            elif due < cutoff:
                rank = 0
            elif due == cutoff:
                rank = 1
            else:
                rank = 2 if due <= soon_cutoff else 3
            by_rank = ranks.get(doc.get("heat") or "warm")
            if by_rank is not None:
                by_rank[rank].append((key, doc))
        # Then the full order key, only for the ranks that hold each column's head.
        contacts = []
        for heat, by_rank in ranks.items():
            keyed: list[tuple[tuple[int, float, str, str], str, dict[str, Any]]] = []
            for rank, members in enumerate(by_rank):
                for key, doc in members:
                    try:
                        keyed.append((_order(rank, doc, heat, today, settings), key, doc))
                    except (AttributeError, KeyError, TypeError, ValueError):
                        continue  # not readable: contacts() reports it
                if len(keyed) >= per_heat:
                    break
            for _order_key, key, doc in heapq.nsmallest(per_heat, keyed, key=lambda r: r[0]):
                try:
                    contacts.append(Contact.from_doc(doc, int(key)))
                except (BadRecord, ValueError):
                    continue
        return FirstScreen(
            contacts,
            {heat: sum(map(len, by_rank)) for heat, by_rank in ranks.items()},
            due_today=sum(len(by_rank[1]) for by_rank in ranks.values()),
            overdue=sum(len(by_rank[0]) for by_rank in ranks.values()),
        )

    def dropped(self) -> list[Contact]:
        return [c for c in self._current_view().contacts if c.status == "dropped"]

    def contact(self, uid: str) -> Contact:
        found = [
            (key, doc)
            for key, doc in self._raw_contacts().items()
            if doc.__class__ is dict and doc.get("uid") == uid
        ]
        if len(found) > 1:
            raise DatabaseError(
                f"{self.path}: records {', '.join(k for k, _ in found)} share the uid {uid} "
                "(a pasted record?); fix it by hand; nothing was changed"
            )
        if found:
            return _contact(found[0][1], found[0][0])
        raise InputError(f"no contact with uid {uid}")

    @property
    def problems(self) -> list[str]:
        """Records that could not be read (they are kept on disk untouched), and what a
        file holds that the store can't see (such a file is never written over)."""
        hidden = [f"{f.path}: {p}" for f in (self._main, self._touch_file) for p in f.hidden]
        touches = self._touch_problems if self._touches is not None else []
        return hidden + list(self._current_view().problems) + touches

    @property
    def settings(self) -> Settings:
        """The user's settings (cheap: does not read the contacts)."""
        return Settings.from_doc(self._first("settings"))

    def touches(self, contact_uid: str | None = None) -> list[Touch]:
        """Touches newest first: of one contact, or all of them."""
        if contact_uid is None:
            if self._touches is None:
                raw = self._raw_touches()
                problems: list[str] = []
                self._touches = self._built(raw.items(), problems)
                self._touch_problems = problems
                for key in self._built_touches.keys() - raw.keys():
                    del self._built_touches[key]
            return list(self._touches)
        if self._by_contact is not None:
            return list(self._by_contact.get(contact_uid, ()))
        raw = self._raw_touches()
        return self._built(
            (k, d)
            for k, d in raw.items()
            if d.__class__ is dict and d.get("contact_uid") == contact_uid
        )

    def histories(self) -> dict[str, list[Touch]]:
        """Every contact's touches, newest first, by contact uid (one pass over all
        touches: for row markers and stats, not for the first screen)."""
        if self._by_contact is None:
            by_contact: dict[str, list[Touch]] = {}
            for touch in self.touches():
                by_contact.setdefault(touch.contact_uid, []).append(touch)
            self._by_contact = by_contact
        return {uid: list(touches) for uid, touches in self._by_contact.items()}

    def touch_days(self) -> dict[date, int]:
        """How many touches were logged on each day (for the streak)."""
        cache = self._first("cache")
        current = not self._touch_file.loaded or (
            list(self._touch_file.sig or ()) == (cache or {}).get("touches_sig")
        )
        if current and cache and self._cache_fits(cache):
            counted = cache.get("touch_days")
            if isinstance(counted, dict):
                return _days(counted)
        return _days(_count_days(self._raw_touches()))

    # -- writing -----------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock, start from what is on disk, and write all changes at the end."""
        if self._lock.held:
            yield self
            return
        with self._lock:
            self.sync()
            self._main_storage.staged = None
            self._touch_storage.staged = None
            self._day_delta.clear()
            try:
                yield self
            except BaseException as error:
                # TinyDB turns every key into a number on a write: say which one is wrong
                bad = None
                if isinstance(error, ValueError):
                    bad = _bad_key(self.path, self._main) or _bad_key(
                        self.touches_path, self._touch_file
                    )
                self._discard()
                if bad:
                    raise DatabaseError(f"{bad}; fix it by hand; nothing was changed") from None
                raise
            self._commit()

    @property
    def lock_timeout(self) -> float:
        """How long a write waits for another process's lock before it gives up."""
        return float(getattr(self._lock, "timeout", 10.0))

    def lock_busy(self) -> bool:
        """Whether another process (or another Store) holds the lock right now: a probe
        that never waits, so a front end can move a write off its UI thread first."""
        if self._lock.held:
            return False
        try:
            fd = os.open(self._lock.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            return False  # the write itself reports why
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing releases the probe's lock
        return False

    def add_contact(self, contact: Contact) -> Contact:
        contact = _checked(contact)
        with self.transaction():
            now = self.clock.now()
            contact = replace(contact, created_at=now, updated_at=now)
            doc_id = self._contacts_table().insert(contact.to_doc())
        return self.contact_by_id(doc_id)

    def update(self, uid: str, **changes: Any) -> Contact:
        """Change some fields of a contact; returns the contact as stored."""
        with self.transaction():
            current = self.contact(uid)
            updated = _checked(replace(current, **changes, updated_at=self.clock.now()), changes)
            self._contacts_table().update(updated.to_doc(), doc_ids=[current.id])
        return self.contact(uid)

    def update_fields(
        self,
        uid: str,
        changes: Mapping[str, Any],
        expect: Mapping[str, Any] | None = None,
        *,
        on_conflict: OnConflict = "stop",
        allow_dropped: bool = False,
    ) -> FieldWrite:
        """Change only the fields in `changes`, decided inside the lock on what is on disk
        (and `updated_at`, which `written` then includes).

        `expect` holds the values the caller read (when its dialog opened) of the fields it
        changes: a field another process has set to something else since is a conflict.
        On a conflict `on_conflict` says what to do: "stop" writes nothing, "overwrite"
        writes every field, "keep" writes only the fields without a conflict. A contact
        that is gone, or dropped (unless `allow_dropped` or the change sets the status),
        raises GoneError.
        """
        with self.transaction():
            try:
                current = self.contact(uid)
            except InputError:
                raise GoneError("that contact was removed elsewhere; nothing was written") from None
            if current.status == "dropped" and not allow_dropped and "status" not in changes:
                raise GoneError(
                    f"{current.name} was dropped elsewhere (in the archive: A); nothing was written"
                )
            conflicts = {
                field: (expect[field], getattr(current, field))
                for field, value in changes.items()
                if expect is not None
                and field in expect
                and getattr(current, field) != expect[field]
                and getattr(current, field) != value
            }
            if conflicts and on_conflict == "stop":
                return FieldWrite(current, {}, conflicts)
            written = {
                field: (getattr(current, field), value)
                for field, value in changes.items()
                if getattr(current, field) != value
                and not (on_conflict == "keep" and field in conflicts)
            }
            if written:
                updated = _checked(replace(current, **written_values(written)), written)
                updated = replace(updated, updated_at=self.clock.now())
                self._contacts_table().update(updated.to_doc(), doc_ids=[current.id])
                written = {
                    f: (old, getattr(updated, f))
                    for f, (old, _new) in written.items()
                    if getattr(updated, f) != old
                }
                if written:
                    written["updated_at"] = (current.updated_at, updated.updated_at)
            return FieldWrite(self.contact(uid), written, conflicts)

    def revert_fields(self, uid: str, written: Mapping[str, tuple[Any, Any]]) -> list[str]:
        """Undo a write: put back each field's old value where it still holds the value
        that write gave it (compare-and-set). Returns the fields it could not put back
        (changed again elsewhere); a contact that is gone is left gone."""
        with self.transaction():
            try:
                current = self.contact(uid)
            except InputError:
                return list(written)
            back = {f: old for f, (old, new) in written.items() if getattr(current, f) == new}
            kept = [f for f in written if f not in back and f != "updated_at"]
            if kept:  # the contact changed since: it keeps the time of that change
                back.pop("updated_at", None)
            if back:
                updated = _checked(replace(current, **back), back)
                if "updated_at" not in back:
                    updated = replace(updated, updated_at=self.clock.now())
                self._contacts_table().update(updated.to_doc(), doc_ids=[current.id])
            return kept

    def log_fields(
        self,
        touch: Touch,
        changes: Mapping[str, Any],
        expect: Mapping[str, Any] | None = None,
        *,
        on_conflict: OnConflict = "stop",
        allow_dropped: bool = False,
    ) -> tuple[Touch | None, FieldWrite]:
        """Record a touch and change only `changes` of its contact, in one transaction;
        on a conflict (see update_fields) nothing is written and the touch is None."""
        touch = _checked_touch(touch)
        with self.transaction():
            result = self.update_fields(
                touch.contact_uid,
                changes,
                expect,
                on_conflict=on_conflict,
                allow_dropped=allow_dropped,
            )
            if result.conflicts and on_conflict == "stop":
                return None, result
            doc = touch.to_doc()
            doc_id = self._touches_table().insert(doc)
            self._day_delta[doc["at"][:10]] += 1
        return replace(touch, id=doc_id), result

    def put_contact(self, contact: Contact) -> Contact:
        """Store a whole contact as it was (undo); inserts it again if it is gone."""
        with self.transaction():
            table = self._contacts_table()
            doc_ids = [
                int(k)
                for k, d in self._raw_contacts().items()
                if isinstance(d, dict) and d.get("uid") == contact.uid
            ]
            if doc_ids:
                stored = self.contact(contact.uid)
                differ = [
                    f.name
                    for f in dataclasses.fields(Contact)
                    if getattr(stored, f.name) != getattr(contact, f.name)
                ]
                contact = _checked(contact, differ)
            else:
                contact = _checked_record(contact)
            if doc_ids:
                table.update(contact.to_doc(), doc_ids=doc_ids)
            else:
                table.insert(contact.to_doc())
        return self.contact(contact.uid)

    def remove_new_contact(self, uid: str) -> None:
        """Take back a contact that was just added (undo of an add). A contact with
        touches is never removed: it has a history, so drop it to the archive instead."""
        with self.transaction():
            contact = self.contact(uid)
            if self.touches(uid):
                raise InputError(f"{contact.name} has touches; drop it to the archive instead")
            self._contacts_table().remove(doc_ids=[contact.id])

    def log_touch(self, touch: Touch, **contact_changes: Any) -> Touch:
        """Record a touch and, in the same transaction, change its contact
        (typically `next_step` and `next_due`)."""
        touch = _checked_touch(touch)
        with self.transaction():
            self.contact(touch.contact_uid)
            doc = touch.to_doc()
            doc_id = self._touches_table().insert(doc)
            self._day_delta[doc["at"][:10]] += 1
            if contact_changes:
                self.update(touch.contact_uid, **contact_changes)
        return replace(touch, id=doc_id)

    def delete_touch(self, uid: str) -> None:
        """Remove a touch (undo of a touch just logged)."""
        with self.transaction():
            raw = self._raw_touches()
            ids = [int(k) for k, d in raw.items() if isinstance(d, dict) and d.get("uid") == uid]
            for doc_id in ids:
                self._day_delta[str(raw[str(doc_id)].get("at", ""))[:10]] -= 1
            if ids:
                self._touches_table().remove(doc_ids=ids)

    def add_many(self, contacts: Iterable[Contact], touches: Iterable[Touch] = ()) -> int:
        """Insert many contacts and touches in one transaction (import, demo);
        their own dates are kept. Returns the number of contacts added."""
        contact_docs = [_checked(c).to_doc() for c in contacts]
        touch_docs = [_checked_touch(t).to_doc() for t in touches]
        with self.transaction():
            self._contacts_table().insert_multiple(contact_docs)
            if touch_docs:
                self._touches_table().insert_multiple(touch_docs)
                self._day_delta.update(doc["at"][:10] for doc in touch_docs)
        return len(contact_docs)

    def contact_by_id(self, doc_id: int) -> Contact:
        doc = self._raw_contacts().get(str(doc_id))
        if doc is None:
            raise InputError(f"no contact #{doc_id}")
        return _contact(doc, str(doc_id))

    def save_settings(self, settings: Settings) -> None:
        with self.transaction():
            table = self._main_db.table("settings")
            table.truncate()
            table.insert(settings.to_doc())

    # -- internals ---------------------------------------------------------------

    def _contacts_table(self) -> Table:
        return self._main_db.table("contacts")

    def _touches_table(self) -> Table:
        self._raw_touches()
        return self._touch_db.table("touches")

    def _first(self, table: str) -> dict[str, Any] | None:
        data = self._main_tables()
        docs = data.get(table) or {}
        first = next(iter(docs.values()), None)
        return first if isinstance(first, dict) else None

    def _cache_fits(self, cache: dict[str, Any]) -> bool:
        signature = self._touch_file.on_disk()
        return list(signature or ()) == cache.get("touches_sig")

    def _load_main(self) -> None:
        known = self._main.data
        try:
            data = self._main.load()
        except DatabaseError as error:
            raise DatabaseError(f"{error}; {self._backup_hint()}") from None
        if data is None and known:
            self._keep_vanished(self._main, known)
            return
        try:
            version = _check_schema(data, self.path)
        except DatabaseError:
            self._main.forget()  # else the next sync() sees "no change" and a write goes through
            raise
        if version < SCHEMA_VERSION:
            self._migrate()
            data = self._main.load()
        self._reset(self._main_db)
        self._view = None

    def _migrate(self) -> None:
        """Back up both files, then rewrite them in the current schema (touches first)."""
        with self._lock:
            main = self._main.load()
            if main is None or _check_schema(main, self.path) >= SCHEMA_VERSION:
                return
            touches = self._touch_file.load()
            try:
                self._main.check_writable()
                self._touch_file.check_writable()
            except DatabaseError as error:
                raise DatabaseError(
                    f"{error}: it is in an older format that must be upgraded before use; "
                    "nothing was changed"
                ) from None
            backup.take_before_migration([self.path, self.touches_path], self.path)
            main, touches = migrate.upgrade(main, touches)
            if touches is not None:
                self._touch_file.write(touches)
                main = self._with_cache(main, touches, None)
            self._main.write(main)
            self._touch_file.forget()

    def _keep_vanished(self, file: JsonFile, known: Tables) -> None:
        """Another program deleted or moved a file we had read: keep serving what it
        held (the next change writes it back) rather than show an empty database."""
        file.data, file.sig, file.loaded = known, None, True
        lost = ""
        if file is self._main and not self._touch_file.loaded:
            with suppress(DatabaseError):
                self._load_touches()
            cache = self._first("cache") or {}
            days = cache.get("touch_days")
            if not self._touch_file.data and isinstance(days, dict):
                counted = sum(n for n in days.values() if type(n) is int)
                if counted:
                    lost = (
                        f"; but {self.touches_path} is gone too and its {counted} touches "
                        "were not in memory: they can't be written back"
                    )
        self.notices.append(
            f"{file.path} was deleted or moved by another program; what followup holds "
            f"of it is still here and the next change writes it back{lost}"
        )

    @property
    def touches_loaded(self) -> bool:
        """Whether the touches file has been read (the quick commands never read it:
        they take the per-day counts from the main file's cache)."""
        return self._touch_file.loaded

    def take_notices(self) -> list[str]:
        """Things the user should hear about that were not errors (shown once)."""
        notices, self.notices = self.notices, []
        return notices

    def _backup_hint(self) -> str:
        newest = backup.newest_backup(self.path, self.clock.now().date())
        return f"newest backup: {newest}" if newest else "no backup yet"

    def _load_touches(self) -> None:
        known = self._touch_file.data
        try:
            if self._touch_file.load() is None and known:
                self._keep_vanished(self._touch_file, known)
        except DatabaseError as error:
            raise DatabaseError(f"{error}; {self._backup_hint()}") from None
        self._reset(self._touch_db)
        self._forget_touches(keep_histories=True)

    def _main_tables(self) -> Tables:
        if not self._main.loaded:
            self._load_main()
        return self._main_storage.read() or {}

    def _raw_contacts(self) -> dict[str, Any]:
        data = self._main_tables()
        return data.get("contacts") or {}

    def _raw_touches(self) -> dict[str, Any]:
        if not self._touch_file.loaded:
            self._load_touches()
        data = self._touch_storage.read() or {}
        return data.get("touches") or {}

    def _forget_view(self) -> None:
        self._view = None

    def _forget_touches(self, *, keep_histories: bool = False) -> None:
        """Drop what was built from the touches (`keep_histories`: the per-contact
        histories stay, for sync() to rebuild only those of the contacts it changed)."""
        self._touches = None
        if not keep_histories:
            self._by_contact = None
            self._built_touches.clear()

    def _current_view(self) -> _View:
        if self._view is None:
            self._view = self._build_view()
        return self._view

    def _build_view(self) -> _View:
        data = self._main_tables()
        contacts: list[Contact] = []
        problems: list[str] = []
        built, self._built_contacts = self._built_contacts, {}
        for key, doc in (data.get("contacts") or {}).items():
            known = built.get(key)
            if known is not None and known[0] == doc:
                contact = known[1]
            else:
                try:
                    contact = Contact.from_doc(doc, int(key))
                except BadRecord as error:
                    problems.append(str(error))
                    continue
                except ValueError:
                    problems.append(f"contact {key!r}: its key is not a number")
                    continue
            self._built_contacts[key] = (doc, contact)
            contacts.append(contact)
        shared = Counter(c.uid for c in contacts)
        if len(shared) < len(contacts):  # two records with one uid: neither is trusted
            for contact in [c for c in contacts if shared[c.uid] > 1]:
                problems.append(
                    f"contact {contact.id} ({contact.name!r}): another record has the same "
                    f"uid {contact.uid}"
                )
            contacts = [c for c in contacts if shared[c.uid] == 1]
        return _View(contacts, problems)

    def _built(
        self, items: Iterable[tuple[str, Any]], problems: list[str] | None = None
    ) -> list[Touch]:
        """The touches of these records newest first, reusing those built before
        (the records that can't be read are described in `problems`)."""
        touches = []
        built = self._built_touches
        for key, doc in items:
            known = built.get(key)
            if known is not None:
                touches.append(known)
                continue
            try:
                touch = Touch.from_doc(doc, int(key))
            except BadRecord as error:
                if problems is not None:
                    problems.append(str(error))
                continue
            except ValueError:
                if problems is not None:
                    problems.append(f"touch {key!r}: its key is not a number")
                continue
            built[key] = touch
            touches.append(touch)
        touches.sort(key=lambda t: (t.at.timestamp(), t.id), reverse=True)
        return touches

    @staticmethod
    def _reset(db: TinyDB) -> None:
        """Forget what TinyDB cached about the old contents of a file."""
        for name in ("contacts", "meta", "settings", "cache", "touches"):
            table = db.table(name)
            table.clear_cache()
            table._next_id = None  # TinyDB keeps the next id across reads

    def _discard(self) -> None:
        for storage in (self._main_storage, self._touch_storage):
            storage.staged = None
        self._main.forget()
        if self._touch_file.loaded:
            self._touch_file.forget()
        self._reset(self._main_db)
        self._reset(self._touch_db)
        self._forget_view()
        self._forget_touches()

    def _commit(self) -> None:
        touches = self._touch_storage.staged
        main = self._main_storage.staged
        if touches is None and main is None:
            return
        saved_touches = False
        try:
            self._refuse_hidden()
            if main is None and touches is not None and self._main.vanished():
                main = self._main.data  # written back with the touches
            if touches is None and main is not None and self._touch_file.vanished():
                touches = self._touch_file.data
            self._main.check_writable()
            self._touch_file.check_writable()
            self._main.remove_stale_temps()
            self._touch_file.remove_stale_temps()
            today = self.clock.now().date()
            ahead = backup.take_daily([self.path, self.touches_path], today, self.path)
            if ahead:
                self.notices.append(
                    f"{len(ahead)} backup(s) are dated after today (the clock ran ahead?), "
                    f"e.g. {ahead[0]}; they are kept but not counted as the newest"
                )
            if touches is not None:
                counted_before = self._counted_days()
                self._touch_file.write(touches)
                saved_touches = True
                self._touch_storage.staged = None
                main = self._with_cache(main, touches, counted_before)
            if main is not None:
                self._main.write(_with_meta(main))
                self._main_storage.staged = None
                self._view = None
        except (DatabaseError, OSError) as error:
            self._discard()
            reason = str(error) if isinstance(error, DatabaseError) else f"{self.path}: {error}"
            tail = (
                "the touch was saved; the contact's change was not"
                if saved_touches
                else "nothing was changed"
            )
            raise DatabaseError(f"{reason}; {tail}") from None
        except BaseException:
            self._discard()  # e.g. ctrl+c mid-write: drop the half-applied in-memory change
            raise

    def _refuse_hidden(self) -> None:
        """A file holding records the store can't see is never written over."""
        for file in (self._main, self._touch_file):
            if file.hidden:
                raise DatabaseError(
                    f"{file.path}: {file.hidden[0]}; it holds records followup can't see, so "
                    f"it is not written over; fix it by hand ({self._backup_hint()})"
                )

    def _counted_days(self) -> Counter[str] | None:
        """The cached per-day counts, if they describe the touches file as it was read."""
        cache = self._first("cache")
        if not cache or cache.get("touches_sig") != list(self._touch_file.sig or ()):
            return None
        counted = cache.get("touch_days")
        return Counter(counted) if isinstance(counted, dict) else None

    def _with_cache(
        self, main: Tables | None, touches: Tables, counted_before: Counter[str] | None
    ) -> Tables:
        """The main tables with the per-day touch counts of the touches just written:
        the old counts plus this transaction's changes, or counted afresh."""
        tables = dict(main if main is not None else (self._main.data or {}))
        if counted_before is None:
            days = _count_days(touches.get("touches") or {})
        else:
            counted_before.update(self._day_delta)
            days = {d: n for d, n in sorted(counted_before.items()) if n > 0}
        tables["cache"] = {
            "1": {"touches_sig": list(self._touch_file.sig or ()), "touch_days": days}
        }
        return tables


def _order(
    rank: int, doc: dict[str, Any], heat: str, today: date, settings: Settings
) -> tuple[int, float, str, str]:
    """store.cadence's column order key, from a raw record of due state `rank`."""
    weight = 0.0
    if rank == 0:  # overdue: most overdue relative to the cadence first
        cadence = max(1, doc.get("cadence_days") or settings.cadence_for(heat))
        weight = -(today - date.fromisoformat(doc["next_due"])).days / cadence
    elif doc.get("do_not_contact") is True:
        weight = float("inf")  # last of the later ones
    elif rank in (2, 3):
        weight = float(date.fromisoformat(doc["next_due"]).toordinal())
    return (rank, weight, doc["name"].casefold(), doc["uid"])


def _changed_uids(
    old: Tables | None,
    new: Tables | None,
    table: str,
    field: str,
    into: set[str] | None,
    keys: set[str] | None = None,
) -> set[str] | None:
    """Add to `into` the `field` (a contact uid) of every record of `table` that differs
    between two versions of a file (and their keys to `keys`); None when that can't be
    told."""
    if into is None or old is None or new is None:
        return None
    before, after = old.get(table) or {}, new.get(table) or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    docs = []
    found = 0
    get = before.get
    for key, doc in after.items():
        known = get(key)
        if known is not None:
            found += 1
            if known == doc:
                continue
            docs.append(known)
        docs.append(doc)
        if keys is not None:
            keys.add(key)
    if found < len(before):  # some records were removed
        removed = before.keys() - after.keys()
        docs.extend(before[key] for key in removed)
        if keys is not None:
            keys.update(removed)
    for doc in docs:
        uid = doc.get(field) if isinstance(doc, dict) else None
        if not isinstance(uid, str):
            return None
        into.add(uid)
    return into


def written_values(written: Mapping[str, tuple[Any, Any]]) -> dict[str, Any]:
    """The new value of each field of a `FieldWrite.written`."""
    return {field: new for field, (_old, new) in written.items()}


def _bad_key(path: Path, file: JsonFile) -> str | None:
    """The first record key in `file` that is not a number (a hand edit), described."""
    for name, table in (file.data or {}).items():
        for key in table:
            if not key.isdigit():
                return f"{path}: record {key!r} in table {name!r} has a key that is not a number"
    return None


def _with_meta(tables: Tables) -> Tables:
    if not tables.get("meta"):
        tables = {"meta": {"1": {"schema_version": SCHEMA_VERSION}}, **tables}
    return tables


def _check_schema(data: Tables | None, path: Path) -> int:
    version = migrate.version_of(data)
    if version < 0:
        raise DatabaseError(f"{path} has an unreadable schema version; it was left untouched")
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer followup (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); it was left untouched"
        )
    return version


def _count_days(docs: dict[str, Any]) -> dict[str, int]:
    """Touches per day, by the date each was logged on (in its own UTC offset)."""
    days = Counter(
        at[:10]
        for doc in docs.values()
        if doc.__class__ is dict and (at := doc.get("at")).__class__ is str and _aware(at)
    )
    return dict(sorted(days.items()))


def _aware(at: str) -> bool:
    """True for an ISO time with a UTC offset: only those are touches (one without is
    reported as a record that can't be read, and left out of the streak too)."""
    if len(at) > 19 and at[-6] in "+-" and at[-3] == ":":  # ...+01:00, the usual form
        return True
    try:
        return datetime.fromisoformat(at).tzinfo is not None
    except ValueError:
        return False


def _contact(doc: Any, key: str) -> Contact:
    try:
        return Contact.from_doc(doc, int(key))
    except BadRecord as error:
        raise InputError(f"that contact can't be read: {error}") from None


def _days(counted: dict[str, Any]) -> dict[date, int]:
    days: dict[date, int] = {}
    for day, count in counted.items():
        try:
            days[date.fromisoformat(day)] = int(count)
        except (TypeError, ValueError):
            continue
    return days


def _checked(contact: Contact, only: Iterable[str] | None = None) -> Contact:
    """The contact with its text normalised, or an InputError naming the bad field.
    With `only`, just those fields are checked (the ones a change writes): a field edited
    by hand out of bounds does not block a change to another one."""
    fields = None if only is None else set(only)

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    for name, allowed in (("heat", HEATS), ("kind", KINDS), ("status", STATUSES)):
        if wanted(name):
            _require(getattr(contact, name), allowed, name)
    if contact.channel is not None and wanted("channel"):
        _require(contact.channel, CHANNELS, "channel")
    cadence = contact.cadence_days
    if (
        wanted("cadence_days")
        and cadence is not None
        and (type(cadence) is not int or not 0 < cadence <= 3650)
    ):
        raise InputError("a cadence must be a whole number of days from 1 to 3650")
    changes: dict[str, Any] = {}
    value = contact.value
    if value is not None and wanted("value"):
        if type(value) not in (int, float) or not abs(value) <= VALUE_MAX:
            raise InputError(f"a value must be a number of at most {VALUE_MAX:,.0f}")
        changes["value"] = float(value)
    for name, limit in FIELD_LIMITS.items():
        if wanted(name):
            changes[name] = check_text(getattr(contact, name), name, limit)
    if wanted("tags"):
        changes["tags"] = tuple(
            dict.fromkeys(t for t in (check_text(t, "tag", TAG_MAX) for t in contact.tags) if t)
        )
    if wanted("name"):
        changes["name"] = check_name(contact.name)
    return replace(contact, **changes)


def _checked_record(contact: Contact) -> Contact:
    """`_checked` for a whole stored record written again: an error names the record
    (its bad field was edited by hand, not typed)."""
    try:
        return _checked(contact)
    except InputError as error:
        raise InputError(
            f"contact #{contact.id} ({clean(contact.name)!r}) has a stored field out of "
            f"bounds: {error}; fix it by hand; nothing was changed"
        ) from None


def _checked_touch(touch: Touch) -> Touch:
    _require(touch.channel, CHANNELS, "channel")
    _require(touch.outcome, OUTCOMES, "outcome")
    _require(touch.direction, DIRECTIONS, "direction")
    if touch.at.tzinfo is None:
        raise InputError("a touch needs a time with a UTC offset")
    return replace(touch, note=check_text(touch.note, "note"))


def _require(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InputError(f"unknown {what} {value!r} (choose from {', '.join(allowed)})")
