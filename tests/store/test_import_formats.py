"""Each import format, on the project's own small fixtures (tests/fixtures/import):
what is read from each file, line-end and encoding damage, and cards that can't be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import importing
from store.importing import Candidate
from tests.paths import IMPORT_FIXTURES as FIXTURES


def read(name: str) -> list[Candidate]:
    reading = importing.read_files([FIXTURES / name])
    assert reading.problems == []
    return reading.candidates


def summary(c: Candidate) -> tuple[str, str, str, str, str, tuple[str, ...]]:
    return (c.name, c.company, c.role, c.email, c.phone, c.tags)


def test_google_2023_csv_primary_email_first_and_everyone_labels_dropped() -> None:
    priya, tom = read("google-2023.csv")
    assert summary(priya) == (
        "Priya Raman", "Ardent Robotics", "Head of Sales", "PRIYA@home.example",
        "+44 7700 900123", ("Conference 2025",),
    )  # fmt: skip
    assert priya.emails == ("PRIYA@home.example", "priya.raman@ardent.example")
    assert summary(tom) == ("Tom Okafor", "", "", "", "+1 (415) 555-0134", ())


def test_google_legacy_csv() -> None:
    [greta] = read("google-legacy.csv")
    assert summary(greta) == (
        "Greta Lind", "Lindqvist AB", "CFO", "greta.lind@mail.example", "+46 70 123 45 67",
        ("Clients",),
    )  # fmt: skip


def test_outlook_csv_title_is_the_prefix_and_job_title_the_role() -> None:
    [daniel] = read("outlook.csv")
    assert summary(daniel) == (
        "Mr. Daniel Moreau", "Vauban Conseil", "Partner", "daniel.moreau@vauban.example",
        "+33 6 12 34 56 78", ("Partners", "Paris"),
    )  # fmt: skip


def test_outlook_com_csv() -> None:
    [aiko] = read("outlook-com.csv")
    assert summary(aiko) == (
        "Aiko Tanaka", "Kumo Systems", "CTO", "aiko.tanaka@kumo.example", "+81 3 1234 5678", (),
    )  # fmt: skip


def test_german_outlook_csv_in_cp1252() -> None:
    [jurgen] = read("outlook-de.csv")
    assert summary(jurgen) == (
        "Jürgen Weiß", "Bäckerei Weiß", "Inhaber", "j.weiss@baeckerei.example", "0171 2345678",
        ("Lieferanten",),
    )  # fmt: skip


def test_linkedin_with_preamble_quotes_spaces_hidden_members_and_emoji() -> None:
    reading = importing.read_files([FIXTURES / "linkedin.csv"])
    assert reading.problems == [] and reading.warnings == []  # the hidden member is skipped
    assert [summary(c) for c in reading.candidates] == [
        ("Sofia Alvarez", "Lumen, Inc.", "VP, Partnerships", "", "", ()),
        ("Kenji Watanabe", 'The "Best" Co', "Engineer", "kenji@watanabe.example", "", ()),
        ("Zoë 🌟 李", "Café Noir", "Owner", "", "", ()),
    ]
    assert [c.where for c in reading.candidates] == [
        "linkedin.csv: line 5", "linkedin.csv: line 7", "linkedin.csv: line 8",
    ]  # fmt: skip


def test_linkedin_resaved_without_preamble() -> None:
    [marta] = read("linkedin-resaved.csv")
    assert summary(marta) == ("Marta Nowak", "Polar Freight", "Logistics Lead", "", "", ())


def test_any_csv_with_a_name_and_a_phone() -> None:
    [ines] = read("generic.csv")
    assert summary(ines) == ("Ines Duarte", "Duarte & Filhos", "", "", "+351 912 345 678", ())


def test_vcard21_quoted_printable_soft_break_org_comma_and_bad_photo() -> None:
    jorg, nameless = read("vcard21-qp.vcf")
    assert summary(jorg) == (
        "Jörg Müller", "Company, The", "Buyer", "joerg@company.example", "+49 151 2345678", (),
    )  # fmt: skip
    assert nameless.name == "nobody@nameless.example"  # no FN, no N: the email names it


def test_vcard30_bom_folding_escapes_pref_and_categories() -> None:
    claire, piotr = read("vcard30.vcf")
    assert summary(claire) == (
        "Claire Dubois", "Atelier Dubois, Lyon", "Creative Director",
        "claire.dubois@mail.example", "+33 4 72 00 00 00", ("Designers",),
    )  # fmt: skip
    assert piotr.name == "Piotr Kowalski"  # from N when there is no FN


def test_vcard40() -> None:
    [amara] = read("vcard40.vcf")
    assert summary(amara) == (
        "Amara Nwosu", "Sahel Energy", "Project Manager", "amara@sahel.example",
        "+234-803-000-0000", ("Energy",),
    )  # fmt: skip


def test_vcard_in_cp1252() -> None:
    [rene] = read("vcard-cp1252.vcf")
    assert summary(rene)[:4] == ("René Müller", "Café Zürich", "", "rene@cafe.example")


@pytest.mark.parametrize("eol", [b"\r\n", b"\r\r\n", b"\r", b"\n"])
def test_vcard_line_ends(eol: bytes) -> None:
    raw = (FIXTURES / "vcard30.vcf").read_bytes().replace(b"\r\n", b"\n")
    reading = importing.read_bytes(raw.replace(b"\n", eol), "x.vcf")
    assert [c.email for c in reading.candidates] == [
        "claire.dubois@mail.example",
        "piotr@kowalski.example",
    ]


def test_vcard_mixed_line_ends() -> None:
    lines = (FIXTURES / "vcard30.vcf").read_bytes().split(b"\r\n")
    raw = b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines))
    assert len(importing.read_bytes(raw, "x.vcf").candidates) == 2


def test_utf8_split_by_a_fold_is_joined_before_decoding() -> None:
    name = "Борис Ёлкин".encode()
    raw = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name[:5] + b"\r\n " + name[5:] + b"\r\nEND:VCARD\r\n"
    )
    [card] = importing.read_bytes(raw, "x.vcf").candidates
    assert card.name == "Борис Ёлкин"


def test_a_card_that_cant_be_read_is_reported_and_the_others_imported() -> None:
    good = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEMAIL:ann@lee.example\nEND:VCARD\n"
    empty = b"BEGIN:VCARD\nVERSION:3.0\nNOTE:nothing to go on\nEND:VCARD\n"
    reading = importing.read_bytes(good + empty + good.replace(b"Ann", b"Bob"), "mixed.vcf")
    assert [c.name for c in reading.candidates] == ["Ann Lee", "Bob Lee"]
    assert [str(p) for p in reading.problems] == ["mixed.vcf: card 2: no name, email or phone"]


def test_a_csv_without_a_contact_header_is_reported() -> None:
    reading = importing.read_bytes(b"date,amount\n2026-01-01,12\n", "bank.csv")
    assert reading.candidates == []
    assert [p.file for p in reading.problems] == ["bank.csv"]


def test_format_is_read_by_content_not_extension(tmp_path: Path) -> None:
    renamed = tmp_path / "contacts.txt"
    renamed.write_bytes((FIXTURES / "vcard40.vcf").read_bytes())
    csv_named_vcf = tmp_path / "people.vcf"
    csv_named_vcf.write_bytes((FIXTURES / "generic.csv").read_bytes())
    reading = importing.read_files([renamed, csv_named_vcf])
    assert [c.name for c in reading.candidates] == ["Amara Nwosu", "Ines Duarte"]


def test_a_vcard21_agent_holding_its_own_card_is_not_a_second_contact() -> None:
    raw = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss Person\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"FN:Assistant\r\nEND:VCARD\r\nEMAIL:boss@corp.example\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Next One\r\nEND:VCARD\r\n"
    )
    reading = importing.read_bytes(raw, "agent.vcf")
    assert [(c.name, c.email) for c in reading.candidates] == [
        ("Boss Person", "boss@corp.example"),
        ("Next One", ""),
    ]
