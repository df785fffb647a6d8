"""The files against what real machines do: symlinked databases and folders, links planted
at every name the store writes, files that are not regular files, pasted records, backups
that can't be completed or are dated in the future, and a folder deleted under an open
store."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.engine import atomic, backup
from store.errors import DatabaseError, InputError
from store.model import SCHEMA_VERSION, Contact, Touch
from store.store import Store
from tests import journal_file
from tests.conftest import NOW
from tests.faults import DiskFull

DAY = timedelta(days=1)


def seeded(path: Path, clock: FixedClock | None = None) -> Store:
    store = Store(path, clock=clock or FixedClock(NOW))
    anna = store.add_contact(Contact(name="Anna Berg", created_at=NOW, updated_at=NOW))
    store.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {})
    return store


def names(store: Store) -> list[str]:
    return sorted(c.name for c in store.contacts())


def add(store: Store, name: str) -> Contact:
    return store.add_contact(Contact(name=name, created_at=NOW, updated_at=NOW))


# -- 1. the path is resolved once ----------------------------------------------------------


def test_a_symlinked_database_file_stays_a_link_and_its_target_gets_every_write(
    tmp_path: Path,
) -> None:
    real = tmp_path / "sync" / "followup.json"
    real.parent.mkdir()
    seeded(real)
    home = tmp_path / "home"
    home.mkdir()
    link = home / "followup.json"
    link.symlink_to(real)

    store = Store(link, clock=FixedClock(NOW + DAY))  # a new day: a backup is taken
    assert store.touches_path == real.parent / "followup.touches.jsonl"
    assert len(store.touches()) == 1, "the touches beside the target are found"
    add(store, "Bruno Costa")
    anna = next(c for c in store.contacts() if c.name == "Anna Berg")
    store.log_fields(
        Touch(contact_uid=anna.uid, at=NOW + DAY, channel="email", outcome="waiting"), {}
    )

    assert link.is_symlink() and link.resolve() == real, "the link stays a link"
    assert names(Store(real, clock=FixedClock(NOW))) == ["Anna Berg", "Bruno Costa"]
    assert len(Store(real, clock=FixedClock(NOW)).touches()) == 2
    assert sorted(p.name for p in home.iterdir()) == ["followup.json"], "nothing beside the link"
    assert (real.parent / "followup.json.lock").is_file()
    assert (real.parent / "backups" / f"followup.json.{(NOW + DAY).date()}").is_file()


def test_a_symlinked_folder_is_followed_for_every_file(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    seeded(real / "followup.json")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)

    store = Store(tmp_path / "linked" / "followup.json", clock=FixedClock(NOW + DAY))
    add(store, "Bruno Costa")
    assert store.path == real / "followup.json"
    assert (tmp_path / "linked").is_symlink()
    assert names(Store(real / "followup.json", clock=FixedClock(NOW))) == [
        "Anna Berg",
        "Bruno Costa",
    ]
    assert (real / "backups" / f"followup.json.{(NOW + DAY).date()}").is_file()


def test_a_link_and_its_target_take_the_same_lock(tmp_path: Path) -> None:
    real = tmp_path / "followup.json"
    seeded(real)
    link = tmp_path / "elsewhere.json"
    link.symlink_to(real)
    holder = Store(real, clock=FixedClock(NOW))
    other = Store(link, clock=FixedClock(NOW), lock_timeout=0.05)
    with holder.transaction(), pytest.raises(DatabaseError) as raised:
        add(other, "Bruno Costa")
    assert "busy" in str(raised.value) and "followup.json.lock" in str(raised.value)
    assert names(Store(real, clock=FixedClock(NOW))) == ["Anna Berg"]


# -- 2. files created exclusively, never through a planted link ------------------------------


def test_links_planted_at_every_name_the_store_writes_touch_no_file_outside(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "followup.json"
    seeded(db)
    outside = tmp_path / "bashrc"
    outside.write_text("export PATH=...\n")
    before = (outside.read_bytes(), outside.stat().st_mtime_ns)
    tomorrow = (NOW + DAY).date()
    (folder / "backups").mkdir(exist_ok=True)
    for name in ("followup.json", "followup.touches.jsonl"):
        for planted in (
            folder / f".{name}.{os.getpid()}.tmp",  # the old predictable temporary names
            folder / f".{name}.tmp",
            folder / "backups" / f"{name}.{tomorrow}.partial",
            folder / "backups" / f"{name}.{tomorrow}",
            folder / "backups" / f"{name}.before-migration",
        ):
            planted.symlink_to(outside)

    store = Store(db, clock=FixedClock(NOW + DAY))
    anna = store.contacts()[0]
    store.log_fields(
        Touch(contact_uid=anna.uid, at=NOW + DAY, channel="call", outcome="reached"), {}
    )
    add(store, "Bruno Costa")

    assert (outside.read_bytes(), outside.stat().st_mtime_ns) == before
    for path in (db, store.touches_path, *(folder / "backups").glob(f"*.{tomorrow}")):
        assert stat.S_ISREG(os.lstat(path).st_mode), f"{path} is a real file"
    assert names(Store(db, clock=FixedClock(NOW))) == ["Anna Berg", "Bruno Costa"]
    copy = json.loads((folder / "backups" / f"followup.json.{tomorrow}").read_bytes())
    assert [r["name"] for r in copy["contacts"].values()] == ["Anna Berg"]


def test_a_lock_file_planted_as_a_link_is_refused_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    seeded(db)
    outside = tmp_path / "victim"
    (tmp_path / "followup.json.lock").unlink()
    (tmp_path / "followup.json.lock").symlink_to(outside)
    with pytest.raises(DatabaseError) as raised:
        add(Store(db, clock=FixedClock(NOW)), "Bruno Costa")
    assert "followup.json.lock" in str(raised.value) and "link" in str(raised.value)
    assert not outside.exists(), "no file is created through the link"


def test_create_exclusive_uses_unpredictable_names_and_never_opens_an_existing_one(
    tmp_path: Path,
) -> None:
    made = []
    for _ in range(3):
        fd, path = atomic.create_exclusive(tmp_path, ".x.", ".tmp")
        os.close(fd)
        made.append(path)
    assert len(set(made)) == 3
    assert all(p.parent == tmp_path and p.name.startswith(".x.") for p in made)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in made)

    taken = made[0].name[len(".x.") : -len(".tmp")]
    calls = iter([taken, "f" * 16])
    original = atomic.secrets.token_hex
    atomic.secrets.token_hex = lambda n: next(calls)  # type: ignore[assignment]
    try:
        fd, path = atomic.create_exclusive(tmp_path, ".x.", ".tmp")
        os.close(fd)
    finally:
        atomic.secrets.token_hex = original  # type: ignore[assignment]
    assert path.name == ".x." + "f" * 16 + ".tmp", "a name already there is skipped"


def test_the_backup_folder_is_created_private(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    seeded(db)
    add(Store(db, clock=FixedClock(NOW + DAY)), "Bruno Costa")
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700


def test_a_backup_folder_that_is_a_link_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    db = tmp_path / "followup.json"
    seeded(db)
    outside = tmp_path / "attacker"
    outside.mkdir()
    (tmp_path / "backups").rename(tmp_path / "old-backups")
    (tmp_path / "backups").symlink_to(outside, target_is_directory=True)
    before = db.read_bytes()
    with pytest.raises(DatabaseError) as raised:
        add(Store(db, clock=FixedClock(NOW + DAY)), "Bruno Costa")
    message = str(raised.value)
    assert "backups" in message and "symbolic link" in message and "\n" not in message
    assert "nothing was changed" in message
    assert list(outside.iterdir()) == []
    assert db.read_bytes() == before


def test_a_backup_folder_owned_by_someone_else_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "followup.json"
    seeded(db)
    before = db.read_bytes()
    real_uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real_uid + 1)
    with pytest.raises(DatabaseError) as raised:
        add(Store(db, clock=FixedClock(NOW + DAY)), "Bruno Costa")
    assert "belongs to another user" in str(raised.value)
    assert db.read_bytes() == before


# -- 3. only regular files ---------------------------------------------------------------------


@pytest.mark.parametrize("which", ["main", "touches"])
def test_a_fifo_is_refused_at_once(tmp_path: Path, which: str) -> None:
    db = tmp_path / "followup.json"
    if which == "touches":
        seeded(db)
        target = tmp_path / "followup.touches.jsonl"
        target.unlink()
    else:
        target = db
    os.mkfifo(target)
    with pytest.raises(DatabaseError) as raised:
        store = Store(db, clock=FixedClock(NOW))
        store.touches()
    assert "pipe" in str(raised.value) and str(target) in str(raised.value)
    assert stat.S_ISFIFO(os.lstat(target).st_mode), "the FIFO is left as it was"


def test_a_folder_as_the_touches_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    seeded(db)
    (tmp_path / "followup.touches.jsonl").unlink()
    (tmp_path / "followup.touches.jsonl").mkdir()
    with pytest.raises(DatabaseError) as raised:  # a new process: at once
        Store(db, clock=FixedClock(NOW))
    assert "is a folder" in str(raised.value)


def a_device(tmp_path: Path) -> Path:
    """A character device like /dev/null: made in `tmp_path` when we may (as root, where
    replacing the real /dev/null would hurt the machine), else the real one (which a
    normal user can't replace anyway)."""
    device = tmp_path / "null.json"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        return Path("/dev/null")
    return device


def test_a_character_device_is_never_replaced(tmp_path: Path) -> None:
    device = a_device(tmp_path)
    with pytest.raises(DatabaseError) as raised:
        add(Store(device, clock=FixedClock(NOW)), "Bruno Costa")
    assert f"{device} is a device" in str(raised.value)
    assert stat.S_ISCHR(os.lstat(device).st_mode)


# -- 4. pasted records ---------------------------------------------------------------------------


def _contact_doc(name: str, uid: str) -> str:
    return json.dumps(
        {
            "uid": uid,
            "name": name,
            "created_at": NOW.isoformat(),
            "updated_at": NOW.isoformat(),
        }
    )


def _hand_written(path: Path, contacts: str, extra: str = "") -> None:
    meta = f'"meta": {{"1": {{"schema_version": {SCHEMA_VERSION}}}}}'
    path.write_text("{" + meta + ', "contacts": {' + contacts + "}" + extra + "}")


def test_two_records_under_one_key_are_reported_and_the_file_never_written(
    tmp_path: Path,
) -> None:
    db = tmp_path / "followup.json"
    seeded(db)  # a touches file and today's backup
    newest = backup.newest_backup(db)
    assert newest is not None
    _hand_written(
        db,
        f'"1": {_contact_doc("Anna Berg", "a1")}, "2": {_contact_doc("Bruno Costa", "b2")}, '
        f'"2": {_contact_doc("Carla Diaz", "c3")}',
    )
    before = db.read_bytes()
    store = Store(db, clock=FixedClock(NOW))
    assert any("two records share the key '2'" in p for p in store.problems)
    with pytest.raises(DatabaseError) as raised:
        add(store, "Dora Eck")
    message = str(raised.value)
    assert "can't see" in message and f"newest backup: {newest}" in message
    assert "\n" not in message
    assert db.read_bytes() == before


def test_a_second_contacts_table_is_reported_and_the_file_never_written(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    _hand_written(db, f'"1": {_contact_doc("Anna Berg", "a1")}', extra=', "contacts": {}')
    before = db.read_bytes()
    store = Store(db, clock=FixedClock(NOW))
    assert any("table 'contacts' appears twice" in p for p in store.problems)
    with pytest.raises(DatabaseError):
        add(store, "Bruno Costa")
    assert db.read_bytes() == before


def test_a_second_settings_table_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    _hand_written(
        db,
        f'"1": {_contact_doc("Anna Berg", "a1")}',
        extra=', "settings": {"1": {"day_first": true}}, "settings": {}',
    )
    store = Store(db, clock=FixedClock(NOW))
    assert any("table 'settings' appears twice" in p for p in store.problems)


def test_a_touch_pasted_into_the_journal_blocks_every_write(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store = seeded(db)
    store.log_fields(
        Touch(contact_uid=store.contacts()[0].uid, at=NOW, channel="email", outcome="waiting"), {}
    )
    header, first, rest = store.touches_path.read_bytes().split(b"\n", 2)
    record = json.loads(first.split(b" ", 1)[1])
    record["doc"]["uid"] = "x" + record["doc"]["uid"]
    pasted = b"\n".join([header, first, json.dumps(record).encode(), rest])  # no checksum
    store.touches_path.write_bytes(pasted)
    before = store.touches_path.read_bytes()
    anna = store.contacts()[0]
    with pytest.raises(DatabaseError) as raised:  # on opening (the pair) or on writing
        store = Store(db, clock=FixedClock(NOW))
        store.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {})
    assert "line 3 is damaged" in str(raised.value)
    assert store.touches_path.read_bytes() == before


def test_a_well_formed_file_has_no_hidden_records(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store = seeded(db)
    # a note that spells a table name and "uid" must not look like a duplicate
    anna = store.contacts()[0]
    store.update_fields(anna.uid, {"next_step": 'say "contacts" and "uid" twice: "uid"'})
    again = Store(db, clock=FixedClock(NOW))
    assert again.problems == []
    add(again, "Bruno Costa")
    assert names(Store(db, clock=FixedClock(NOW))) == ["Anna Berg", "Bruno Costa"]


def test_two_contacts_with_one_uid_are_problems_and_neither_is_changed(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    _hand_written(
        db,
        f'"1": {_contact_doc("Twin One", "same")}, "2": {_contact_doc("Twin Two", "same")}, '
        f'"3": {_contact_doc("Carla Diaz", "c3")}',
    )
    store = Store(db, clock=FixedClock(NOW))
    assert names(store) == ["Carla Diaz"]
    assert sum("same uid" in p for p in store.problems) == 2
    before = json.loads(db.read_bytes())["contacts"]
    with pytest.raises(DatabaseError) as raised:
        store.update_fields("same", {"heat": "hot"})
    assert "share the uid same" in str(raised.value)
    store.update_fields("c3", {"heat": "hot"})  # the other contacts can still be changed
    after = json.loads(db.read_bytes())["contacts"]
    assert after["1"] == before["1"] and after["2"] == before["2"]
    assert after["3"]["heat"] == "hot"


# -- 5. backups ----------------------------------------------------------------------------------


def test_a_backup_that_fails_leaves_no_partial_file_and_names_the_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "followup.json"
    seeded(db)
    before = db.read_bytes()

    disk = DiskFull(lambda path: path.parent.name == "backups")
    with pytest.raises(DatabaseError) as raised:
        add(Store(db, clock=FixedClock(NOW + DAY), faults=disk), "Bruno Costa")
    message = str(raised.value)
    expected = tmp_path / "backups" / f"followup.json.{(NOW + DAY).date()}"
    assert f"could not make the backup {expected}: the disk is full" in message
    assert "Errno" not in message and "\n" not in message
    assert list((tmp_path / "backups").glob("*partial*")) == []
    assert list((tmp_path / "backups").glob(".*")) == []
    assert db.read_bytes() == before

    killed = tmp_path / "backups" / f".followup.json.{(NOW + DAY).date()}.0123.partial"
    killed.write_text("half")  # a copy a killed process left half made
    add(Store(db, clock=FixedClock(NOW + DAY)), "Bruno Costa")
    assert expected.is_file()
    assert not killed.exists()


def test_future_dated_backups_never_make_todays_copy_disappear(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    clock = FixedClock(NOW + timedelta(days=30))  # a clock that ran ahead
    store = seeded(db, clock)
    for days in range(1, 9):
        clock.moment = NOW + timedelta(days=30 + days)
        add(store, f"Ahead {days}")
    future = backup.backups_of(db)
    assert len(future) == backup.KEEP

    clock.moment = NOW  # the clock is right again
    add(store, "Today")
    today = tmp_path / "backups" / f"followup.json.{NOW.date()}"
    assert today.is_file(), "the copy just made is kept"
    assert backup.newest_backup(db, NOW.date()) == today
    assert set(future) <= set(backup.backups_of(db)), "future copies are kept, not trusted"
    assert any("dated after today" in n for n in store.take_notices())


def test_pruning_keeps_the_newest_seven_up_to_today(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    db = tmp_path / "followup.json"
    days = [date(2026, 11, d) for d in range(1, 25)]
    for day in [*days, date(2027, 1, 1)]:
        (folder / backup.backup_name(db, day)).write_text("{}")
    backup.prune([db], folder, date(2026, 11, 20))
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted(
        [backup.backup_name(db, d) for d in days[13:20]]
        + [backup.backup_name(db, d) for d in days[20:]]
        + [backup.backup_name(db, date(2027, 1, 1))]
    )


# -- 6. the folder deleted under an open store ----------------------------------------------------


def test_the_folder_deleted_under_an_open_store_gets_contacts_and_touches_back(
    tmp_path: Path,
) -> None:
    import shutil

    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "followup.json"
    store = seeded(db)
    assert len(store.touches()) == 1  # the history is in memory, as in the dashboard
    shutil.rmtree(folder)
    store.sync()
    notices = store.take_notices()
    assert any("deleted or moved" in n for n in notices)
    add(store, "Bruno Costa")
    back = Store(db, clock=FixedClock(NOW))
    assert names(back) == ["Anna Berg", "Bruno Costa"]
    assert len(back.touches()) == 1, "the touch history is written back too"


def test_a_touch_history_that_was_not_in_memory_is_said_to_be_lost(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "followup.json"
    seeded(db)
    store = Store(db, clock=FixedClock(NOW))
    store.contacts()  # the touches were never read
    shutil.rmtree(folder)
    store.sync()
    notices = " ".join(store.take_notices())
    assert "1 touches were not in memory" in notices and "can't be written back" in notices


# -- 8. smaller ones -------------------------------------------------------------------------------


def test_an_out_of_bounds_field_edited_by_hand_blocks_no_other_change(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store = seeded(db)
    data = json.loads(db.read_bytes())
    record = data["contacts"]["1"]
    record["goal"], record["value"] = "g" * 2000, 1e30
    db.write_text(json.dumps(data))
    store = Store(db, clock=FixedClock(NOW))
    anna = store.contacts()[0]
    store.update_fields(anna.uid, {"next_step": "Call back"})
    stored = json.loads(db.read_bytes())["contacts"]["1"]
    assert stored["next_step"] == "Call back"
    assert stored["goal"] == "g" * 2000 and stored["value"] == 1e30, "kept as it was"
    with pytest.raises(InputError):
        store.update_fields(anna.uid, {"goal": "x" * 2000})  # a field the change writes is checked


def test_a_whole_record_put_back_names_the_record_with_the_bad_field(tmp_path: Path) -> None:
    import dataclasses

    store = seeded(tmp_path / "followup.json")
    anna = store.contacts()[0]
    ghost = dataclasses.replace(anna, uid="new-uid", name="Ghost", goal="g" * 2000)
    with pytest.raises(InputError) as raised:
        store.put_contact(ghost)
    assert "'Ghost'" in str(raised.value) and "goal" in str(raised.value)


def test_a_touch_without_utc_offset_is_a_problem_and_not_in_the_streak(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    store = seeded(db)
    data = {"touches": journal_file.records(db)}
    first = next(iter(data["touches"].values()))
    data["touches"]["9"] = {**first, "uid": "naive", "at": "2026-11-20T10:00:00"}
    journal_file.write(db, data["touches"])
    store = Store(db, clock=FixedClock(NOW))
    assert [t.uid for t in store.touches()] == [first["uid"]]
    assert any("touch #9" in p and "UTC offset" in p for p in store.problems)
    assert store.touch_days() == {NOW.date(): 1}


def test_a_lock_path_that_is_a_folder_names_the_lock_file(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    seeded(db)
    (tmp_path / "followup.json.lock").unlink()
    (tmp_path / "followup.json.lock").mkdir()
    with pytest.raises(DatabaseError) as raised:
        add(Store(db, clock=FixedClock(NOW)), "Bruno Costa")
    assert f"lock file {tmp_path / 'followup.json.lock'} is a folder" in str(raised.value)
