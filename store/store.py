"""The Store: contacts and touches in TinyDB, safe across crashes and processes.

Two files: the main one (`--db`), a TinyDB JSON file, holds meta, settings and
contacts, one contact a line (store.engine.layout: a write lays out again only the lines it
changed, a reader parses only the records it needs); the touches live beside it in an
append-only journal, `<name>.touches.jsonl` (store/engine/journal.py), behind a TinyDB
storage. Every change runs in `transaction()`: the lock file is held, both files are
re-read if another process changed them (the journal: only the lines appended since),
TinyDB's writes are staged in memory, and on success the touches are appended (one
write, one fsync) and then the main file is written atomically.

The Store is the one facade; each job lives in its own module: the TinyDB adapters
(store.engine.adapters), transactions and the files on disk with their migration
(store.engine.disk), the per-day touch counts cached in the main file (store.engine.day_cache),
what is built from the records and kept between reads (store.engine.built), the
first-paint ranking (store.rules.ranking) and field validation (store.rules.checks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb.table import Table

from store.clock import Clock, SystemClock
from store.engine import day_cache, integrity
from store.engine.atomic import atomic_write
from store.engine.built import Touches, View, changed_uids
from store.engine.disk import Disk
from store.engine.faults import NO_FAULTS, Faults, Step
from store.engine.integrity import Finding
from store.engine.journal import Journal
from store.engine.pair import PAIR, Pair
from store.engine.paths import database_path, journal_path, resolve
from store.errors import DatabaseError, InputError, describe_os_error
from store.model import BadRecord, Contact, Settings, Touch
from store.rules.checks import checked as _checked
from store.rules.checks import checked_record as _checked_record
from store.rules.checks import checked_touch as _checked_touch
from store.rules.names import named
from store.rules.ranking import FirstScreen, first_screen, heads_of
from store.rules.stamps import stamped
from store.rules.writes import (
    FieldWrite,
    GoneError,
    OnConflict,
    field_changes,
    reverted,
    written_values,
)

__all__ = [
    "NO_FAULTS", "REMOVED_TOUCHES", "Faults", "FieldWrite", "Finding", "FirstScreen",
    "GoneError", "OnConflict", "Step", "Store", "check_database", "database_path",
    "journal_records_beside", "removed_days", "repair_database", "write_file_atomically",
    "written_values",
]  # fmt: skip


class Store:
    """All reads and writes of one followup database."""

    def __init__(
        self,
        path: Path | str,
        clock: Clock | None = None,
        lock_timeout: float | None = None,
        *,
        faults: Faults = NO_FAULTS,
    ) -> None:
        """`faults`: where tests make the disk fail (store.engine.faults.Faults), and
        the named steps of a write ("backup", "append", "write-main") stop or fail."""
        self.path = resolve(path)  # the one place the path is resolved: links followed
        self.clock: Clock = clock or SystemClock()
        self._faults = faults
        self._disk = Disk(self.path, self.clock, lock_timeout, faults)
        self.touches_path = self._disk.touches_path
        self._lock = self._disk.lock
        self._contacts = self._disk.derived.contacts
        self._touches = self._disk.built_touches
        self._dated = day_cache.Dated()  # the cached day counts as dates (see touch_days)
        self.notices: list[str] = self._disk.notices
        # The uids of the contacts whose record or touches the last sync() found changed
        # on disk (None: not known, treat everything as changed).
        self.changed: set[str] | None = None
        self.sync()

    # -- reading -----------------------------------------------------------------

    def sync(self, *, main: bool = True) -> bool:
        """Re-read what another process changed (`main` False: the journal alone); True if any."""
        disk = self._disk
        changed = False
        uids: set[str] | None = set()
        if disk.refused:  # refused before: still, until the files fit again
            disk.check_pair()
        if main and disk.main.stale():
            old = disk.main.data if disk.main.loaded else None
            disk.load_main()
            changed = True
            replaced = disk.main.replaced  # the records changed in place, as they were
            if replaced is not None:
                old, only = {"contacts": replaced}, set(replaced)
            else:
                only = None
            uids = changed_uids(old, disk.main.data, "contacts", "uid", uids, only=only)
        if disk.journal.loaded:
            change = disk.sync_touches()
            if change:
                changed = True
                uids = self._touches.apply(change.put, change.removed, uids)
        if changed:
            self.changed = uids
        return changed

    def contacts(self, *, include_dropped: bool = False) -> list[Contact]:
        contacts = self._view().contacts
        if include_dropped:
            return list(contacts)
        return [c for c in contacts if c.status == "active"]

    def due_by(self, day: date) -> list[Contact]:
        """Active contacts whose next step is due on or before `day`; reads only those
        records (the quick `followup today` path)."""
        cutoff = day.isoformat()
        due, lines = [], self._disk.records.due_by(cutoff)
        for key, doc in self._raw_contacts().items() if lines is None else lines:
            when = doc.get("next_due") if isinstance(doc, dict) else None
            if isinstance(when, str) and when <= cutoff and doc.get("status") != "dropped":
                try:
                    due.append(Contact.from_doc(doc, int(key)))
                except (BadRecord, ValueError):
                    continue
        return [c for c in due if c.status == "active" and not c.do_not_contact]

    def first_screen(self, today: date, per_heat: int) -> FirstScreen:
        """The head of each heat column and the counts, for the dashboard's first paint
        (store.rules.ranking: only the `per_heat` first of each heat are built)."""
        found = self._disk.records.heads()
        if found is None:
            records = self._raw_contacts()
            found = heads_of(records), records.__getitem__
        heads, record = found
        return first_screen(heads, record, self.settings, today, per_heat)

    def contacts_named(self, text: str) -> list[Contact]:
        """The active contacts a name, prefix or substring `text` can match (only those built)."""
        records = self._disk.records
        found = named(text, records.keys_named, records.by_key, self._raw_contacts)
        return self.contacts() if found is None else found

    def dropped(self) -> list[Contact]:
        return [c for c in self._view().contacts if c.status == "dropped"]

    def contact(self, uid: str) -> Contact:
        docs = self._disk.records.of_uid(uid)
        found = [(key, doc) for key, doc in docs if doc.__class__ is dict and doc.get("uid") == uid]
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
        main = self._disk.main
        hidden = [f"{main.path}: {p}" for p in main.hidden]
        touches = self._touches.problems if self._touches.everything is not None else []
        return hidden + list(self._view().problems) + touches

    @property
    def settings(self) -> Settings:
        """The user's settings (cheap: does not read the contacts)."""
        return Settings.from_doc(self._disk.first("settings"))

    def touches(self, contact_uid: str | None = None) -> list[Touch]:
        """Touches newest first: of one contact, or all of them."""
        if self._disk.touch_begun:  # inside a transaction that changed them: not built
            raw, fresh = self._disk.raw_touches(), Touches()
            return fresh.of(contact_uid, raw) if contact_uid else fresh.all(raw)
        if contact_uid is None:
            return list(self._touches.all(self._disk.raw_touches()))
        if self._touches.by_contact is not None:
            return self._touches.of(contact_uid, {})
        if not self._disk.journal.loaded:  # only the lines of this contact
            return self._touches.of(contact_uid, self._disk.touches_of(contact_uid))
        return self._touches.of(contact_uid, self._disk.raw_touches())

    def touch_mark(self) -> int:
        """Where this database's touches stand: the id the next touch logged will get, as
        the main file last read or written here records it (every write that logs or
        imports a touch, in this process or another, moves it on; ids are never reused).
        Taken right after a change, it lets `touches_logged_since` tell what was logged
        after that change without reading any touch."""
        pair = Pair.of(self._disk.first(PAIR))
        return pair.next if pair is not None else 0

    def touches_logged_since(self, contact_uid: str, mark: int) -> list[Touch]:
        """Contact `contact_uid`'s touches logged after `touch_mark()` returned `mark`,
        newest first (as of the last `sync()`). When no touch was logged anywhere since,
        none is read; else only that contact's."""
        if self.touch_mark() <= mark:
            return []
        return [t for t in self.touches(contact_uid) if t.id >= mark]

    def histories(self) -> dict[str, list[Touch]]:
        """Every contact's touches, newest first, by contact uid (one pass over all
        touches: for row markers and stats, not for the first screen)."""
        found = self._touches.histories(self._disk.raw_touches())
        return {uid: list(touches) for uid, touches in found.items()}

    def touch_days(self) -> dict[date, int]:
        """How many touches were logged on each day (for the streak)."""
        disk = self._disk
        cache = disk.first("cache")
        journal = disk.journal
        current = not journal.loaded or day_cache.fits(cache, day_cache.signature_of(journal))
        if (
            current
            and cache
            and day_cache.fits(cache, day_cache.signature_of(journal, on_disk=True))
        ):
            counted = cache.get("touch_days")
            if isinstance(counted, dict):
                return self._dated(counted)
        return day_cache.as_dates(day_cache.count_days(disk.raw_touches()))

    @property
    def touches_loaded(self) -> bool:
        """Whether the touches were read (the quick commands take the day counts' cache)."""
        return self._disk.journal.loaded

    @property
    def contacts_parsed(self) -> bool:
        """Whether every contact record was parsed (the quick commands parse only the
        lines they need: store.engine.layout)."""
        disk = self._disk
        disk.records  # noqa: B018  (the main file read first if need be)
        return not disk.main.lazy

    def raw_contacts(self) -> Mapping[str, Any]:
        """The contact records as stored, by key, every one parsed (read-only: for checks
        and tools; a change goes through the methods below)."""
        return self._raw_contacts()

    def owns(self, path: Path | str) -> str | None:
        """Which of this database's own files `path` is, through any link (its main file,
        journal, index, lock, a backup, a temporary file), or None: what an export must
        never write over."""
        return self._disk.owns(Path(path).expanduser())

    def removed_touches(self) -> dict[str, date]:
        """The touches removed from this database (their uid, the day), kept so that a
        removal travels with a merge: a copy that still holds one does not bring it back."""
        if self._lock.held:
            docs = self._disk.main_db.table(REMOVED_TOUCHES).all()
            doc: Any = docs[0] if docs else None
        else:
            doc = self._disk.first(REMOVED_TOUCHES)
        return removed_days(doc.get("touches") if isinstance(doc, dict) else None)

    def take_notices(self) -> list[str]:
        """Things the user should hear about that were not errors (shown once)."""
        notices = list(self.notices)
        self.notices.clear()
        return notices

    # -- writing -----------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the lock, start from what is on disk, and write all changes at the end."""
        if self._lock.held:
            yield self
            return
        self._faults.reached("lock", self.path)
        with self._lock:
            self.sync()
            self._disk.begin()
            try:
                yield self
            except BaseException as error:
                # TinyDB turns every key into a number on a write: say which one is wrong
                bad = self._disk.bad_key() if isinstance(error, ValueError) else None
                self._disk.discard()
                if bad:
                    raise DatabaseError(f"{bad}; fix it by hand; nothing was changed") from None
                raise
            self._disk.commit()
            done = self._disk.committed
            if done is not None:
                self._disk.committed = None
                self._touches.apply(done.put, done.removed, set())

    @property
    def lock_timeout(self) -> float:
        """How long a write waits for another process's lock before it gives up."""
        return float(getattr(self._lock, "timeout", 10.0))

    def lock_busy(self) -> bool:
        """Whether another process (or another Store) holds the lock right now: a probe
        that never waits, so a front end can move a write off its UI thread first."""
        return self._lock.busy()

    def add_contact(self, contact: Contact) -> Contact:
        contact = _checked(contact)
        with self.transaction():
            now = self.clock.now()
            contact = replace(contact, created_at=now, updated_at=now)
            doc_id = self._contacts_table().insert(contact.to_doc())
        return self.contact_by_id(doc_id)

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
            updated, written, conflicts = field_changes(
                current, changes, expect, on_conflict, allow_dropped, self.clock.now()
            )
            if updated is None:
                return FieldWrite(current, written, conflicts)
            updated = stamped(current, updated, self.clock.now())
            self._disk.records.put(str(current.id), updated.to_doc())
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
            updated, kept = reverted(current, written, self.clock.now())
            if updated is not None:
                updated = stamped(current, updated, self.clock.now())
                self._disk.records.put(str(current.id), updated.to_doc())
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
            doc_id = self._disk.add_tail(doc)
            self._disk.day_delta[doc["at"][:10]] += 1
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
                contact = stamped(stored, _checked(contact, differ), self.clock.now())
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

    def delete_touch(self, uid: str, contact_uid: str | None = None) -> None:
        """Remove a touch (undo of a touch just logged; see Disk.remove_touch)."""
        with self.transaction():
            self._disk.remove_touch(uid, contact_uid)
            self._keep_removed({uid: self.clock.now().date()})

    def remove_touches(self, removed: Mapping[str, date]) -> int:
        """Remove the touches `removed` names that are here and remember every one as
        removed (an import of a copy where they were removed). Returns how many touches
        were here."""
        with self.transaction():
            here = [t for t in self.touches() if t.uid in removed]
            for touch in here:
                self._disk.remove_touch(touch.uid)
            self._keep_removed(removed)
        return len(here)

    def _keep_removed(self, removed: Mapping[str, date]) -> None:
        known = self.removed_touches()
        new = {uid: day for uid, day in removed.items() if uid not in known}
        if not new:
            return
        known.update(new)
        doc = {"touches": {uid: known[uid].isoformat() for uid in sorted(known)}}
        # The one record changed in place (InPlaceTable): TinyDB's `truncate` writes the
        # whole file's tables, which tells the main file that any contact may have
        # changed, so the commit laid out and hashed every contact line again (25-70 ms
        # on the heavy database, each undo of a touch).
        table = self._disk.main_db.table(REMOVED_TOUCHES)
        ids = sorted(d.doc_id for d in table.all())
        if ids:
            table.update(doc, doc_ids=ids[:1])
            if ids[1:]:
                table.remove(doc_ids=ids[1:])
        else:
            table.insert(doc)

    def add_many(self, contacts: Iterable[Contact], touches: Iterable[Touch] = ()) -> int:
        """Insert many contacts and touches in one transaction (import, demo);
        their own dates are kept. Returns the number of contacts added."""
        contact_docs = [_checked(c).to_doc() for c in contacts]
        touch_docs = [_checked_touch(t).to_doc() for t in touches]
        with self.transaction():
            self._contacts_table().insert_multiple(contact_docs)
            if touch_docs:
                self._touches_table().insert_multiple(touch_docs)
                self._disk.day_delta.update(doc["at"][:10] for doc in touch_docs)
        return len(contact_docs)

    def contact_by_id(self, doc_id: int) -> Contact:
        doc = self._disk.records.by_key(str(doc_id))
        if doc is None:
            raise InputError(f"no contact #{doc_id}")
        return _contact(doc, str(doc_id))

    def save_settings(self, settings: Settings) -> None:
        with self.transaction():
            table = self._disk.main_db.table("settings")
            table.truncate()
            table.insert(settings.to_doc())

    # -- internals ---------------------------------------------------------------

    def _contacts_table(self) -> Table:
        return self._disk.main_db.table("contacts")

    def _touches_table(self) -> Table:
        return self._disk.touch_table()  # type: ignore[return-value]

    def _raw_contacts(self) -> dict[str, Any]:
        return self._disk.main_tables().get("contacts") or {}

    def _view(self) -> View:
        return self._contacts.current(self._disk.main_tables())


REMOVED_TOUCHES = "removed_touches"  # the main file's table of removed touches


def removed_days(raw: Any) -> dict[str, date]:
    """The removed touches a stored or exported mapping {uid: ISO day} holds (the ones
    that can't be read left out)."""
    found: dict[str, date] = {}
    if isinstance(raw, dict):
        for uid, day in raw.items():
            if isinstance(uid, str) and uid.strip() and isinstance(day, str):
                try:
                    found[uid] = date.fromisoformat(day)
                except ValueError:
                    continue
    return found


def write_file_atomically(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` as the database's own files are replaced (an export):
    a reader sees the old file or the whole new one. Raises DatabaseError."""
    try:
        atomic_write(path, [payload])
    except OSError as error:
        raise DatabaseError(f"could not write {path}: {describe_os_error(error)}") from None


def journal_records_beside(path: Path) -> list[Any] | None:
    """The touch records of the journal beside another database file `path` (an import
    of that database), None when it has none. Raises DatabaseError when it is damaged."""
    journal = Journal(journal_path(path))
    journal.sync()
    return None if journal.identity is None else list(journal.records.values())


def check_database(path: Path, today: date) -> list[Finding]:
    """`followup check`: both files, the pair, the derived files and the backups, each
    verified (nothing is written; store.engine.integrity)."""
    return integrity.check(resolve(path), today)


def repair_database(path: Path, now: datetime) -> list[str]:
    """`followup repair`: after a backup, damaged lines set aside, the journal on disk
    accepted, the derived files rebuilt; what was done (store.engine.integrity)."""
    return integrity.repair(resolve(path), now)


def _contact(doc: Any, key: str) -> Contact:
    try:
        return Contact.from_doc(doc, int(key))
    except BadRecord as error:
        raise InputError(f"that contact can't be read: {error}") from None
