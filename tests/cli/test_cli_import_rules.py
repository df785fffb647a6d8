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
