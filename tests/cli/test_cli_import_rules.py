"""Import's rules on the command line: a file from a newer schema is refused, an email
that is not one is reported with its row and left out, header spellings are read
(fixture store: tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from store.model import SCHEMA_VERSION
from tests.cli.test_cli import fresh
from tests.conftest import Env
from tests.paths import CORPUS

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "SOURCES.md").is_file(),
    reason=f"the shared import corpus is not at {CORPUS} (it is not part of the project)",
)


def _one_line_error(result: Any) -> None:
    assert result.code == 2, result.err
    assert result.out == ""
    assert result.err.startswith("followup: ") and result.err.count("\n") == 1


def _snapshot(env: Env) -> tuple[bytes, bytes]:
    return env.path.read_bytes(), env.store.touches_path.read_bytes()


def _export(cli: Any, tmp_path: Path) -> dict[str, Any]:
    target = tmp_path / "export.json"
    assert cli("export", "--output", str(target)).code == 0
    return dict(json.loads(target.read_text()))


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_export_from_a_newer_schema_is_refused(
    cli: Any, tmp_store: Env, tmp_path: Path, dry_run: bool
) -> None:
    doc = _export(cli, tmp_path)
    doc["schema_version"] = 99
    doc["contacts"].append({**doc["contacts"][0], "uid": "new-one", "name": "From The Future"})
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(doc))
    before = _snapshot(tmp_store)
    result = cli("import", str(newer), *(["--dry-run"] if dry_run else []))
    _one_line_error(result)
    assert "newer followup (schema 99" in result.err
    assert _snapshot(tmp_store) == before


def test_a_database_from_a_newer_schema_is_refused(
    cli: Any, tmp_store: Env, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps(
            {
                "meta": {"1": {"schema_version": SCHEMA_VERSION + 1}},
                "contacts": {"1": {"name": "Zed", "uid": "zed"}},
            }
        )
    )
    before = _snapshot(tmp_store)
    result = cli("import", str(other))
    _one_line_error(result)
    assert f"schema {SCHEMA_VERSION + 1}" in result.err
    assert _snapshot(tmp_store) == before


def test_an_export_of_this_schema_still_imports(cli: Any, tmp_store: Env, tmp_path: Path) -> None:
    doc = _export(cli, tmp_path)
    assert doc["schema_version"] == SCHEMA_VERSION
    same = tmp_path / "same.json"
    same.write_text(json.dumps(doc))
    result = cli("import", str(same))
    assert result.code == 0, result.err
    assert len(fresh(tmp_store).contacts()) == 5


# -- an email that is not one ------------------------------------------------------------


@pytest.mark.parametrize("email", ["anna.example.com", "anna @example.com", "anna@", "a@b@c.de"])
def test_add_refuses_an_email_that_is_not_one(cli: Any, tmp_store: Env, email: str) -> None:
    before = _snapshot(tmp_store)
    result = cli("add", "Dave Ng", "--email", email)
    _one_line_error(result)
    assert "is not an email address" in result.err
    assert _snapshot(tmp_store) == before


def test_edit_refuses_an_email_that_is_not_one(cli: Any, tmp_store: Env) -> None:
    before = _snapshot(tmp_store)
    result = cli("edit", "anna", "--email", "anna at northwind")
    _one_line_error(result)
    assert _snapshot(tmp_store) == before
    assert cli("edit", "anna", "--email", "anna@northwind.example").code == 0
    assert fresh(tmp_store).contact(tmp_store.uid("Anna Berg")).email == "anna@northwind.example"


def test_import_reports_an_email_that_is_not_one_and_imports_the_row(
    cli: Any, tmp_store: Env, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        "Name,Email,Phone\nDave Ng,dave at example dot com,+1 555 0101\nErin Ko,erin@example.com,\n"
    )
    result = cli("import", str(source))
    assert result.code == 0, result.err
    assert result.out == "2 new, 0 updated, 0 already here, 0 unreadable\n"
    assert (
        "note: people.csv: line 2: 'dave at example dot com' is not an email address "
        "(it has a space in it); left out"
    ) in result.err
    people = {c.name: c for c in fresh(tmp_store).contacts()}
    assert (people["Dave Ng"].email, people["Dave Ng"].phone) == ("", "+1 555 0101")
    assert people["Erin Ko"].email == "erin@example.com"


@needs_corpus
def test_the_corpus_card_whose_email_is_not_one_is_reported(cli: Any) -> None:
    """SOURCES.md: the macOS card has two `item.EMAIL` entries "email other"."""
    result = cli("import", str(CORPUS / "vcard30-macos-addressbook-org-semicolon-escapes.vcf"))
    assert result.code == 0, result.err
    assert "card 1: 'email other' is not an email address" in result.err
    assert result.out.startswith("1 new")


# -- header spellings ----------------------------------------------------------------------

SPELLINGS = {
    "snake": "first_name,last_name,email_address,company",
    "camel": "firstName,lastName,emailAddress,company",
    "kebab": "FIRST-NAME,LAST-NAME,E-MAIL,COMPANY",
    "dotted": "First.Name,Last.Name,E.Mail,Company",
}


@pytest.mark.parametrize("header", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_headers_are_read_however_spelt(
    cli: Any, tmp_store: Env, tmp_path: Path, header: str
) -> None:
    source = tmp_path / "people.csv"
    source.write_text(f"{header}\nDave,Ng,dave@example.com,Acme\n")
    result = cli("import", str(source))
    assert result.code == 0, result.err
    dave = next(c for c in fresh(tmp_store).contacts() if c.name == "Dave Ng")
    assert (dave.email, dave.company) == ("dave@example.com", "Acme")


def _respelt(header: str, spell: Any) -> str:
    return ",".join(spell(cell) for cell in header.split(","))


CORPUS_CSV = {
    "linkedin-connections-notes-preamble-1row.csv": ("utf-8", "First Name,"),
    "google-legacy-roundcube-4-emails-multiline-address.csv": ("utf-8", "Name,Given Name,"),
    "outlook2013-de-cp1252-crlf.csv": ("cp1252", '"Anrede","Vorname",'),
}


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_CSV)
@pytest.mark.parametrize(
    "spell",
    [
        lambda cell: cell.replace(" ", "_").lower(),
        lambda cell: cell.replace(" ", "-").upper(),
        lambda cell: "".join(w if i == 0 else w.capitalize() for i, w in enumerate(cell.split())),
    ],
    ids=["snake", "upper-kebab", "camel"],
)
def test_corpus_files_read_with_their_header_respelt(
    cli: Any, tmp_path: Path, name: str, spell: Any
) -> None:
    encoding, starts = CORPUS_CSV[name]
    original = (CORPUS / name).read_bytes().decode(encoding)
    lines = original.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(starts))
    ending = lines[at][len(lines[at].rstrip("\r\n")) :]
    lines[at] = _respelt(lines[at].rstrip("\r\n"), spell) + ending
    assert lines[at] != (CORPUS / name).read_bytes().decode(encoding).splitlines(True)[at]
    respelt = tmp_path / name
    respelt.write_bytes("".join(lines).encode(encoding))
    expected = cli("import", str(CORPUS / name), "--dry-run")
    result = cli("import", str(respelt), "--dry-run")
    assert result.code == 0, result.err
    assert expected.code == 0 and "would add: " in expected.out
    assert result.out == expected.out
