"""Transactions and the two files on disk: loading (and migrating) them, staging TinyDB's
writes, and committing each under the lock (touches first). The main file is a TinyDB JSON
file written atomically; the touches are an append-only journal (store/engine/journal.py)."""

from __future__ import annotations

import os
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeGuard

from tinydb import TinyDB

from store.clock import Clock
from store.engine import backup, day_cache, migrate
from store.engine.adapters import InPlaceTable, StagedStorage, reset
from store.engine.atomic import fsync_folder
from store.engine.built import Touches
from store.engine.contact_records import ContactRecords, Derived
from store.engine.faults import NO_FAULTS, Faults
from store.engine.files import JsonFile, Tables, check_regular
from store.engine.journal import Journal, Mark
from store.engine.journal_records import Change, Records
from store.engine.journal_scan import (
    IndexFile,
    TouchIndex,
    indexed,
    next_index,
    of_contact,
    scan_for,
)
from store.engine.journal_tinydb import JournalStorage, JournalTable
from store.engine.lock import FileLock
from store.engine.pair import PAIR, Pair, verify_on_disk, verify_read, with_pair
from store.engine.paths import journal_path
from store.errors import DatabaseError, describe_os_error
from store.model import SCHEMA_VERSION


class Disk:
    """The main file and the touches journal, their TinyDB databases and the lock, and
    what is built from each file (`derived`: from the contacts, dropped through the main
    file's storage; `built_touches`: from the journal, dropped here when it is read
    again). `faults` (store.engine.faults): every write goes through it, and it is told
    of each step of a commit ("backup", "append", "write-main") before it is taken."""

    def __init__(
        self, path: Path, clock: Clock, lock_timeout: float | None, faults: Faults = NO_FAULTS
    ) -> None:
        self.path = path
        self.touches_path = journal_path(path)
        self.old_touches_path = path.with_name(f"{path.stem}.touches{path.suffix}")
        self.clock = clock
        self.faults = faults  # the fault hook of every write (store.engine.faults)
        self.main = JsonFile(path, faults)
        self.journal = Journal(self.touches_path, mode_like=path, faults=faults)
        self.touch_index = IndexFile(self.touches_path, faults)
        self.derived = Derived()
        self.built_touches = Touches()
        self.main_db = TinyDB(self.main, self.derived.changed, storage=StagedStorage)
        self.touch_db = TinyDB(self.journal, storage=JournalStorage)
        self.main_db.table_class = InPlaceTable
        self.touch_db.table_class = JournalTable
        self.main_storage: StagedStorage = self.main_db.storage  # type: ignore[assignment]
        self.touch_storage: JournalStorage = self.touch_db.storage  # type: ignore[assignment]
        self._records = ContactRecords(self.main, self.main_db, self.derived)
        # touches written by this transaction: to the journal's records (`touch_begun`),
        # or (`tail`, added; `tail_removed`, removed by id) appended at commit after
        # reading only the journal's tail
        self.touch_begun = False
        self.tail: list[dict[str, object]] = []
        self.tail_removed: dict[str, Any] = {}
        self.committed: Change | None = None  # what the last commit changed in the journal
        self.next_id = 1
        self.lock = FileLock(path.with_name(path.name + ".lock"), path, lock_timeout)
        self.notices: list[str] = []
        # The change this transaction makes to the number of touches of each day.
        self.day_delta: Counter[str] = Counter()
        self.refused: str | None = None  # why the journal was refused (checked again)
        self.check_regular()

    def check_regular(self) -> None:
        """Refuse at once, in every command, a FIFO, device or folder where the journal,
        the touch index or the lock belongs (the main file is checked when it is read)."""
        check_regular(self.touches_path)
        check_regular(self.touch_index.path)
        check_regular(self.lock.path, "the lock file ")

    def own_files(self) -> list[Path]:
        """Every file this database lives in: the main file, the journal and its index,
        the touches file of an older version, the lock (the backups: `owns`)."""
        return [
            self.path,
            self.touches_path,
            self.touch_index.path,
            self.old_touches_path,
            self.lock.path,
        ]

    def owns(self, target: Path) -> str | None:
        """What `target` is of this database's own files (through any link, a hard link
        too: compared by resolved path and by device and inode), or None: its main file,
        journal, index, lock, a backup or a temporary file of one of them."""
        real = Path(os.path.realpath(target))
        try:
            seen = os.stat(real)
        except OSError:
            seen = None
        for own in self.own_files():
            if _same_file(real, seen, own):
                return own.name
        names = [own.name for own in self.own_files()]
        folder = Path(os.path.realpath(backup.folder_for(self.path)))
        if real.parent == folder and any(real.name.startswith(n + ".") for n in names):
            return f"a backup ({real.name})"
        if real.parent == Path(os.path.realpath(self.path.parent)) and any(
            real.name.startswith(f".{n}.") for n in names
        ):
            return f"a temporary file ({real.name})"
        if seen is not None and folder.is_dir():
            for backup_file in folder.iterdir():
                if any(backup_file.name.startswith(n + ".") for n in names) and _same_file(
                    real, seen, backup_file
                ):
                    return f"a backup ({backup_file.name})"
        return None

    # -- reading -----------------------------------------------------------------

    @property
    def records(self) -> ContactRecords:
        """The contact records one at a time (the main file read first if need be)."""
        if not self.main.loaded:
            self.load_main()
        return self._records

    def main_tables(self) -> Tables:
        if not self.main.loaded:
            self.load_main()
        return self.main_storage.read() or {}

    def raw_touches(self) -> dict[str, object]:
        if self.tail:  # touches logged in this transaction before the records were read
            self.touch_table()
        if not self.journal.loaded:
            self.load_touches()
        return self.journal.records

    def first(self, table: str) -> dict[str, object] | None:
        return day_cache.first(self.records.header(), table)

    def load_main(self) -> None:
        main = self.main
        known, known_body, known_lazy = main.data, main.body, main.lazy
        try:
            data = main.load()
        except DatabaseError as error:
            raise DatabaseError(f"{error}; {self.backup_hint()}") from None
        if data is None and known:
            main.body, main.lazy = known_body, known_lazy
            self._keep_vanished(main, known)
            return
        if known is not None and "contacts" in known and not known_lazy:
            main.materialize()  # what was parsed stays parsed: sync() compares the two
        try:
            version = check_schema(data, self.path)
        except DatabaseError:
            self.main.forget()  # else the next sync() sees "no change" and a write goes through
            raise
        if version < SCHEMA_VERSION:
            self._migrate()
            self.main.load()
        reset(self.main_db)
        self.main_storage.reloaded(self.main.changed_keys)
        if not self.journal.loaded:  # a journal read is checked when it is synced
            self.check_pair(on_disk=True)  # (a tail read before is older than this file)

    def check_pair(self, *, on_disk: bool = False) -> None:
        """Refuse a journal that is not the one the main file was written with
        (store/engine/pair.py): the journal as read, or (`on_disk`, or nothing read) as
        it is on disk. The refusal holds until a check passes: every later read checks
        again."""
        pair = Pair.of(self.first(PAIR))
        journal = self.journal
        try:
            if pair is None:
                pass
            elif not on_disk and (journal.loaded or journal.tail_only):
                # A journal deleted under us is written back only with the main file (the
                # folder went: what this process holds is all there was); deleted alone,
                # another process may have logged since it was read: refused.
                if journal.identity is not None or not journal.records or not self.main.vanished():
                    verify_read(
                        journal.path, self.path, pair, journal.identity, journal.offset,
                        journal.next_id, journal.prev,
                    )  # fmt: skip
            else:
                verify_on_disk(journal.path, self.path, pair)
        except DatabaseError as error:
            reason = str(error).removesuffix("; it was left untouched")
            self.refused = (
                f"{reason}; it was left untouched (followup check tells more; {self.backup_hint()})"
            )
            journal.forget()
            self.built_touches.forget()
            raise DatabaseError(self.refused) from None
        self.refused = None
        journal.expect = pair  # what a write checks the journal's bytes against

    def load_touches(self) -> None:
        self.sync_touches()
        self.built_touches.forget()

    def sync_touches(self) -> Change:
        """Read what was appended to the journal since it was last read (all of it the
        first time): the records it put and removed."""
        journal = self.journal
        try:
            change = journal.sync()
        except DatabaseError as error:
            raise DatabaseError(f"{error}; {self.backup_hint()}") from None
        if not journal.records.tracking:
            self.check_pair()
        if journal.vanished:
            journal.vanished = False
            self.notices.append(
                f"{self.touches_path} was deleted or moved by another program; what "
                "followup holds of it is still here and the next change writes it back"
            )
        if change:
            self.touch_db.table("touches").clear_cache()
        return change

    def touches_of(self, uid: str) -> dict[str, object]:
        """The records of one contact's touches, without reading every touch: the lines
        of the journal that name its uid (each one checked), then any later line that
        replaces or removes one of them. The whole journal is read when that can't be
        told from the lines alone."""
        journal = self.journal
        if not journal.loaded:
            try:
                journal.sync_tail()
            except DatabaseError as error:
                raise DatabaseError(f"{error}; {self.backup_hint()}") from None
            self.check_pair()
        found = None
        if not journal.loaded:
            known = self.touch_index.read()
            self.verify_journal(known)
            found = indexed(journal, known, uid)
        if found is None and not journal.loaded:
            with suppress(OSError):
                self.faults.reached("scan", journal.path)
                found = scan_for(journal.path, journal.identity, journal.offset, uid)
        if found is None:
            return {k: d for k, d in self.raw_touches().items() if of_contact(d, uid)}
        return found

    def verify_journal(self, known: TouchIndex | None = None) -> None:
        """Check every byte of the journal before what was read (`Journal.verify`),
        keeping on the way the hash the index `known` is checked against."""
        try:
            self.journal.verify(marks=[known[1]] if known is not None else [])
        except DatabaseError as error:
            raise DatabaseError(f"{error}; {self.backup_hint()}") from None

    def backup_hint(self) -> str:
        newest = backup.newest_backup(self.path, self.clock.now().date())
        return f"newest backup: {newest}" if newest else "no backup yet"

    def _migrate(self) -> None:
        """Back up both files, then rewrite them in the current schema (touches first)."""
        with self.lock:
            main = self.main.load()
            if main is None or check_schema(main, self.path) >= SCHEMA_VERSION:
                return
            self._refuse_hidden()  # an upgrade would write the main file over
            old = JsonFile(self.old_touches_path)
            touches = old.load() if check_schema(main, self.path) >= 1 else None
            try:
                self.main.check_writable()
                if touches is not None:
                    old.check_writable()
            except DatabaseError as error:
                raise DatabaseError(
                    f"{error}: it is in an older format that must be upgraded before use; "
                    "nothing was changed"
                ) from None
            files = [self.path, self.old_touches_path, self.touches_path]
            backup.take_before_migration(files, self.path, self.faults)
            had_old = touches is not None
            main, touches = migrate.upgrade(main, touches)
            records = (touches or {}).get("touches") or {}
            self.journal.forget()
            if records or touches is not None:
                # written whole and fsynced before the main file says the schema is new
                self.journal.create(Records(records))
                main = day_cache.with_cache(
                    main, records, None, Counter(), day_cache.signature_of(self.journal)
                )
                main = with_pair(main, self.journal.pair())
            self.main.write(main)
            if had_old:  # only now that the journal and the main file are in place
                old.forget()
                self.old_touches_path.unlink()
                fsync_folder(self.path.parent)
            self.journal.forget()

    def _keep_vanished(self, file: JsonFile, known: Tables) -> None:
        """Another program deleted or moved a file we had read: keep serving what it
        held (the next change writes it back) rather than show an empty database."""
        file.data, file.sig, file.loaded = known, None, True
        lost = ""
        if file is self.main and not self.journal.loaded:
            with suppress(DatabaseError):
                self.load_touches()
            cache = self.first("cache") or {}
            days = cache.get("touch_days")
            if not self.journal.records and isinstance(days, dict):
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

    # -- writing -----------------------------------------------------------------

    def begin(self) -> None:
        """Start a transaction (the lock is held and both files were synced)."""
        self.main_storage.reset()
        self.touch_begun = False
        self.tail, self.tail_removed = [], {}
        self.committed = None
        self.day_delta.clear()
        self.journal.begin_checks()

    def touch_table(self) -> object:
        """The touches table, its records read and remembering this transaction's
        changes (call inside a transaction)."""
        if not self.touch_begun:
            if not self.journal.loaded:
                self.load_touches()
            self.touch_storage.begin()
            self.touch_begun = True
            self.next_id = self.journal.next_id  # given back if the transaction fails
            pending, self.tail = self.tail, []
            for doc in pending:  # logged before the records were read: the same ids
                self.touch_db.table("touches").insert(doc)
            gone, self.tail_removed = self.tail_removed, {}
            if gone:
                self.touch_db.table("touches").remove(doc_ids=[int(key) for key in gone])
        return self.touch_db.table("touches")

    def add_tail(self, doc: dict[str, object]) -> int:
        """Log one touch without reading the touches: it is appended at commit, after
        the journal's tail alone was read. Its id."""
        if self.journal.loaded or self.touch_begun:
            return int(self.touch_table().insert(doc))  # type: ignore[attr-defined]
        if not self.tail:
            try:
                self.journal.sync_tail()
            except DatabaseError as error:
                raise DatabaseError(f"{error}; {self.backup_hint()}") from None
            self.check_pair()
            if self.journal.loaded:  # small: read whole
                return int(self.touch_table().insert(doc))
        self.tail.append(doc)
        return self.journal.next_id + len(self.tail) - 1

    def remove_touch(self, uid: str, contact_uid: str | None = None) -> None:
        """Remove touch `uid` (inside a transaction). With its contact's uid, and the
        touches not read nor changed here, only that contact's lines of the journal are
        read (the touch index) and the removal is appended at commit: an undo then costs
        what a log costs, not a read of every touch."""
        pending = self.tail_removed  # removed already by this transaction
        quick = contact_uid is not None and not (
            self.journal.loaded or self.touch_begun or self.tail
        )
        docs = self.touches_of(contact_uid) if quick and contact_uid else self.raw_touches()
        quick = quick and not self.journal.loaded  # else read whole after all (a small journal)
        found = {k: d for k, d in docs.items() if of_touch(d, uid) and k not in pending}
        self.day_delta.subtract(str(d.get("at", ""))[:10] for d in found.values())
        if quick:
            pending.update(found)
        elif found:
            self.touch_table().remove(doc_ids=[int(k) for k in found])  # type: ignore[attr-defined]

    def bad_key(self) -> str | None:
        """The first record key in either file that is not a number, described."""
        bad = _bad_key(self.path, self.main)
        if bad is None and self.journal.loaded:
            for key in self.journal.records:
                if not key.isdigit():
                    return f"{self.touches_path}: record {key!r} has a key that is not a number"
        return bad

    def discard(self) -> None:
        """Drop a transaction's staged writes and everything read or built: the next
        read starts again from disk."""
        self.main_storage.reset()
        self.journal.unverify()
        if self.journal.records.tracking:
            self.touch_storage.rollback()
            self.journal.next_id = self.next_id  # nothing was written: no id was used
        self.touch_begun = False
        self.tail, self.tail_removed = [], {}
        self.main.forget()
        reset(self.main_db)
        self.touch_db.table("touches").clear_cache()
        self.main_storage.reloaded(None)

    def commit(self) -> None:
        """`_commit`; the journal's bytes are checked again by the next transaction."""
        try:
            self._commit()
        finally:
            self.journal.unverify()

    def _commit(self) -> None:
        """Write the transaction, touches first: the day's backup, the touches appended to
        the journal as one batch, then the main file, recording the journal it was
        written with. If any step fails, the journal is cut back to where it was (the lock
        is still held) before the error is reported: exit 1 means nothing changed. The
        touch index and a compaction follow, as caches."""
        journal = self.journal
        batch = self._batch()
        storage = self.main_storage
        main = storage.staged
        patch = dict(storage.patch)
        if main is None and patch:
            main = dict(self.main.data or {})  # the contacts unparsed: `patch` changes them
        if batch is None and main is None:
            return
        keys = set(patch) if patch else storage.changed
        mark = journal.mark()
        appended = False
        try:
            self._refuse_hidden()
            if main is None and self.main.vanished():
                main = self.main.data  # written back with the touches
            for file in (self.main, JsonFile(self.touches_path)):
                file.check_writable()  # a read-only file is the user's say: never changed
            self.check_regular()  # before a byte is written
            self.main.remove_stale_temps()
            journal.remove_stale_temps()  # of a killed compaction
            self.faults.reached("backup", self.path)
            self._take_backup()
            if batch is not None:
                # every byte before the append checked (what the day counts and the index
                # are checked against passes by on the way)
                self.verify_journal(self.touch_index.read(refuse=False))
                counted_before = day_cache.counted(
                    self.first("cache"), day_cache.signature_of(journal)
                )
                self.faults.reached("append", self.touches_path)
                appended = True
                journal.append(batch.put, batch.removed)
                base = main if main is not None else (self.main.data or {})
                records = journal.records if journal.loaded else None
                main = day_cache.with_cache(
                    base, records, counted_before, self.day_delta, day_cache.signature_of(journal)
                )
                main = with_pair(main, journal.pair())
            assert main is not None
            self.faults.reached("write-main", self.path)
            self.main.write(with_meta(main), patch or self._changed(main))
        except BaseException as error:
            self._undo(mark if appended else None, error)
            raise
        if journal.records.tracking:
            journal.records.end()
        self.committed = batch
        self.touch_begun = False
        self.tail, self.tail_removed = [], {}
        storage.reset()
        storage.reloaded(keys)
        if batch is not None:
            self._after_append(mark)

    def _batch(self) -> Change | None:
        """What this transaction appends to the journal: touches logged without reading
        the records (`tail`, `tail_removed`), or the changes to the records read, or
        (an empty batch) the records of a journal deleted by another program, written
        back whole. None: nothing."""
        journal = self.journal
        if self.tail or self.tail_removed:
            first = journal.next_id
            put = {str(first + n): doc for n, doc in enumerate(self.tail)}
            return Change(put=put, removed=dict(self.tail_removed))
        if self.touch_begun and journal.records.tracking:
            change = journal.records.changes()
            if change:
                return change
            self.touch_storage.rollback()
        if journal.loaded and journal.identity is None and journal.records:
            return Change()
        return None

    def _take_backup(self) -> None:
        today = self.clock.now().date()
        ahead = backup.take_daily([self.path, self.touches_path], today, self.path, self.faults)
        if ahead:
            self.notices.append(
                f"{len(ahead)} backup(s) are dated after today (the clock ran ahead?), "
                f"e.g. {ahead[0]}; they are kept but not counted as the newest"
            )

    def _undo(self, mark: Mark | None, error: BaseException) -> None:
        """After a failed write: cut the journal back to `mark` (if it was appended to),
        drop the transaction, and raise the one-line error."""
        outcome = "nothing was changed"
        if mark is not None:
            try:
                self.journal.cut_back(mark)
            except (OSError, DatabaseError) as cut:
                self.journal.forget()
                outcome = (
                    f"the touches were appended to {self.touches_path} and could not be "
                    f"taken back ({cut}); run followup check"
                )
        self.discard()
        if not isinstance(error, (DatabaseError, OSError)):
            return  # e.g. ctrl+c mid-write: the caller raises it
        reason = str(error) if isinstance(error, DatabaseError) else f"{self.path}: {error}"
        if isinstance(error, OSError):
            reason = f"could not write {self.path}: {describe_os_error(error)}"
        reason = reason.removesuffix("; nothing was changed")
        raise DatabaseError(f"{reason}; {outcome}") from None

    def _after_append(self, mark: Mark) -> None:
        """The caches that follow a write (each may fail: the change is saved): the touch
        index, then a compaction when due. A compaction gives the journal a new identity,
        which the main file then records (its header names the old one, so a main file
        that can't be written again still fits)."""
        journal = self.journal
        signature = journal.signature()
        counted = day_cache.signature_of(journal)  # what the day counts were taken from
        try:
            index = next_index(
                journal, self.touch_index.read(refuse=False), (mark.identity, mark.offset)
            )
            if index is not None:
                self.touch_index.write(index)
            if journal.loaded:
                journal.compact_if_due()
        except DatabaseError:
            return
        if journal.signature() == signature or self.main.data is None:
            return
        tables = day_cache.with_cache(
            self.main.data,
            journal.records if journal.loaded else None,
            day_cache.counted(self.first("cache"), counted),
            Counter(),
            day_cache.signature_of(journal),
        )
        with suppress(DatabaseError):
            self.main.write(with_pair(tables, journal.pair()), {})

    def _changed(self, tables: Tables) -> dict[str, Any] | None:
        """The contact records this transaction wrote (None: can't be told)."""
        keys = self.main_storage.changed
        if keys is not None and not keys:
            return {}
        if keys is None or "contacts" not in tables:
            return None
        records = tables["contacts"]
        return {key: records.get(key) for key in keys}

    def _refuse_hidden(self) -> None:
        """A file holding records the store can't see is never written over."""
        file = self.main
        if file.hidden:
            raise DatabaseError(
                f"{file.path}: {file.hidden[0]}; it holds records followup can't see, so "
                f"it is not written over; fix it by hand ({self.backup_hint()})"
            )


def _bad_key(path: Path, file: JsonFile) -> str | None:
    """The first record key in `file` that is not a number (a hand edit), described."""
    for name, table in (file.data or {}).items():
        for key in table:
            if not key.isdigit():
                return f"{path}: record {key!r} in table {name!r} has a key that is not a number"
    return None


def with_meta(tables: Tables) -> Tables:
    if not tables.get("meta"):
        tables = {"meta": {"1": {"schema_version": SCHEMA_VERSION}}, **tables}
    return tables


def check_schema(data: Tables | None, path: Path) -> int:
    version = migrate.version_of(data)
    if version < 0:
        raise DatabaseError(f"{path} has an unreadable schema version; it was left untouched")
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer followup (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); it was left untouched"
        )
    return version


def of_touch(doc: object, uid: str) -> TypeGuard[dict[str, Any]]:
    """Whether a touch record is the touch `uid`."""
    return isinstance(doc, dict) and doc.get("uid") == uid


def _same_file(real: Path, seen: os.stat_result | None, own: Path) -> bool:
    """Whether `real` (resolved; `seen` its stat, None if it does not exist) is `own`."""
    own_real = Path(os.path.realpath(own))
    if real == own_real:
        return True
    if seen is None:
        return False
    try:
        theirs = os.stat(own_real)
    except OSError:
        return False
    return (seen.st_dev, seen.st_ino) == (theirs.st_dev, theirs.st_ino)
