"""Two copies of one database merged field by field, as a user does it: a laptop copy
and a server copy edited apart, each exported, each importing the other's export, then
compared; and importing the same copy again changes no byte."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from store.clock import FixedClock
from store.model import Touch
from store.store import Store
from tests.conftest import NOW, Env
from tui.cli.run import main


class Copy:
    """One copy of the database (its own files) and the clock of its machine."""

    def __init__(self, source: Path, folder: Path, clock: FixedClock) -> None:
        folder.mkdir()
        for name in ("followup.json", "followup.touches.jsonl"):
            shutil.copy2(source.with_name(name), folder / name)
        self.path = folder / "followup.json"
        self.clock = clock
        self.export_path = folder.parent / f"{folder.name}-export.json"

    def run(self, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
        code = main([*argv, "--db", str(self.path)], clock=self.clock)
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return captured.out

    def store(self) -> Store:
        return Store(self.path, clock=self.clock)

    def files(self) -> dict[str, bytes]:
        folder = self.path.parent
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}

    def contacts(self) -> dict[str, dict[str, Any]]:
        """Every contact as the user sees it (`--json`), by uid, without its id."""
        found = {}
        for contact in self.store().contacts(include_dropped=True):
            doc = contact.to_json()
            del doc["id"]
            found[contact.uid] = doc
        return found

    def touches(self) -> dict[str, dict[str, Any]]:
        """The touches as the data model has them (what a log replaced stays with the copy
        that logged it, for its own unlog: exports leave it out)."""
        return {
            t.uid: {k: v for k, v in t.to_doc().items() if k != "replaced"}
            for t in self.store().touches()
        }


@pytest.fixture
def copies(tmp_store: Env, tmp_path: Path) -> tuple[Copy, Copy]:
    laptop = Copy(tmp_store.path, tmp_path / "laptop", FixedClock(NOW + timedelta(hours=1)))
    server = Copy(tmp_store.path, tmp_path / "server", FixedClock(NOW + timedelta(hours=2)))
    return laptop, server


def test_a_laptop_copy_and_a_server_copy_merge_field_by_field(
    capsys: pytest.CaptureFixture[str], copies: tuple[Copy, Copy]
) -> None:
    laptop, server = copies
    anna = next(c for c in laptop.store().contacts() if c.name == "Anna Berg")
    newest = max(laptop.store().touches(anna.uid), key=lambda t: t.at)
    # apart: the laptop renames Anna, gives Jonas a role, removes Anna's newest touch and
    # logs a call with Lena; later, the server drops Anna, moves Jonas to another company
    # and logs a call with Omar
    laptop.run(capsys, "edit", "Anna Berg", "--name", "Anna Lindqvist")
    laptop.run(capsys, "edit", "Jonas Weber", "--role", "Head of Purchasing")
    laptop.run(capsys, "unlog", "Anna Lindqvist", "--yes")
    laptop.run(capsys, "log", "Lena Fischer", "--via", "call", "--note", "from the laptop")
    server.run(capsys, "drop", "Anna Berg", "--reason", "went elsewhere", "--yes")
    server.run(capsys, "edit", "Jonas Weber", "--company", "Kaiser Freight")
    server.run(capsys, "log", "Omar Diaz", "--via", "email", "--note", "from the server")
    for copy in (laptop, server):
        copy.run(capsys, "export", "--output", str(copy.export_path))

    laptop.run(capsys, "import", str(server.export_path))
    server.run(capsys, "import", str(laptop.export_path))

    assert laptop.contacts() == server.contacts()
    assert laptop.touches() == server.touches()
    merged = laptop.store().contact(anna.uid)
    assert merged.name == "Anna Lindqvist", "the rename holds"
    assert merged.status == "dropped" and merged.drop_reason == "went elsewhere", "so does the drop"
    jonas = next(c for c in laptop.store().contacts() if c.name == "Jonas Weber")
    assert (jonas.role, jonas.company) == ("Head of Purchasing", "Kaiser Freight")
    notes = sorted(t.note for t in laptop.store().touches())
    assert notes.count("from the laptop") == 1 and notes.count("from the server") == 1
    assert newest.uid not in laptop.touches() and newest.uid not in server.touches()
    assert len(laptop.touches()) == 3, "Anna's older touch and the two new ones"
    assert newest.uid in server.store().removed_touches(), "the removal travelled"

    # importing the same copies again changes nothing, byte for byte
    before = laptop.files(), server.files()
    out = laptop.run(capsys, "import", str(server.export_path))
    assert out.startswith("0 new, 0 updated, 5 already here")
    server.run(capsys, "import", str(laptop.export_path))
    assert (laptop.files(), server.files()) == before

    # the copies' exports after the merge hold the same records, the removal included
    docs = []
    for copy in (laptop, server):
        copy.run(capsys, "export", "--output", str(copy.export_path))
        doc = json.loads(copy.export_path.read_bytes())
        del doc["exported_at"]
        docs.append(doc)
    assert docs[0] == docs[1]
    assert newest.uid in docs[0]["removed_touches"]
    # and they go on merging with nothing to change
    laptop.run(capsys, "import", str(server.export_path))
    server.run(capsys, "import", str(laptop.export_path))
    assert (laptop.files(), server.files()) == before


def test_a_touch_removed_on_one_copy_does_not_come_back_from_the_other(
    capsys: pytest.CaptureFixture[str], copies: tuple[Copy, Copy]
) -> None:
    laptop, server = copies
    laptop.run(capsys, "unlog", "Anna Berg", "--yes")
    kept = set(laptop.touches())
    server.run(capsys, "export", "--output", str(server.export_path))
    out = laptop.run(capsys, "import", str(server.export_path))
    assert set(laptop.touches()) == kept and "touches joined" not in out
    laptop.run(capsys, "export", "--output", str(laptop.export_path))
    out = server.run(capsys, "import", str(laptop.export_path))
    assert "1 touches removed" in out
    assert set(server.touches()) == kept


def test_a_database_file_imported_merges_field_by_field_too(
    capsys: pytest.CaptureFixture[str], copies: tuple[Copy, Copy]
) -> None:
    laptop, server = copies
    laptop.run(capsys, "edit", "Marco Rossi", "--role", "Owner")
    laptop.run(capsys, "unlog", "Anna Berg", "--yes")
    server.run(capsys, "edit", "Marco Rossi", "--email", "marco@example.org")
    server.run(capsys, "import", str(laptop.path))
    marco = next(c for c in server.store().contacts() if c.name == "Marco Rossi")
    assert (marco.role, marco.email) == ("Owner", "marco@example.org")
    assert len(server.touches()) == 1


def edited_export(copy: Copy, capsys: pytest.CaptureFixture[str], **fields: Any) -> Path:
    """The copy's export with Anna's record changed by hand (`fields`)."""
    copy.run(capsys, "export", "--output", str(copy.export_path))
    doc = orjson.loads(copy.export_path.read_bytes())
    anna = next(c for c in doc["contacts"] if c["name"] == "Anna Berg")
    for key, value in fields.items():
        if value is None:
            anna.pop(key, None)
        else:
            anna[key] = value
    copy.export_path.write_bytes(orjson.dumps(doc))
    return copy.export_path


def test_stamps_from_the_future_never_win(
    capsys: pytest.CaptureFixture[str], copies: tuple[Copy, Copy]
) -> None:
    laptop, server = copies
    laptop.run(capsys, "edit", "Anna Berg", "--role", "CTO")
    far = "9999-12-31T00:00:00+00:00"
    two_days = (server.clock.now() + timedelta(days=2)).isoformat()
    for stamp in (far, two_days):
        export = edited_export(
            server, capsys, role="Intern", company="Nowhere", updated_at=stamp,
            field_stamps={"role": stamp},
        )  # fmt: skip
        out = laptop.run(capsys, "import", str(export))
        anna = next(c for c in laptop.store().contacts() if c.name.startswith("Anna"))
        assert anna.role == "CTO", out
        assert anna.company == "Northwind Traders", "a stamp-less field: updated_at is too far"
    # within a day's slack it is a real edit, made a little later
    soon = (laptop.clock.now() + timedelta(hours=20)).isoformat()
    laptop.run(
        capsys,
        "import",
        str(edited_export(server, capsys, role="CEO", field_stamps={"role": soon})),
    )
    assert next(c for c in laptop.store().contacts() if c.name.startswith("Anna")).role == "CEO"


def test_a_record_stamped_in_the_future_loses_to_a_real_edit(
    capsys: pytest.CaptureFixture[str], copies: tuple[Copy, Copy]
) -> None:
    laptop, server = copies
    far = "9999-12-31T00:00:00+00:00"
    laptop.run(
        capsys, "import",
        str(edited_export(server, capsys, role="Intern", updated_at=far, field_stamps=None)),
    )  # fmt: skip
    anna = next(c for c in laptop.store().contacts() if c.name == "Anna Berg")
    assert anna.role == "", "the future record did not win"
    server2 = Copy(laptop.path, laptop.path.parent.parent / "third", laptop.clock)
    server2.run(capsys, "edit", "Anna Berg", "--role", "CTO")
    store = laptop.store()  # a hand-edited file: Anna stamped far in the future
    store.put_contact(replace(anna, updated_at=datetime.fromisoformat(far)))
    server2.run(capsys, "export", "--output", str(server2.export_path))
    laptop.run(capsys, "import", str(server2.export_path))
    assert laptop.store().contact(anna.uid).role == "CTO"


def test_an_old_export_without_stamps_merges_whole_records_by_updated_at(
    capsys: pytest.CaptureFixture[str], copies: tuple[Copy, Copy]
) -> None:
    laptop, server = copies
    server.run(capsys, "edit", "Anna Berg", "--role", "CTO", "--company", "Contoso")
    old = edited_export(server, capsys, field_stamps=None)
    assert b"field_stamps" not in old.read_bytes()
    laptop.run(capsys, "import", str(old))
    anna = next(c for c in laptop.store().contacts() if c.name == "Anna Berg")
    assert (anna.role, anna.company) == ("CTO", "Contoso")
    # an older whole record loses every field, as before stamps
    laptop.clock.advance(hours=5)
    laptop.run(capsys, "edit", "Anna Berg", "--goal", "Sign the pilot")
    stale = edited_export(server, capsys, field_stamps=None, role="Intern", company="Old Co")
    laptop.run(capsys, "import", str(stale))
    anna = next(c for c in laptop.store().contacts() if c.name == "Anna Berg")
    assert (anna.role, anna.company, anna.goal) == ("CTO", "Contoso", "Sign the pilot")


def test_every_write_path_stamps_the_fields_it_changes(tmp_store: Env) -> None:
    from store import actions, exporting

    store, clock = tmp_store.store, tmp_store.clock
    uid = tmp_store.uid("Anna Berg")
    clock.advance(hours=1)
    store.update_fields(uid, {"role": "CTO"})
    clock.advance(hours=1)
    store.update_fields(uid, {"company": "Contoso"})
    clock.advance(hours=1)
    touch = Touch(contact_uid=uid, at=clock.now(), channel="call", outcome="reached")
    store.log_fields(touch, {"next_step": "Send the contract"})
    clock.advance(hours=1)
    actions.drop(store, store.contact(uid), "went elsewhere")
    stamps = dict(store.contact(uid).field_stamps)
    assert stamps["role"] == (NOW + timedelta(hours=1)).isoformat()
    assert stamps["company"] == (NOW + timedelta(hours=2)).isoformat()
    assert stamps["next_step"] == (NOW + timedelta(hours=3)).isoformat()
    assert stamps["status"] == stamps["drop_reason"] == (NOW + timedelta(hours=4)).isoformat()
    assert (
        "name" not in stamps
        and stamps["*"] == tmp_store.contact("Anna Berg").created_at.isoformat()
    )
    # an undo is an edit of its own: the field it puts back is stamped when it is undone
    clock.advance(hours=1)
    write = store.update_fields(uid, {"goal": "Pilot"}, allow_dropped=True)
    clock.advance(hours=1)
    store.revert_fields(uid, write.written)
    assert dict(store.contact(uid).field_stamps)["goal"] == (NOW + timedelta(hours=6)).isoformat()
    # the stamps are kept in the file and in the export
    stored = Store(store.path, clock=clock)
    doc = next(d for d in stored.raw_contacts().values() if d["uid"] == uid)
    assert doc["field_stamps"] == dict(store.contact(uid).field_stamps)
    exported = orjson.loads(exporting.export(stored, "json"))
    assert (
        next(c for c in exported["contacts"] if c["uid"] == uid)["field_stamps"]
        == doc["field_stamps"]
    )


def test_only_usable_stamps_are_kept_from_another_copy(
    capsys: pytest.CaptureFixture[str], copies: tuple[Copy, Copy]
) -> None:
    laptop, server = copies
    soon = (server.clock.now()).isoformat()
    junk = {"role": soon, "nonsense": soon, "company": "yesterday", "goal": "2026-11-24T09:00"}
    laptop.run(capsys, "import", str(edited_export(server, capsys, role="CTO", field_stamps=junk)))
    anna = next(c for c in laptop.store().contacts() if c.name == "Anna Berg")
    assert anna.role == "CTO"
    assert set(dict(anna.field_stamps)) == {"role", "*"}


def test_a_write_keeps_the_stamps_of_the_fields_it_leaves(tmp_store: Env) -> None:
    store, clock = tmp_store.store, tmp_store.clock
    uid = tmp_store.uid("Anna Berg")
    clock.advance(hours=1)
    store.update_fields(uid, {"role": "CTO"})
    role_stamp = dict(store.contact(uid).field_stamps)["role"]
    clock.advance(hours=1)
    # a whole contact written without its stamps (an older snapshot): the role it does not
    # change keeps its stamp, the goal it changes is stamped now
    store.put_contact(replace(store.contact(uid), goal="Pilot", field_stamps=()))
    stamps = dict(store.contact(uid).field_stamps)
    assert stamps["role"] == role_stamp and stamps["goal"] == clock.now().isoformat()
