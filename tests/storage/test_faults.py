"""Fault injection on the store: a full disk, a read-only folder, files replaced or
deleted by other programs. Each time the old file stays whole, the user gets one
clear line, and nothing acknowledged is lost."""

from __future__ import annotations

import errno
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.engine import lock
from store.errors import DatabaseError
from store.model import Contact, Touch
from store.store import NO_FAULTS, Faults, Store
from tests import journal_file
from tests.faults import DiskFull, main_file, not_a_backup

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def new_store(path: Path, faults: Faults = NO_FAULTS) -> Store:
    return Store(path, clock=FixedClock(NOW), faults=faults)


def seeded(tmp_path: Path, faults: Faults = NO_FAULTS) -> Store:
    store = new_store(tmp_path / "followup.json", faults)
    anna = store.add_contact(Contact(name="Anna Berg", created_at=NOW, updated_at=NOW))
    store.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {})
    return store


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("followup*.json"))}


def test_disk_full_during_write_keeps_the_old_file(tmp_path: Path) -> None:
    disk = DiskFull(main_file("followup.json"), keep=0.5, full=False)  # half, then full
    store = seeded(tmp_path, disk)
    before = snapshot(tmp_path)
    disk.full = True
    anna = store.contacts()[0]
    with pytest.raises(DatabaseError) as raised:
        store.update_fields(anna.uid, {"next_step": "Send the deck"})
    message = str(raised.value)
    assert "disk is full" in message and str(tmp_path / "followup.json") in message
    assert "\n" not in message
    assert snapshot(tmp_path) == before
    assert not list(tmp_path.glob(".*.tmp")), "the half-written temporary file is removed"

    disk.full = False
    assert store.contacts()[0].next_step == "", "the failed change is not shown as saved"
    store.update_fields(anna.uid, {"next_step": "Send the deck"})
    assert new_store(tmp_path / "followup.json").contacts()[0].next_step == "Send the deck"


def test_disk_full_while_logging_a_touch_loses_nothing(tmp_path: Path) -> None:
    disk = DiskFull(not_a_backup, full=False)  # the journal and the main file
    store = seeded(tmp_path, disk)
    before = snapshot(tmp_path)
    disk.full = True
    anna = store.contacts()[0]
    touch = Touch(contact_uid=anna.uid, at=NOW, channel="email", outcome="waiting")
    with pytest.raises(DatabaseError):
        store.log_fields(touch, {"next_step": "Call back"})
    assert snapshot(tmp_path) == before
    disk.full = False
    assert len(store.touches()) == 1
    assert sum(store.touch_days().values()) == 1


def read_only_open(real_open):
    """os.open as on a read-only file system: any open for writing fails with EROFS."""

    def fake(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    return fake


def test_read_only_folder_gives_one_line_and_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    store = seeded(tmp_path)
    (tmp_path / "followup.json.lock").unlink()
    before = snapshot(tmp_path)
    monkeypatch.setattr(os, "open", read_only_open(os.open))
    anna = store.contacts()[0]
    with pytest.raises(DatabaseError) as raised:
        store.update_fields(anna.uid, {"heat": "hot"})
    assert "read-only" in str(raised.value)
    assert str(tmp_path / "followup.json") in str(raised.value)
    monkeypatch.undo()
    assert snapshot(tmp_path) == before
    assert store.contacts()[0].heat == "warm"


def test_read_only_folder_with_an_existing_lock_file(tmp_path: Path, monkeypatch) -> None:
    store = seeded(tmp_path)
    before = snapshot(tmp_path)
    monkeypatch.setattr(os, "open", read_only_open(os.open))
    with pytest.raises(DatabaseError):
        store.update_fields(store.contacts()[0].uid, {"heat": "hot"})
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


def test_file_replaced_by_another_program_is_read_again(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    other = new_store(tmp_path / "followup.json")
    other.add_contact(Contact(name="Ben Costa", created_at=NOW, updated_at=NOW))
    assert store.sync() is True
    assert sorted(c.name for c in store.contacts()) == ["Anna Berg", "Ben Costa"]


def test_file_deleted_under_an_open_store_is_written_back(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    (tmp_path / "followup.json").unlink()
    store.sync()
    assert [c.name for c in store.contacts()] == ["Anna Berg"], "nothing vanishes from view"
    notices = store.take_notices()
    assert len(notices) == 1 and "deleted or moved" in notices[0]
    assert store.take_notices() == []
    store.update_fields(store.contacts()[0].uid, {"goal": "Book a demo"})
    reopened = new_store(tmp_path / "followup.json")
    assert [(c.name, c.goal) for c in reopened.contacts()] == [("Anna Berg", "Book a demo")]


def test_touches_file_deleted_alone_under_an_open_store_is_refused_not_written_back(
    tmp_path: Path,
) -> None:
    """Another process may have logged touches since this store read the journal: its
    copy is not written back over them. (The folder deleted whole is written back:
    test_files_hardened.py.)"""
    store = seeded(tmp_path)
    assert len(store.touches()) == 1
    anna = store.contacts()[0]
    journal = journal_file.path_of(tmp_path / "followup.json")
    journal.unlink()
    with pytest.raises(DatabaseError) as raised:
        store.sync()
    assert "followup.touches.jsonl" in str(raised.value) and "missing" in str(raised.value)
    with pytest.raises(DatabaseError):
        store.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="text", outcome="waiting"), {})
    assert not journal.exists(), "nothing written back"


def test_lock_held_too_long_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    holder = lock.FileLock(tmp_path / "followup.json.lock", tmp_path / "followup.json", 0.2)
    before = snapshot(tmp_path)
    impatient = Store(tmp_path / "followup.json", clock=FixedClock(NOW), lock_timeout=0.2)
    with holder, pytest.raises(DatabaseError) as raised:
        impatient.update_fields(impatient.contacts()[0].uid, {"heat": "cool"})
    assert "busy" in str(raised.value) and "followup.json" in str(raised.value)
    assert snapshot(tmp_path) == before
    impatient.update_fields(impatient.contacts()[0].uid, {"heat": "cool"})
    store.sync()
    assert store.contacts()[0].heat == "cool"


def test_temp_file_of_a_killed_writer_is_ignored_and_cleaned(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    leftover = tmp_path / ".followup.json.99999.tmp"
    leftover.write_bytes(b'{"contacts": {"1": {"na')
    reader = new_store(tmp_path / "followup.json")
    assert [c.name for c in reader.contacts()] == ["Anna Berg"]
    store.update_fields(store.contacts()[0].uid, {"goal": "Renew"})
    assert not leftover.exists()


def test_hand_edited_wrong_type_reports_the_record_and_keeps_the_others(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    store.add_contact(Contact(name="Ben Costa", created_at=NOW, updated_at=NOW))
    path = tmp_path / "followup.json"
    text = path.read_text().replace('"name":"Ben Costa"', '"name":["Ben","Costa"]')
    path.write_text(text)
    reopened = new_store(path)
    assert [c.name for c in reopened.contacts()] == ["Anna Berg"]
    assert len(reopened.problems) == 1 and "'name'" in reopened.problems[0]
    reopened.update_fields(reopened.contacts()[0].uid, {"heat": "hot"})
    assert '"name":["Ben","Costa"]' in path.read_text(), "the bad record is kept as it was"


def test_a_failed_write_does_not_leave_a_half_cache(tmp_path: Path) -> None:
    # the touch appended to the journal, the main file fails once
    disk = DiskFull(main_file("followup.json"), full=False, times=1)
    store = seeded(tmp_path, disk)
    anna = store.contacts()[0]
    disk.full = True
    with pytest.raises(DatabaseError, match="nothing was changed"):
        store.log_fields(
            Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="no-reply"),
            {"next_step": "Try again"},
        )
    # The touch was appended before the failure and cut back: what is shown is on disk.
    on_disk = new_store(tmp_path / "followup.json")
    assert all(t.outcome != "no-reply" for t in on_disk.touches())
    assert [t.channel for t in store.touches()] == [t.channel for t in on_disk.touches()]
    assert store.contacts()[0].next_step == on_disk.contacts()[0].next_step == ""
    assert sum(store.touch_days().values()) == len(on_disk.touches())
    assert len(on_disk.touches()) == 1
