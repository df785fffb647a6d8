"""The files on disk: bad files are never written over, read-only files are respected,
daily backups, and file modes kept across atomic replaces."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.engine import backup
from store.errors import DatabaseError
from store.model import Contact, Touch
from store.store import Store
from tests.factories import NOW, TODAY, at

BAD_MAIN_FILES = {
    "not JSON": b'{"contacts": {"1": {"name": "Anna',
    "empty object as text": b'"{}"',
    "a list": b"[1, 2, 3]",
    "a table that is a list": b'{"meta": {"1": {"schema_version": 1}}, "contacts": [1]}',
    "a table that is a number": b'{"meta": {"1": {"schema_version": 1}}, "contacts": 5}',
    "a newer schema": b'{"meta": {"1": {"schema_version": 99}}, "contacts": {}}',
    "an unreadable schema": b'{"meta": {"1": {"schema_version": "one"}}, "contacts": {}}',
}


def contact(name: str = "Anna Berg") -> Contact:
    return Contact(name=name, created_at=NOW, updated_at=NOW)


def touch(who: Contact) -> Touch:
    return Touch(contact_uid=who.uid, at=at(TODAY), channel="call", outcome="reached")


def seeded(db: Path, clock: FixedClock | None = None) -> tuple[Store, Contact]:
    store = Store(db, clock=clock or FixedClock(NOW))
    anna = store.add_contact(contact())
    store.log_fields(touch(anna), {})
    return store, anna


def snapshot(folder: Path) -> dict[str, bytes]:
    found = [*folder.glob("followup*.json"), *folder.glob("followup*.jsonl")]
    return {p.name: p.read_bytes() for p in sorted(found)}


def every_write(store: Store, anna: Contact) -> list[object]:
    return [
        lambda: store.add_contact(contact("Ben Costa")),
        lambda: store.update_fields(anna.uid, {"next_step": "Call"}).contact,
        lambda: store.log_fields(touch(anna), {"next_step": "Call"})[0],
        lambda: store.put_contact(anna),
        lambda: store.add_many([contact("Carla Diaz")], []),
    ]


@pytest.mark.parametrize("content", BAD_MAIN_FILES.values(), ids=BAD_MAIN_FILES.keys())
def test_a_bad_main_file_is_refused_on_open(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "followup.json"
    db.write_bytes(content)
    with pytest.raises(DatabaseError) as raised:
        Store(db, clock=FixedClock(NOW))
    assert str(db) in str(raised.value)
    assert "\n" not in str(raised.value)
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["followup.json"]


@pytest.mark.parametrize("content", BAD_MAIN_FILES.values(), ids=BAD_MAIN_FILES.keys())
def test_a_main_file_that_goes_bad_under_an_open_store_is_never_written(
    tmp_path: Path, content: bytes
) -> None:
    db = tmp_path / "followup.json"
    store, anna = seeded(db)
    db.write_bytes(content)
    for _attempt in range(2):  # a second try must not slip through either
        for write in every_write(store, anna):
            with pytest.raises(DatabaseError) as raised:
                write()  # type: ignore[operator]
            assert str(db) in str(raised.value)
            assert db.read_bytes() == content
    with pytest.raises(DatabaseError):
        store.sync()
    assert db.read_bytes() == content


def test_a_bad_touches_file_is_refused_and_never_written(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store, anna = seeded(db)
    touches_path = tmp_path / "followup.touches.jsonl"
    content = b'{"touches": {"1": {"uid": "x", "at": "2026-'
    touches_path.write_bytes(content)
    before = snapshot(tmp_path)
    for _attempt in range(2):
        with pytest.raises(DatabaseError) as raised:
            store.log_fields(touch(anna), {"next_step": "Call"})
        assert str(touches_path) in str(raised.value)
        assert snapshot(tmp_path) == before
    with pytest.raises(DatabaseError):
        Store(db).touches()
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("which", ["followup.json", "followup.touches.jsonl"])
def test_a_read_only_file_is_not_replaced(tmp_path: Path, which: str) -> None:
    db = tmp_path / "followup.json"
    store, anna = seeded(db)
    target = tmp_path / which
    target.chmod(0o444)
    before = snapshot(tmp_path)
    for write in every_write(store, anna):
        with pytest.raises(DatabaseError) as raised:
            write()  # type: ignore[operator]
        assert "read-only" in str(raised.value)
        assert str(target) in str(raised.value)
        assert snapshot(tmp_path) == before
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert Store(db).contact(anna.uid) == anna
    target.chmod(0o644)
    store.update_fields(anna.uid, {"next_step": "Call"})
    assert Store(db).contact(anna.uid).next_step == "Call"


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "followup.json"
    folder.mkdir()
    with pytest.raises(DatabaseError) as raised:
        Store(folder, clock=FixedClock(NOW))
    assert str(folder) in str(raised.value)
    with pytest.raises(DatabaseError):
        Store(tmp_path, clock=FixedClock(NOW))
    assert list(folder.iterdir()) == []


# -- daily backups ----------------------------------------------------------------------


def test_backup_before_the_first_write_of_each_day_and_seven_kept(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    touches_path = tmp_path / "followup.touches.jsonl"
    clock = FixedClock(NOW)
    store, anna = seeded(db, clock)
    folder = tmp_path / "backups"
    shutil.rmtree(folder)  # the day the database was made
    taken: list[str] = []

    for day in range(1, 11):
        clock.advance(days=1)
        before = snapshot(tmp_path)
        store.log_fields(touch(anna), {"next_step": f"step {day}"})
        today = clock.now().date()
        main_copy = folder / f"followup.json.{today.isoformat()}"
        touches_copy = folder / f"followup.touches.jsonl.{today.isoformat()}"
        assert main_copy.read_bytes() == before["followup.json"], "the state before the write"
        assert touches_copy.read_bytes() == before["followup.touches.jsonl"]
        # more writes the same day: no new copy, and today's copy is not replaced
        store.update_fields(anna.uid, {"next_step": "again"})
        store.log_fields(touch(anna), {})
        assert main_copy.read_bytes() == before["followup.json"]
        assert touches_copy.read_bytes() == before["followup.touches.jsonl"]
        taken.append(today.isoformat())
        kept = taken[-backup.KEEP :]
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [f"followup.json.{d}" for d in kept] + [f"followup.touches.jsonl.{d}" for d in kept]
        )
    assert backup.newest_backup(db) == folder / f"followup.json.{taken[-1]}"
    assert backup.backups_of(touches_path)[0] == folder / f"followup.touches.jsonl.{taken[-1]}"


def test_a_failed_write_takes_no_backup_of_a_new_database(tmp_path: Path) -> None:
    store = Store(tmp_path / "followup.json", clock=FixedClock(NOW))
    with pytest.raises(RuntimeError), store.transaction():
        store.add_contact(contact())
        raise RuntimeError
    assert list(tmp_path.iterdir()) in ([], [tmp_path / "followup.json.lock"])


# -- file modes -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_the_file_mode_is_kept_across_atomic_replace(tmp_path: Path, mode: int) -> None:
    db = tmp_path / "followup.json"
    touches_path = tmp_path / "followup.touches.jsonl"
    store, anna = seeded(db)
    db.chmod(mode)
    touches_path.chmod(mode)
    inode = db.stat().st_ino
    store.log_fields(touch(anna), {"next_step": "Call"})
    assert db.stat().st_ino != inode, "the file was replaced, not written in place"
    assert stat.S_IMODE(db.stat().st_mode) == mode
    assert stat.S_IMODE(touches_path.stat().st_mode) == mode
    assert json.loads(db.read_bytes())["contacts"]


def test_a_private_database_gets_private_backups(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    clock = FixedClock(NOW)
    store, anna = seeded(db, clock)
    shutil.rmtree(tmp_path / "backups")
    db.chmod(0o600)
    (tmp_path / "followup.touches.jsonl").chmod(0o600)
    clock.advance(days=1)
    store.update_fields(anna.uid, {"next_step": "Call"})
    copies = sorted((tmp_path / "backups").iterdir())
    assert len(copies) == 2
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) & 0o077 == 0, f"{copy.name} is readable by others"


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        seeded(tmp_path / "followup.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "followup.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "followup.touches.jsonl").stat().st_mode) == 0o640
