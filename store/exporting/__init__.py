"""Export: the whole database as JSON, the contacts as CSV or vCard 3.0, the next
steps as an iCalendar file (store.exporting.formats); `write_file` puts the result on
disk through the Store facade (one atomic write, as the database's own files).

- json: everything (contacts with the dropped ones, touches, settings), which an import
  into an empty database gives back uid for uid;
- csv: one row per contact, RFC 4180 (CRLF, quoted where needed), UTF-8, a header;
  tags joined by "; "; plus last_touch and touches (the count);
- ics: one all-day VEVENT per active contact with a next step date, made with
  icalendar (CRLF, lines folded at 75 octets), UIDs stable per contact;
- vcf: vCard 3.0 made with vobject, which `import` reads back to the same fields.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import DatabaseError, InputError, describe_os_error
from store.exporting.formats import (
    CSV_COLUMNS,
    EXPORT_FORMAT,
    contact_doc,
    to_csv,
    to_ics,
    to_json,
    to_vcf,
    touch_doc,
)
from store.model import EXPORT_FORMATS as FORMATS
from store.rules.text import clean_block
from store.store import write_file_atomically

if TYPE_CHECKING:
    from store.store import Store

__all__ = [
    "CSV_COLUMNS", "EXPORT_FORMAT", "FORMATS", "contact_doc", "export", "to_csv", "to_ics",
    "to_json", "to_vcf", "touch_doc", "write_file",
]  # fmt: skip


def export(store: Store, fmt: str) -> bytes:
    """The database in format `fmt` (one of FORMATS), as the bytes of a file."""
    if fmt == "json":
        return to_json(store)
    if fmt == "csv":
        return to_csv(store).encode("utf-8")
    if fmt == "ics":
        return to_ics(store)
    if fmt == "vcf":
        return to_vcf(store.contacts(include_dropped=True)).encode("utf-8")
    raise InputError(f"--format: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def write_file(path: Path, payload: bytes, store: Store | None = None) -> None:
    """Put `payload` at `path`, the `--output` of an export.

    Refused (InputError, nothing touched): one of `store`'s own files (its main file,
    journal, index, lock, backups; through any link: the store knows them), a folder, a
    block device or a socket. A FIFO or a character device is written into (opened for
    writing, never replaced), as are `/dev/stdout`, `/dev/stderr` and `/dev/fd/N`. A
    regular file is replaced atomically (the engine's one `atomic_write`: a reader sees
    the old file or the whole new one; its temporary file has an unpredictable name and
    no link planted there is followed); a link to it stays a link."""
    owned = store.owns(path) if store is not None else None
    if owned is not None:
        raise InputError(
            f"--output: {path} is the database's own file ({owned}); nothing was written"
        )
    descriptor = _standard_stream(path)
    if descriptor is not None:
        _write_into_fd(path, descriptor, payload)
        return
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise InputError(f"--output: {path}: {describe_os_error(error)}") from None
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        _write_into(path, payload)
        return
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise InputError(f"--output: {path} is {kind}; nothing was written")
    if not real.parent.is_dir():
        raise InputError(f"--output: the folder {path.parent} does not exist")
    write_file_atomically(real, payload)


_STREAMS = {"/dev/stdout": 1, "/dev/stderr": 2}


def _standard_stream(path: Path) -> int | None:
    """The descriptor a path names itself (`/dev/stdout`, `/dev/fd/N`,
    `/proc/self/fd/N`), or None: written to as the shell would, not replaced."""
    text = os.path.normpath(os.path.abspath(path))
    if text in _STREAMS:
        return _STREAMS[text]
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            return int(text[len(prefix) :])
    return None


def _write_into_fd(path: Path, fd: int, payload: bytes) -> None:
    """Write all of `payload` into `fd`; a terminal is shown the text cleaned, as
    `export` to stdout does (no escape sequence from the data reaches it)."""
    try:
        if os.isatty(fd):
            payload = clean_block(payload.decode("utf-8", "replace")).encode("utf-8")
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise DatabaseError(f"could not write {path}: {describe_os_error(error)}") from None


def _write_into(path: Path, payload: bytes) -> None:
    """Write into a FIFO or a device: opened for writing, never created or replaced."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise DatabaseError(f"could not write {path}: {describe_os_error(error)}") from None
    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode) and not stat.S_ISCHR(os.fstat(fd).st_mode):
            raise InputError(f"--output: {path} changed while it was opened; nothing was written")
        _write_into_fd(path, fd, payload)
    finally:
        os.close(fd)
