"""One JSON database file on disk: read when it changed, written atomically.

A write goes to a temporary file in the same folder, is flushed and fsynced,
replaces the file with `os.replace`, and the folder is fsynced: a crash at any
instant leaves either the old or the new file. A file that is not a JSON object
of tables is never written over.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Any

import orjson

from store.errors import DatabaseError

Tables = dict[str, dict[str, Any]]
Signature = tuple[int, int, int]  # inode, size, mtime in ns

TEMP_SUFFIX = ".tmp"


def signature(st: os.stat_result) -> Signature:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def describe_os_error(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (read-only?)"
    return error.strerror or str(error)


class JsonFile:
    """The cached contents of one JSON file and the signature they were read at."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: Tables | None = None
        self.sig: Signature | None = None
        self.loaded = False
        self._pin: int | None = None

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
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        if stat.S_ISDIR(st.st_mode):
            raise DatabaseError(f"{self.path} is a folder, not a database file")
        return signature(st)

    def stale(self) -> bool:
        return not self.loaded or self.on_disk() != self.sig

    def forget(self) -> None:
        """Drop the cache: the next read goes to the disk."""
        self.data, self.sig, self.loaded = None, None, False
        self._hold(None)

    def load(self) -> Tables | None:
        """Read the file from disk; `None` when it does not exist yet."""
        try:
            with open(self.path, "rb") as handle:
                st = os.fstat(handle.fileno())
                if stat.S_ISDIR(st.st_mode):
                    raise DatabaseError(f"{self.path} is a folder, not a database file")
                raw = handle.read()
                pin = os.dup(handle.fileno())
        except FileNotFoundError:
            self.data, self.sig, self.loaded = None, None, True
            self._hold(None)
            return None
        except IsADirectoryError:
            raise DatabaseError(f"{self.path} is a folder, not a database file") from None
        except OSError as error:
            raise DatabaseError(f"can't read {self.path}: {describe_os_error(error)}") from None
        try:
            self.data = parse(raw, self.path) if raw.strip() else None
        except BaseException:
            os.close(pin)  # keep holding the version we still know
            raise
        self._hold(pin)
        self.sig = signature(st)
        self.loaded = True
        return self.data

    def check_writable(self) -> None:
        """A file the user made read-only is not replaced behind their back."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise DatabaseError(f"{self.path} is read-only")

    def write(self, data: Tables) -> None:
        """Replace the file atomically with `data`."""
        payload = orjson.dumps(data)
        folder = self.path.parent
        temp = folder / f".{self.path.name}.{os.getpid()}{TEMP_SUFFIX}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            mode = _mode_of(self.path)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                _write_all(fd, payload)
                os.fchmod(fd, mode)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
            fsync_folder(folder)
            pin = os.open(self.path, os.O_RDONLY)
        except OSError as error:
            _remove_quietly(temp)
            self.forget()
            raise DatabaseError(
                f"could not write {self.path}: {describe_os_error(error)}"
            ) from None
        self._hold(pin)
        self.data = data
        self.sig = signature(os.fstat(pin))
        self.loaded = True

    def remove_stale_temps(self) -> None:
        """Temporary files left by a killed writer; call only while holding the lock."""
        for temp in self.path.parent.glob(f".{self.path.name}.*{TEMP_SUFFIX}"):
            _remove_quietly(temp)


def parse(raw: bytes, path: Path) -> Tables:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise DatabaseError(f"{path} is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DatabaseError(f"{path} is not a followup database (expected tables of records)")
    return data


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
