"""Every file of the shared import corpus, read by path (never copied: several are
GPL), with the counts and values its SOURCES.md gives; then imported twice, the
second time adding nothing.

The corpus lives beside the project (`<root>/../shared/import-corpus`). On a clone
without it these tests skip and say so; tests/store/test_import_formats.py covers every
format with the project's own fixtures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store import importing
from store.importing import Candidate
from store.store import Store
from tests.paths import CORPUS

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "SOURCES.md").is_file(),
    reason=f"the shared import corpus is not at {CORPUS} (it is not part of the project)",
)


def person(name: str = "", **fields: Any) -> dict[str, Any]:
    return {"name": name, **fields} if name else fields


# file -> (number of contacts, {index: expected fields}); emails lists the first ones
# in order; company/role exact.
EXPECTED: dict[str, tuple[int, dict[int, dict[str, Any]]]] = {
    "google-legacy-roundcube-4-emails-multiline-address.csv": (1, {0: person(
        "Prefix Firstname Middle Lastname Suffix", company="company", role="jobtitle",
        emails=("home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"),
        tags=("Test",))}),
    "google-legacy-tine20-multiline-address-crlf.csv": (5, {
        0: person("Ando", emails=(), phones=("+49227913452",)),
        3: person("axel gert", emails=("abc@here.de",), tags=("kunden",)),
        4: person("Bus Winsen")}),
    "google-export-outlook-format-2011-cp1252-crlf.csv": (7, {
        2: person("enrico.iko@abc.net", emails=("enrico.iko@abc.net",), phones=("0177-1111111",)),
        0: person("vorname.nachmane@googlemail.com", tags=("Freunde",)),
        5: person("siv ohne", emails=("siv.ohne@googlemail.com",)),
        6: person("siv.ohne@web.de")}),
    "linkedin-connections-notes-preamble-1row.csv": (1, {0: person(
        "Alex Rohrberg", company="Schneider Electric", role="Software Engineer", emails=())}),
    "outlook2013-de-cp1252-crlf.csv": (2, {
        0: person("Christian Baumann", emails=("c.baumann@unittest.de",), company="unittest",
                  role="Vertrieb"),
        1: person("Cornelius Weiß", emails=("c.weiss@unittest.de",), company="unittest",
                  phones=("0176 164321545",))}),
    "vcard21-android-qp-charset-6cards.vcf": (6, {
        0: person("john.doe@company.com", emails=("john.doe@company.com",)),
        4: person(emails=("bob@company.com",), phones=("123456",), company="ÑÑÑÑÑÑÑÑÑÑÑÑ"),
        5: person("ÑÑÑÑ", emails=("henry@company.com",))}),
    "vcard21-outlook2007-qp-note-photo-key.vcf": (1, {0: person(
        "Mr. Michael Angstadt Jr.", emails=("mike.angstadt@gmail.com",), company="TheCompany",
        role="TheJobTitle")}),
    "vcard21-outlook2003-org-comma-indented-key.vcf": (1, {0: person(
        "John Doe III", emails=("jdoe@hotmail.com",), company="Company, The",
        role="The Job Title")}),
    "vcard21-nokia-qp-soft-breaks.vcf": (1, {0: person(
        "Michael Brüning", emails=("ext-Michael.Bruning@nokia.com",),
        phones=("+491622433834", "017623384942", "+4973117546691"))}),
    "vcard21-evolution-qp-cjk.vcf": (1, {0: person(
        "十城目管理大型知座", company="十城目管理大型知座", emails=("weird@weird.com",))}),
    "vcard21-fn-without-n.vcf": (1, {0: person(
        "Hans Müller", emails=("hans@schiff.de",), company="Mein Schiff")}),
    "vcard30-gmail-3cards.vcf": (3, {
        0: person("Arnold Smith", emails=("asmithk@gmail.com",)),
        1: person("Chris Beatle", emails=("chrisy55d@yahoo.com",)),
        2: person("Doug White", emails=("dwhite@gmail.com",))}),
    "vcard30-gmail-item-labels-many-email-tel.vcf": (1, {0: person(
        "VCard Test", company="TheCompany", role="TheJobTitle")}),
    "vcard30-evolution-folded-escaped-note.vcf": (1, {0: person(
        "Mr. John Richter, James Doe Sr.", emails=("john.doe@ibm.com",), company="IBM")}),
    "vcard30-ios5-photo-base64-crcrlf-line-endings.vcf": (1, {0: person(
        "Mr. John Richter James Doe Sr.", emails=("john.doe@ibm.com",), company="IBM",
        role="Money Counter")}),
    "vcard30-macos-addressbook-org-semicolon-escapes.vcf": (1, {0: person(
        "Vorname Nachname", company="ORGANI,SATION",
        emails=("l.kneschke@metaways.de", "lars@kneschke.de"))}),
    "vcard30-thunderbird-sogo-connector.vcf": (1, {0: person(
        "Lars Kneschke", company="Organisation", role="Titel",
        emails=("l.kneschke@metaways.de", "lars@kneschke.de"))}),
    "vcard30-apple-macos-fn-differs-from-n-2cards.vcf": (2, {
        0: person("Some.One@telekom.de", emails=("some.one@mytine.de",)),
        1: person("der", emails=("der.der@mytine.de",))}),
    "vcard30-outlook-webdav-collaborator-agent.vcf": (1, {0: person(
        company="Firma", emails=("mail@example.com", "mail2@example.com", "mail3@example.com"))}),
    "vcard30-photo-base64-param-mixed-eol.vcf": (1, {0: person("Test Benutzer", emails=())}),
    "vcard40-fullcontact-export.vcf": (1, {0: person(
        "Prefix FirstName MiddleName LastName Suffix", company="Organization1")}),
    "vcard40-rfc6868-caret-label-param.vcf": (1, {0: person(
        "Dummy, Dummy", emails=("dummy.dummy@dummy.com",), company="Dummy GmbH")}),
    "broken-missing-end-vcard.vcf": (1, {0: person("second contact with minimal Vcard")}),
    "broken-truncated-mid-property.vcf": (1, {0: person(
        "Frank Dawson", company="Lotus Development Corporation")}),
    "broken-owncloud-utf8-split-across-fold.vcf": (1, {0: person(emails=())}),
    "broken-qp-address-line-break.vcf": (5, {
        0: person("Bike Shop"), 1: person("Field after Address broken"),
        2: person("Field after Address not broken"), 3: person("Dr. med. Surname Name"),
        4: person("Second Doctor")}),
    "broken-sogo-no-n-no-fn-2cards.vcf": (2, {
        0: person("test-misses-N-or-FN@example.com"),
        1: person("test-misses-N-or-FN@example1.com")}),
}  # fmt: skip


def _check(found: Candidate, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        got = getattr(found, key)
        if key in ("emails", "phones") and value:
            assert got[: len(value)] == value, (key, got)
        else:
            assert got == value, (key, got)


@needs_corpus
def test_the_corpus_is_the_one_described() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name != "SOURCES.md"}
    assert files == set(EXPECTED)


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name: str, tmp_path: Path, clock: Any) -> None:
    count, expected = EXPECTED[name]
    reading = importing.read_files([CORPUS / name])
    assert reading.problems == []
    assert len(reading.candidates) == count
    for index, fields in expected.items():
        _check(reading.candidates[index], fields)
    store = Store(tmp_path / "db.json", clock=clock)
    first = importing.run(store, reading)
    assert first.summary()["new"] + first.same == count
    again = importing.run(store, importing.read_files([CORPUS / name]))
    assert (len(again.new), len(again.updated), again.same) == (0, 0, count)
    assert len(store.contacts()) == len(first.new)


@needs_corpus
def test_the_owncloud_fold_inside_a_utf8_sequence_decodes() -> None:
    [card] = importing.read_files(
        [CORPUS / "broken-owncloud-utf8-split-across-fold.vcf"]
    ).candidates
    assert card.name.startswith("βγδεαβγδ1")
    assert "\ufffd" not in card.name


@needs_corpus
def test_truncated_cards_are_read_and_noted() -> None:
    reading = importing.read_files([CORPUS / "broken-truncated-mid-property.vcf"])
    assert [str(w) for w in reading.warnings] == [
        "broken-truncated-mid-property.vcf: card 1: no END:VCARD (cut short?); read as is"
    ]


@needs_corpus
def test_the_whole_corpus_twice_adds_nothing_the_second_time(tmp_path: Path, clock: Any) -> None:
    files = sorted(CORPUS / name for name in EXPECTED)
    store = Store(tmp_path / "db.json", clock=clock)
    first = importing.run(store, importing.read_files(files))
    total = sum(count for count, _ in EXPECTED.values())
    assert len(first.new) + len(first.updated) + first.same == total
    before = [c.to_doc() for c in store.contacts()]
    again = importing.run(store, importing.read_files(files))
    assert (len(again.new), len(again.updated), again.same) == (0, 0, total)
    assert [c.to_doc() for c in Store(tmp_path / "db.json", clock=clock).contacts()] == before
