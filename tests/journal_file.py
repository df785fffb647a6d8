"""The touches journal beside a test database, read and written as a hand edit would.

Tests that once read or edited `followup.touches.json` go through these: the records are
read with the journal's own reader (every line checked), and a hand edit writes a new
journal holding the records given, as another program that knows the format would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store.engine.files import JsonFile
from store.engine.journal import Journal, Records
from store.engine.pair import with_pair
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
    """Replace the journal of `db` with one holding exactly these records, and record it
    in the main file as the journal it goes with (as `followup repair` accepts a journal
    edited by hand); the main file is otherwise left as it was."""
    journal = Journal(path_of(db), mode_like=db if db.exists() else None)
    journal.create(Records(docs))
    main = JsonFile(db)
    if main.load() is not None:
        main.materialize()
        main.write(with_pair(main.data or {}, journal.pair()))
