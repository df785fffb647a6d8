"""followup's own files: its JSON export, and another followup database file.

Both hold whole records (contacts with their uids, touches, settings), which an
import merges by uid instead of matching them as new people.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from store.errors import DatabaseError, InputError
from store.importing.records import Problem, Reading
from store.model import SCHEMA_VERSION, BadRecord, Contact, Settings, Touch
from store.rules.stamps import kept_stamps
from store.store import REMOVED_TOUCHES, journal_records_beside, removed_days

EXPORT_FORMAT = "followup-export"


def looks_like(data: bytes) -> bool:
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read(data: bytes, file: str, path: Path | None = None) -> Reading:
    """An export (`{"format": "followup-export", ...}`) or a database's tables; a
    database's touches are read from its journal beside it, `<name>.touches.jsonl` (an
    older database's: `<name>.touches.json`)."""
    reading = Reading()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        reading.problems.append(Problem(file, "", f"not valid JSON ({error})"))
        return reading
    if not isinstance(doc, dict):
        reading.problems.append(Problem(file, "", "not a followup export or database"))
        return reading
    if doc.get("format") == EXPORT_FORMAT:
        check_schema(doc.get("schema_version"), file)
        contacts, touches, settings = doc.get("contacts"), doc.get("touches"), doc.get("settings")
        reading.removed = removed_days(doc.get(REMOVED_TOUCHES))
    elif isinstance(doc.get("contacts"), dict) or isinstance(doc.get("meta"), dict):
        meta = next(iter(_table(doc.get("meta")).values()), None)
        check_schema(meta.get("schema_version") if isinstance(meta, dict) else None, file)
        contacts = list(_table(doc.get("contacts")).values())
        settings = next(iter(_table(doc.get("settings")).values()), None)
        touches = list(_table(doc.get("touches")).values())
        removed = next(iter(_table(doc.get(REMOVED_TOUCHES)).values()), None)
        reading.removed = removed_days(_table(removed).get("touches"))
        if path is not None:
            touches.extend(_sibling_touches(path, file, reading))
    else:
        reading.problems.append(Problem(file, "", "not a followup export or database"))
        return reading
    for number, record in enumerate(contacts if isinstance(contacts, list) else [], 1):
        try:
            contact = kept_stamps(Contact.from_doc(record))
        except (BadRecord, ValueError, TypeError, AttributeError) as error:
            reading.problems.append(Problem(file, f"contact {number}", _short(error)))
            continue
        reading.contacts.append(contact)
        reading.places.setdefault(contact.uid, f"{file}: contact {number}")
    for number, record in enumerate(touches if isinstance(touches, list) else [], 1):
        try:
            reading.touches.append(Touch.from_doc(record))
        except (BadRecord, ValueError, TypeError, AttributeError) as error:
            reading.problems.append(Problem(file, f"touch {number}", _short(error)))
    if isinstance(settings, dict):
        try:
            reading.settings = Settings.from_doc(settings)
        except (BadRecord, ValueError, TypeError):
            reading.warnings.append(Problem(file, "settings", "can't be read; left out"))
    return reading


def check_schema(version: Any, file: str) -> None:
    """A file from a newer followup is refused whole (InputError: nothing is imported):
    its records may mean what this version can't know. No version: an older file."""
    if version is None:
        return
    if version.__class__ is not int:
        raise InputError(
            f"{file}: its schema version {str(version)[:20]!r} is not a number; "
            "nothing was imported"
        )
    if version > SCHEMA_VERSION:
        raise InputError(
            f"{file}: from a newer followup (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}); update followup to import it; nothing was imported"
        )


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sibling_touches(path: Path, file: str, reading: Reading) -> list[Any]:
    try:
        records = journal_records_beside(path)
    except DatabaseError as error:
        reading.problems.append(Problem(f"{path.name} (its touches)", "", _short(error)))
        return []
    if records is not None:
        return records
    touches_path = path.with_name(f"{path.stem}.touches{path.suffix}")
    try:
        raw = touches_path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        reading.warnings.append(Problem(file, "", f"its touches can't be read ({error})"))
        return []
    try:
        doc = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        reading.problems.append(Problem(touches_path.name, "", "not valid JSON"))
        return []
    return list(_table(_table(doc).get("touches")).values())


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:160] or type(error).__name__
