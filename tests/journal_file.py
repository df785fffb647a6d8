"""The touches journal beside a test database, read and written as a hand edit would.

Tests that once read or edited `followup.touches.json` go through these: the records are
read with the journal's own reader (every line checked), and a hand edit writes a new
journal holding the records given, as another program that knows the format would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store.engine.journal import Journal, Records
from store.engine.paths import journal_path


def path_of(db: Path) -> Path:
    """The journal beside the main file `db`."""
    return journal_path(db)


def records(db: Path) -> dict[str, Any]:
    """The live touch records of the database `db`, by id ({} without a journal)."""
    journal = Journal(path_of(db))
    journal.sync()
    return dict(journal.records)


def write(db: Path, docs: dict[str, Any]) -> None:
    """Replace the journal of `db` with one holding exactly these records."""
    journal = Journal(path_of(db), mode_like=db if db.exists() else None)
    journal.create(Records(docs))
