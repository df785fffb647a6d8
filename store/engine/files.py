"""One JSON database file on disk: read when it changed, written atomically.

A write replaces the file whole (store.engine.atomic.atomic_write): a crash at any
instant leaves either the old or the new file. A file that is not a JSON object
of tables is never written over.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from store.engine import layout
from store.engine.atomic import atomic_write, remove_stale_temps
from store.engine.faults import NO_FAULTS, Faults
from store.errors import DatabaseError, describe_os_error

Tables = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]  # inode, size, mtime in ns


def not_regular(path: Path, st: os.stat_result) -> str | None:
    """Why `path` (of stat `st`) is not a file followup may read or write, or None."""
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"{path} is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return f"{path} is a pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"{path} is a device, not a file"
    if stat.S_ISSOCK(mode):
        return f"{path} is a socket, not a file"
    return f"{path} is not a regular file"


def open_regular(path: Path, flags: int = os.O_RDONLY) -> int:
    """Open `path` only if it is a regular file: a FIFO, a device, a folder or a socket
    is refused at once (O_NONBLOCK: opening a FIFO never waits for a writer). Raises
    FileNotFoundError when it does not exist, DatabaseError when it is not a file, and
    OSError otherwise. The descriptor returned is blocking again."""
    fd = os.open(path, flags | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        why = not_regular(path, os.fstat(fd))
        if why:
            raise DatabaseError(why)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def stat_regular(path: Path) -> os.stat_result | None:
    """The stat of `path` (following links), None when it does not exist; a path that is
    not a regular file raises DatabaseError, any other failure OSError."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    why = not_regular(path, st)
    if why:
        raise DatabaseError(why)
    return st


def check_regular(path: Path, what: str = "") -> None:
    """Refuse at once (DatabaseError, one line naming it) a path that exists and is not a
    regular file: a FIFO, a device, a socket or a folder where followup keeps a file.
    A path that does not exist, or can't be looked at, is the business of its reader."""
    try:
        stat_regular(path)
    except DatabaseError as error:
        raise DatabaseError(f"{what}{error}") from None
    except OSError:
        return


def signature(st: os.stat_result) -> Signature:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class JsonFile:
    """The cached contents of one JSON file and the signature they were read at."""

    def __init__(self, path: Path, faults: Faults = NO_FAULTS) -> None:
        self.path = path
        self.faults = faults  # the fault hook of its writes (store.engine.faults)
        self.data: Tables | None = None
        self.sig: Signature | None = None
        self.loaded = False
        # What in the file as read is not in `data` (a record pasted twice under one key,
        # a second table of one name): such a file is never written over.
        self.hidden: list[str] = []
        self._pin: int | None = None
        # The contacts of the version read or written, as the lines of the file (None:
        # not in followup's layout); `lazy`: they are not parsed yet, and `data` holds
        # only the other tables (see `materialize`).
        self.body: layout.Body | None = None
        self.lazy = False
        # The records the last load parsed anew, as they were before it (None: not known).
        self.replaced: dict[str, Any] | None = None

    def _hold(self, fd: int | None) -> None:
        """Keep the version we read or wrote open. While it is open no other file can get
        its inode number, so a matching signature on disk really is this version: atomic
        replaces recycle inode numbers (ext4 hands a freed one to the next new file) and
        many file systems keep coarse mtimes, so without this a changed file of the same
        size could look unchanged, and a write would lose another process's change."""
        old, self._pin = self._pin, fd
        if old is not None:
            with contextlib.suppress(OSError):
                os.close(old)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._hold(None)

    def on_disk(self) -> Signature | None:
        try:
            st = stat_regular(self.path)
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        return None if st is None else signature(st)

    def vanished(self) -> bool:
        """True when the file was deleted under us and its last contents are kept in
        memory to be written back (see Store._keep_vanished)."""
        return self.loaded and self.sig is None and bool(self.data)

    def stale(self) -> bool:
        return not self.loaded or self.on_disk() != self.sig

    def forget(self) -> None:
        """Drop the cache: the next read goes to the disk."""
        self.data, self.sig, self.loaded = None, None, False
        self.hidden = []
        self.body, self.lazy = None, False
        self._hold(None)

    def materialize(self) -> None:
        """Parse the contacts that a lazy read left as lines."""
        if self.lazy and self.body is not None and self.data is not None:
            self.data[layout.BODY] = self.body.records()
        self.lazy = False

    def load(self) -> Tables | None:
        """Read the file from disk; `None` when it does not exist yet. A file in followup's
        layout is read lazily (the contacts stay lines until `materialize`), except that
        when the version known was parsed, only the lines that changed are parsed."""
        try:
            with open(open_regular(self.path), "rb") as handle:
                st = os.fstat(handle.fileno())
                raw = handle.read()
                pin = os.dup(handle.fileno())
        except FileNotFoundError:
            self.data, self.sig, self.loaded = None, None, True
            self.hidden = []
            self.body, self.lazy = None, False
            self._hold(None)
            return None
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        try:
            laid_out = layout.decode(raw)
            self.replaced = None
            if laid_out is None:
                self.data = parse(raw, self.path) if raw.strip() else None
                self.hidden = hidden_records(raw, self.data) if self.data else []
                if self.data:
                    self.data.pop(layout.LAYOUT, None)
                self.body, self.lazy = None, False
            else:
                self._take(raw, *laid_out)
        except BaseException:
            os.close(pin)  # keep holding the version we still know
            raise
        self._hold(pin)
        self.sig = signature(st)
        self.loaded = True
        return self.data

    def _take(self, raw: bytes, head: Tables, body: layout.Body) -> None:
        known, old = self.body, self.data
        self.hidden = hidden_records(raw[: raw.find(b"\n")], head)
        changed = None
        if known is not None and old is not None and not self.lazy and layout.BODY in old:
            changed = layout.changed_lines(known, body)
        if changed is not None:
            assert old is not None
            # Changed in place: a copy of every record per change would cost more than
            # the change (and the collector would walk each copy).
            records = old[layout.BODY]
            self.replaced = {key: records.get(key) for key in changed}
            records.update(changed)
            head[layout.BODY] = records
        self.data, self.body, self.lazy = head, body, changed is None

    @property
    def changed_keys(self) -> set[str] | None:
        """The keys of the records the last load parsed anew (None: not known)."""
        return None if self.replaced is None else set(self.replaced)

    def check_writable(self) -> None:
        """A file the user made read-only is not replaced behind their back."""
        try:
            st = stat_regular(self.path)
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        if st is None:
            return
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise DatabaseError(f"{self.path} is read-only")

    def write(self, data: Tables, changed: Mapping[str, Any] | None = None) -> None:
        """Replace the file atomically with `data`. `changed`: the only contacts that
        differ from the version last read or written (their lines alone are laid out
        again); `data` may then leave the contacts out, when they were never parsed."""
        body = None
        if changed is not None and self.body is not None:
            body = self.body.with_records(changed)
        if body is None:
            if layout.BODY not in data and self.lazy and self.body is not None:
                records = self.body.records()
                for key, doc in (changed or {}).items():
                    if doc is None:
                        records.pop(key, None)
                    else:
                        records[key] = doc
                data = {**data, layout.BODY: records}
            body = layout.body_of(data.get(layout.BODY) or {})
        lazy = layout.BODY not in data
        chunks = layout.encode(data, body)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, chunks, _mode_of(self.path), faults=self.faults)
            pin = open_regular(self.path)
        except OSError as error:
            self.forget()
            raise DatabaseError(
                f"could not write {self.path}: {describe_os_error(error)}"
            ) from None
        self._hold(pin)
        self.data = data
        self.body, self.lazy = body, lazy
        self.hidden = []
        self.sig = signature(os.fstat(pin))
        self.loaded = True

    def remove_stale_temps(self) -> None:
        """Temporary files left by a killed writer; call only while holding the lock."""
        remove_stale_temps(self.path)


def parse(raw: bytes, path: Path) -> Tables:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise DatabaseError(f"{path} is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DatabaseError(f"{path} is not a followup database (expected tables of records)")
    return data


def _mode_of(path: Path) -> int:
    st = stat_regular(path)
    if st is not None:
        return stat.S_IMODE(st.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


_DERIVED = frozenset(
    {"meta", "cache", "pair", layout.LAYOUT}
)  # tables the store writes from the others


def hidden_records(raw: bytes, data: Tables) -> list[str]:
    """What `raw` holds that its parse `data` lost: orjson keeps the last of duplicate
    keys silently. A cheap count first: every record of the contacts and touches tables
    has one `"uid"` key (a pasted record, or a second table hiding the first, shows as
    more of them in the bytes than in the parse), and the name of another table holding
    the user's data (settings) appears once; meta and cache are the store's own and
    rewritten by it. Only when a count disagrees is the file parsed
    again keeping every key, to name the duplicates. A count can only err towards that
    slower parse (a note whose text is exactly "uid" or "settings"), never miss one."""
    uids = 0
    plain: list[str] = []
    for name, table in data.items():
        counted = sum(["uid" in doc for doc in table.values() if doc.__class__ is dict])
        uids += counted
        if not counted and name not in _DERIVED:
            plain.append(name)
    if raw.count(b'"uid"') == uids and all(
        raw.count(b'"' + name.encode() + b'"') == 1 for name in plain if name.isascii()
    ):
        return []
    return _duplicate_keys(raw)


def _duplicate_keys(raw: bytes) -> list[str]:
    import json  # only for a file that looks like it repeats a key

    found: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                found.append(key)
            seen[key] = value
        return seen

    try:
        top = json.loads(raw, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return []
    if not found:
        return []
    problems: list[str] = []
    tables = {k for k, v in top.items() if isinstance(v, dict)} if isinstance(top, dict) else set()
    records = {k for v in top.values() if isinstance(v, dict) for k in v} if tables else set()
    for key in dict.fromkeys(found):
        if key in tables:
            problems.append(f"the table {key!r} appears twice (the first one would be lost)")
        elif key in records:
            problems.append(f"two records share the key {key!r} (one would be lost)")
        else:
            problems.append(f"a record repeats the field {key!r}")
    return problems
