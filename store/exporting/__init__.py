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

from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import InputError
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


def write_file(path: Path, payload: bytes) -> None:
    """Write `payload` to `path` atomically: a reader sees the old file or the whole new
    one (store.engine.atomic, through the facade)."""
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"--output: the folder {folder} does not exist")
    write_file_atomically(path, payload)
