"""Older databases are backed up and migrated on open; newer ones are refused."""

from __future__ import annotations

import json
import shutil
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest

from store.clock import FixedClock
from store.engine.migrate import version_of
from store.errors import DatabaseError
from store.model import SCHEMA_VERSION
from store.store import Store
from tests import journal_file
from tests.paths import FIXTURES

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def schema0(tmp_path: Path) -> Path:
    path = tmp_path / "followup.json"
    shutil.copyfile(FIXTURES / "schema0.json", path)
    return path


def test_schema0_is_backed_up_then_migrated(schema0: Path) -> None:
    original = schema0.read_bytes()
    store = Store(schema0, clock=FixedClock(NOW))

    backups = list((schema0.parent / "backups").iterdir())
    assert [b.name for b in backups] == ["followup.json.before-migration"]
    assert backups[0].read_bytes() == original

    main = orjson.loads(schema0.read_bytes())
    assert main["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert "touches" not in main
    assert len(journal_file.records(schema0)) == 2
    assert not (schema0.parent / "followup.touches.json").exists()

    assert sorted(c.name for c in store.contacts()) == ["Anna Berg", "Ben Costa"]
    anna = next(c for c in store.contacts() if c.name == "Anna Berg")
    assert [t.note for t in store.touches(anna.uid)] == ["Liked the demo"]
    assert store.touch_days() == {
        datetime(2026, 11, 13).date(): 1,
        datetime(2026, 10, 1).date(): 1,
    }
    assert store.settings.cadence["hot"] == 7


def test_migration_runs_once(schema0: Path) -> None:
    Store(schema0, clock=FixedClock(NOW))
    after_first = schema0.read_bytes()
    Store(schema0, clock=FixedClock(NOW))
    assert schema0.read_bytes() == after_first
    assert len(list((schema0.parent / "backups").iterdir())) == 1


def test_migrated_database_takes_new_touches_with_fresh_ids(schema0: Path) -> None:
    from store.model import Touch

    store = Store(schema0, clock=FixedClock(NOW))
    anna = next(c for c in store.contacts() if c.name == "Anna Berg")
    touch = store.log_fields(
        Touch(contact_uid=anna.uid, at=NOW, channel="email", outcome="waiting"), {}
    )[0]
    assert touch.id == 3
    assert len(Store(schema0, clock=FixedClock(NOW)).touches()) == 3


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 99])
def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path, version: int) -> None:
    path = tmp_path / "followup.json"
    path.write_text(json.dumps({"meta": {"1": {"schema_version": version}}, "contacts": {}}))
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as raised:
        Store(path, clock=FixedClock(NOW))
    assert "newer followup" in str(raised.value) and str(path) in str(raised.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_read_only_old_database_is_not_migrated(schema0: Path) -> None:
    schema0.chmod(0o444)
    before = schema0.read_bytes()
    with pytest.raises(DatabaseError, match="older format"):
        Store(schema0, clock=FixedClock(NOW))
    assert schema0.read_bytes() == before
    assert not journal_file.path_of(schema0).exists()


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        (None, SCHEMA_VERSION),
        ({}, SCHEMA_VERSION),
        ({"contacts": {}}, 0),
        ({"meta": {"1": {"schema_version": 1}}}, 1),
        ({"meta": {"1": {"schema_version": "one"}}}, -1),
        ({"meta": {"1": {"schema_version": True}}}, -1),
    ],
)
def test_version_of(tables, expected: int) -> None:
    assert version_of(tables) == expected


@pytest.fixture
def schema1(tmp_path: Path) -> Path:
    """A database of schema 1: its touches in `followup.touches.json` beside it."""
    path = tmp_path / "followup.json"
    shutil.copyfile(FIXTURES / "schema1.json", path)
    shutil.copyfile(FIXTURES / "schema1.touches.json", tmp_path / "followup.touches.json")
    return path


def test_schema1_touches_file_becomes_the_journal_after_a_backup(schema1: Path) -> None:
    old_touches = schema1.parent / "followup.touches.json"
    originals = {p.name: p.read_bytes() for p in (schema1, old_touches)}
    store = Store(schema1, clock=FixedClock(NOW))

    backups = sorted((schema1.parent / "backups").iterdir())
    assert [b.name for b in backups] == [
        "followup.json.before-migration",
        "followup.touches.json.before-migration",
    ]
    assert {b.name.removesuffix(".before-migration"): b.read_bytes() for b in backups} == (
        originals
    )
    assert not old_touches.exists(), "the old touches file is gone once the journal holds them"
    main = orjson.loads(schema1.read_bytes())
    assert main["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    expected = orjson.loads(originals["followup.touches.json"])["touches"]
    assert journal_file.records(schema1) == expected, "the same records under the same ids"
    assert store.touch_days() == {
        datetime(2026, 11, 13).date(): 1,
        datetime(2026, 10, 1).date(): 1,
    }
    assert not store.touches_loaded, "the day counts come from the cache the migration wrote"
    anna = next(c for c in store.contacts() if c.name == "Anna Berg")
    assert [t.note for t in store.touches(anna.uid)] == ["Liked the demo"]
    from store.model import Touch

    logged = store.log_fields(
        Touch(contact_uid=anna.uid, at=NOW, channel="email", outcome="waiting"), {}
    )[0]
    assert logged.id == 8, "above every id the touches file held"


def test_schema1_migration_runs_once(schema1: Path) -> None:
    Store(schema1, clock=FixedClock(NOW))
    after = (schema1.read_bytes(), journal_file.path_of(schema1).read_bytes())
    again = Store(schema1, clock=FixedClock(NOW))
    assert len(again.touches()) == 2
    assert (schema1.read_bytes(), journal_file.path_of(schema1).read_bytes()) == after
    assert len(list((schema1.parent / "backups").iterdir())) == 2


def test_a_journal_from_a_newer_followup_is_refused_and_left_untouched(
    schema1: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    Store(schema1, clock=FixedClock(NOW))
    journal = journal_file.path_of(schema1)
    lines = journal.read_bytes().split(b"\n")
    header = orjson.loads(lines[0].split(b" ", 1)[1])
    header["schema"] = 99
    body = orjson.dumps(header)
    lines[0] = b"%08x %s" % (zlib.crc32(body), body)
    journal.write_bytes(b"\n".join(lines))
    before = (schema1.read_bytes(), journal.read_bytes())
    code = main(["log", "Anna", "--via", "call", "--db", str(schema1)], clock=FixedClock(NOW))
    err = capsys.readouterr().err
    assert code == 1
    assert "written by a newer followup" in err and str(journal) in err
    assert len(err.strip().splitlines()) == 1
    assert (schema1.read_bytes(), journal.read_bytes()) == before
