"""Export: JSON, CSV, ICS and vCard, and the atomic --output."""

from __future__ import annotations

import csv
import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from store import exporting, importing
from store.errors import DatabaseError, InputError
from store.model import Contact
from store.store import Store
from tests.conftest import NOW, Env


def test_csv_is_rfc4180_with_a_header_and_touch_columns(tmp_store: Env) -> None:
    store = tmp_store.store
    store.update_fields(
        tmp_store.uid("Anna Berg"), {"tags": ("vip", "q1"), "goal": 'Say "yes",\nthen sign'}
    )
    text = exporting.to_csv(store)
    assert text.startswith("uid,name,company,") and text.endswith("\r\n")
    assert text.count("\r\n") == 6  # header and five records, each ended by CRLF
    assert '"Say ""yes"",\nthen sign"' in text  # quoted, quotes doubled
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == list(exporting.CSV_COLUMNS)
    anna = next(r for r in rows if r["name"] == "Anna Berg")
    assert anna["tags"] == "vip; q1"
    assert anna["goal"] == 'Say "yes",\nthen sign'
    assert anna["touches"] == "2"
    assert anna["last_touch"].startswith((NOW.date() - timedelta(days=1)).isoformat())
    assert len(rows) == 5


def test_ics_passes_icalendar_and_vobject(tmp_store: Env) -> None:
    import vobject

    store = tmp_store.store
    store.update_fields(
        tmp_store.uid("Anna Berg"), {"goal": "Pilot " * 30, "next_step": "Send the deck ✓"}
    )
    data = exporting.to_ics(store)
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 4  # Lena has no next step
    anna = next(e for e in events if "Anna Berg" in str(e["SUMMARY"]))
    assert str(anna["SUMMARY"]) == "Follow up: Anna Berg - Send the deck ✓"
    assert anna["UID"] == f"{tmp_store.uid('Anna Berg')}@followup"
    assert anna.decoded("DTEND") - anna.decoded("DTSTART") == timedelta(days=1)
    assert "Company: Northwind Traders" in str(anna["DESCRIPTION"])
    assert "Last touch: 2026-11-23" in str(anna["DESCRIPTION"])
    vobject.readOne(data.decode()).validate()
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"DTSTART;VALUE=DATE:" in data and b"DTSTAMP:20261124T080000Z" in data
    assert b"VERSION:2.0" in data and b"PRODID:" in data


def test_ics_uids_are_stable_across_exports(tmp_store: Env) -> None:
    first = exporting.to_ics(tmp_store.store)
    tmp_store.clock.advance(days=1)
    second = exporting.to_ics(tmp_store.store)
    uids = [line for line in first.split(b"\r\n") if line.startswith(b"UID:")]
    assert uids == [line for line in second.split(b"\r\n") if line.startswith(b"UID:")]
    assert first != second  # DTSTAMP moved


def test_vcf_reimports_to_the_same_fields(tmp_store: Env, tmp_path: Path) -> None:
    store = tmp_store.store
    anna = {"email": "anna@northwind.example", "phone": "+46 8 123 45", "role": "Head of Ops"}
    store.update_fields(tmp_store.uid("Anna Berg"), {**anna, "tags": ("vip", "Nordics")})
    store.update_fields(tmp_store.uid("Marco Rossi"), {"company": "Rossi, Bianchi & Co; Milano"})
    data = exporting.export(store, "vcf")
    target = Store(tmp_path / "other.json", clock=tmp_store.clock)
    importing.run(target, importing.read_bytes(data, "export.vcf"))

    def fields(s: Store) -> list[tuple[object, ...]]:
        return sorted((c.name, c.company, c.role, c.email, c.phone, c.tags) for c in s.contacts())

    assert fields(target) == fields(store)


def test_json_export_holds_everything(tmp_store: Env) -> None:
    import orjson

    tmp_store.store.update_fields(tmp_store.uid("Omar Diaz"), {"status": "dropped"})
    doc = orjson.loads(exporting.to_json(tmp_store.store))
    assert doc["format"] == "followup-export"
    assert len(doc["contacts"]) == 5 and len(doc["touches"]) == 2
    assert doc["settings"]["daily_target"] == 15


def test_output_is_written_atomically(tmp_store: Env, tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    target.write_bytes(b"old")
    exporting.write_file(target, exporting.export(tmp_store.store, "ics"))
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []


def test_output_that_cant_be_written_leaves_the_old_file(
    tmp_store: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(DatabaseError, match="the disk is full"):
        exporting.write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".out.csv.")], "no temporary file"


def test_output_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        exporting.write_file(tmp_path / "nope" / "x.json", b"{}")


def test_unknown_format(empty_store: Store) -> None:
    with pytest.raises(InputError, match="choose from json, csv, ics, vcf"):
        exporting.export(empty_store, "xlsx")


def test_an_empty_database_exports_valid_files(empty_store: Store) -> None:
    Calendar.from_ical(exporting.to_ics(empty_store))
    assert exporting.to_csv(empty_store).count("\r\n") == 1
    assert exporting.export(empty_store, "vcf") == b""
    assert isinstance(Contact, type)


def test_the_quick_documents_are_the_model_documents(tmp_store: Env) -> None:
    from dataclasses import replace

    from store.model import Contact

    contacts = tmp_store.store.contacts()
    contacts.append(replace(contacts[0], tags=("a", "b"), value=12.5, cadence_days=9))
    contacts.append(Contact(name="X", created_at=NOW, updated_at=NOW, dropped_on=NOW.date()))
    for contact in contacts:
        assert exporting.contact_doc(contact) == contact.to_doc()
    for touch in tmp_store.store.touches():
        assert exporting.touch_doc(touch) == touch.to_doc()
