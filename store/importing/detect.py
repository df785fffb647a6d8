"""Which reader a file needs, decided by its content (never by its extension)."""

from __future__ import annotations

from pathlib import Path

from store.errors import describe_os_error
from store.importing import csv_formats, followup_json, vcard
from store.importing.records import Problem, Reading

FILE_MAX = 200 * 1024 * 1024  # larger than any contact export
HEAD = 64 * 1024  # a file no larger is read whole; a larger CSV is read as it goes


def kind_of(data: bytes) -> str:
    """ "vcard", "followup" (an export or a database) or "csv"."""
    if vcard.looks_like(data):
        return "vcard"
    if followup_json.looks_like(data):
        return "followup"
    return "csv"


def read_bytes(data: bytes, file: str, path: Path | None = None) -> Reading:
    """Everything a file's bytes hold; never raises for bad content."""
    if not data.strip():
        reading = Reading()
        reading.problems.append(Problem(file, "", "the file is empty"))
        return reading
    kind = kind_of(data)
    try:
        if kind == "vcard":
            return vcard.read(data, file)
        if kind == "followup":
            return followup_json.read(data, file, path)
        return csv_formats.read(data, file)
    except (ValueError, TypeError, LookupError, RecursionError, MemoryError) as error:
        reading = Reading()
        reading.problems.append(Problem(file, "", f"can't be read ({type(error).__name__})"))
        return reading


def read_files(paths: list[Path]) -> Reading:
    """Every file read and joined; a file that can't be opened is a problem of its own."""
    reading = Reading()
    for path in paths:
        name = path.name
        try:
            if path.stat().st_size > FILE_MAX:
                reading.problems.append(Problem(name, "", "too large for a contact file"))
                continue
            with path.open("rb") as source:
                head = source.read(HEAD)
                rest = source.read(1)
            if head.strip() and not rest:
                reading.extend(read_bytes(head, name, path))  # small: read whole
            elif head.strip() and kind_of(head) == "csv":
                reading.extend(_csv_as_it_goes(path, name))
            else:
                reading.extend(read_bytes(path.read_bytes(), name, path))
        except OSError as error:
            reading.problems.append(Problem(str(path), "", describe_os_error(error)))
            continue
    return reading


def _csv_as_it_goes(path: Path, file: str) -> Reading:
    """A CSV file read as it goes (csv_formats.read_path); bad content is a problem."""
    try:
        return csv_formats.read_path(path, file)
    except (ValueError, TypeError, LookupError, RecursionError, MemoryError) as error:
        reading = Reading()
        reading.problems.append(Problem(file, "", f"can't be read ({type(error).__name__})"))
        return reading
