"""Transactions and the two files on disk: loading (and migrating) them, staging TinyDB's
writes, and committing each changed file atomically under the lock (touches first)."""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from tinydb import TinyDB

from store import backup, day_cache, migrate
from store.adapters import InPlaceTable, StagedStorage, reset
from store.clock import Clock
from store.errors import DatabaseError
from store.files import JsonFile, Tables
from store.lock import FileLock
from store.model import SCHEMA_VERSION


class Disk:
    """The main file and the touches file, their TinyDB databases and the lock.

    `forget_view` and `forget_touches` are called (through weak references: the Store
    must not hold itself) when what was built from each file no longer holds."""

    def __init__(
        self,
        path: Path,
        clock: Clock,
        lock_timeout: float | None,
        forget_view: Callable[[], None],
        forget_touches: Callable[..., None],
    ) -> None:
        self.path = path
        self.touches_path = path.with_name(f"{path.stem}.touches{path.suffix}")
        self.clock = clock
        self.main = JsonFile(path)
        self.touch_file = JsonFile(self.touches_path)
        self.main_db = TinyDB(self.main, forget_view, storage=StagedStorage)
        self.touch_db = TinyDB(self.touch_file, forget_touches, storage=StagedStorage)
        self.main_db.table_class = InPlaceTable
        self.touch_db.table_class = InPlaceTable
        self.main_storage: StagedStorage = self.main_db.storage  # type: ignore[assignment]
        self.touch_storage: StagedStorage = self.touch_db.storage  # type: ignore[assignment]
        self.lock = FileLock(path.with_name(path.name + ".lock"), path, lock_timeout)
        self._forget_view = weakref.WeakMethod(forget_view)
        self._forget_touches = weakref.WeakMethod(forget_touches)
        self.notices: list[str] = []
        # The change this transaction makes to the number of touches of each day.
        self.day_delta: Counter[str] = Counter()

    # -- reading -----------------------------------------------------------------

    def main_tables(self) -> Tables:
        if not self.main.loaded:
            self.load_main()
        return self.main_storage.read() or {}

    def raw_touches(self) -> dict[str, object]:
        if not self.touch_file.loaded:
            self.load_touches()
        data = self.touch_storage.read() or {}
        return data.get("touches") or {}

    def first(self, table: str) -> dict[str, object] | None:
        return day_cache.first(self.main_tables(), table)

    def load_main(self) -> None:
        known = self.main.data
        try:
            data = self.main.load()
        except DatabaseError as error:
            raise DatabaseError(f"{error}; {self.backup_hint()}") from None
        if data is None and known:
            self._keep_vanished(self.main, known)
            return
        try:
            version = check_schema(data, self.path)
        except DatabaseError:
            self.main.forget()  # else the next sync() sees "no change" and a write goes through
            raise
        if version < SCHEMA_VERSION:
            self._migrate()
            self.main.load()
        reset(self.main_db)
        self._call(self._forget_view)

    def load_touches(self) -> None:
        known = self.touch_file.data
        try:
            if self.touch_file.load() is None and known:
                self._keep_vanished(self.touch_file, known)
        except DatabaseError as error:
            raise DatabaseError(f"{error}; {self.backup_hint()}") from None
        reset(self.touch_db)
        self._call(self._forget_touches, keep_histories=True)

    def backup_hint(self) -> str:
        newest = backup.newest_backup(self.path, self.clock.now().date())
        return f"newest backup: {newest}" if newest else "no backup yet"

    def _migrate(self) -> None:
        """Back up both files, then rewrite them in the current schema (touches first)."""
        with self.lock:
            main = self.main.load()
            if main is None or check_schema(main, self.path) >= SCHEMA_VERSION:
                return
            touches = self.touch_file.load()
            try:
                self.main.check_writable()
                self.touch_file.check_writable()
            except DatabaseError as error:
                raise DatabaseError(
                    f"{error}: it is in an older format that must be upgraded before use; "
                    "nothing was changed"
                ) from None
            backup.take_before_migration([self.path, self.touches_path], self.path)
            main, touches = migrate.upgrade(main, touches)
            if touches is not None:
                self.touch_file.write(touches)
                main = day_cache.with_cache(main, touches, None, Counter(), self.touch_file.sig)
            self.main.write(main)
            self.touch_file.forget()

    def _keep_vanished(self, file: JsonFile, known: Tables) -> None:
        """Another program deleted or moved a file we had read: keep serving what it
        held (the next change writes it back) rather than show an empty database."""
        file.data, file.sig, file.loaded = known, None, True
        lost = ""
        if file is self.main and not self.touch_file.loaded:
            with suppress(DatabaseError):
                self.load_touches()
            cache = self.first("cache") or {}
            days = cache.get("touch_days")
            if not self.touch_file.data and isinstance(days, dict):
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
        self.main_storage.staged = None
        self.touch_storage.staged = None
        self.day_delta.clear()

    def bad_key(self) -> str | None:
        """The first record key in either file that is not a number, described."""
        return _bad_key(self.path, self.main) or _bad_key(self.touches_path, self.touch_file)

    def discard(self) -> None:
        """Drop a transaction's staged writes and everything read or built: the next
        read starts again from disk."""
        for storage in (self.main_storage, self.touch_storage):
            storage.staged = None
        self.main.forget()
        if self.touch_file.loaded:
            self.touch_file.forget()
        reset(self.main_db)
        reset(self.touch_db)
        self._call(self._forget_view)
        self._call(self._forget_touches)

    def commit(self) -> None:
        touches = self.touch_storage.staged
        main = self.main_storage.staged
        if touches is None and main is None:
            return
        saved_touches = False
        try:
            self._refuse_hidden()
            if main is None and touches is not None and self.main.vanished():
                main = self.main.data  # written back with the touches
            if touches is None and main is not None and self.touch_file.vanished():
                touches = self.touch_file.data
            for file in (self.main, self.touch_file):
                file.check_writable()
            for file in (self.main, self.touch_file):
                file.remove_stale_temps()
            today = self.clock.now().date()
            ahead = backup.take_daily([self.path, self.touches_path], today, self.path)
            if ahead:
                self.notices.append(
                    f"{len(ahead)} backup(s) are dated after today (the clock ran ahead?), "
                    f"e.g. {ahead[0]}; they are kept but not counted as the newest"
                )
            if touches is not None:
                counted_before = day_cache.counted(self.first("cache"), self.touch_file.sig)
                self.touch_file.write(touches)
                saved_touches = True
                self.touch_storage.staged = None
                base = main if main is not None else (self.main.data or {})
                main = day_cache.with_cache(
                    base, touches, counted_before, self.day_delta, self.touch_file.sig
                )
            if main is not None:
                self.main.write(with_meta(main))
                self.main_storage.staged = None
                self._call(self._forget_view)
        except (DatabaseError, OSError) as error:
            self.discard()
            reason = str(error) if isinstance(error, DatabaseError) else f"{self.path}: {error}"
            tail = (
                "the touch was saved; the contact's change was not"
                if saved_touches
                else "nothing was changed"
            )
            raise DatabaseError(f"{reason}; {tail}") from None
        except BaseException:
            self.discard()  # e.g. ctrl+c mid-write: drop the half-applied in-memory change
            raise

    def _refuse_hidden(self) -> None:
        """A file holding records the store can't see is never written over."""
        for file in (self.main, self.touch_file):
            if file.hidden:
                raise DatabaseError(
                    f"{file.path}: {file.hidden[0]}; it holds records followup can't see, so "
                    f"it is not written over; fix it by hand ({self.backup_hint()})"
                )

    @staticmethod
    def _call(method: weakref.WeakMethod[Callable[..., None]], **kwargs: bool) -> None:
        found = method()
        if found is not None:
            found(**kwargs)


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
