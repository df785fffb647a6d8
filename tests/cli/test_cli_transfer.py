"""`followup import` and `followup export` on the command line (in-process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from store.store import Store
from tests.cli.test_cli import Result, fresh, run_cli
from tests.conftest import Env
from tests.paths import IMPORT_FIXTURES as FIXTURES
from tests.paths import ROOT


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_store: Env) -> Any:
    def run(*argv: str) -> Result:
        return run_cli(capsys, tmp_store.path, tmp_store.clock, *argv)

    return run


def test_import_prints_the_summary_and_stores_the_contacts(cli: Any, tmp_store: Env) -> None:
    result = cli("import", str(FIXTURES / "vcard30.vcf"), str(FIXTURES / "linkedin.csv"))
    assert (result.code, result.out) == (0, "5 new, 0 updated, 0 already here, 0 unreadable\n")
    assert len(fresh(tmp_store).contacts()) == 10
    again = cli("import", str(FIXTURES / "vcard30.vcf"), str(FIXTURES / "linkedin.csv"))
    assert again.out == "0 new, 0 updated, 5 already here, 0 unreadable\n"


def test_import_json_summary(cli: Any) -> None:
    result = cli("import", str(FIXTURES / "outlook.csv"), "--json")
    assert result.code == 0
    assert result.json() == {
        "new": 1, "updated": 0, "already_here": 0, "unreadable": 0, "touches": 0,
        "without_first_follow_up": 0, "touches_removed": 0,
        "dry_run": False, "problems": [], "warnings": [],
    }  # fmt: skip


def test_import_dry_run_writes_nothing(cli: Any, tmp_store: Env) -> None:
    before = tmp_store.path.read_bytes()
    result = cli("import", str(FIXTURES / "google-2023.csv"), "--dry-run")
    # Jonas Weber is due tomorrow already: the least busy days come first.
    assert result.out == (
        "would add: Priya Raman (Ardent Robotics), first follow-up Thu 26 Nov 2026\n"
        "would add: Tom Okafor, first follow-up Fri 27 Nov 2026\n"
        "2 new, 0 updated, 0 already here, 0 unreadable (dry run: nothing written)\n"
    )
    assert tmp_store.path.read_bytes() == before


def test_import_heat_and_tag(cli: Any, tmp_store: Env) -> None:
    cli(
        "import",
        str(FIXTURES / "outlook-com.csv"),
        "--heat",
        "hot",
        "--tag",
        "expo",
        "--tag",
        "tokyo",
    )
    aiko = next(c for c in fresh(tmp_store).contacts() if c.name == "Aiko Tanaka")
    assert (aiko.heat, aiko.tags) == ("hot", ("expo", "tokyo"))


def test_import_reports_unreadable_cards_on_stderr(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "mixed.vcf"
    bad.write_bytes(
        b"BEGIN:VCARD\nFN:Ann \x1b[31mLee\nEMAIL:ann@lee.example\nEND:VCARD\n"
        b"BEGIN:VCARD\nNOTE:\x1b]0;owned\x07nothing\nEND:VCARD\n"
    )
    result = cli("import", str(bad))
    assert result.code == 0
    assert result.out == "1 new, 0 updated, 0 already here, 1 unreadable\n"
    assert result.err == "can't read: mixed.vcf: card 2: no name, email or phone\n"
    assert "\x1b" not in result.out + result.err


def test_import_bad_input_exits_2_and_writes_nothing(
    cli: Any, tmp_store: Env, tmp_path: Path
) -> None:
    before = tmp_store.path.read_bytes()
    missing = cli("import", str(tmp_path / "nope.csv"))
    assert (
        missing.code == 2 and missing.err.startswith("followup: ") and "no such file" in missing.err
    )
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes\n")
    unreadable = cli("import", str(junk))
    assert unreadable.code == 2 and "nothing was written" in unreadable.err
    bad_heat = cli("import", str(FIXTURES / "outlook.csv"), "--heat", "lukewarm")
    assert bad_heat.code == 2 and "--heat" in bad_heat.err
    assert tmp_store.path.read_bytes() == before


def test_export_json_to_stdout_and_back(
    tmp_store: Env, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    from tui.cli.run import main

    capsysbinary.readouterr()
    assert main(["export", "--db", str(tmp_store.path)], clock=tmp_store.clock) == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert len(doc["contacts"]) == 5 and len(doc["touches"]) == 2


def test_export_every_format_to_a_file(cli: Any, tmp_store: Env, tmp_path: Path) -> None:
    for fmt in ("json", "csv", "ics", "vcf"):
        target = tmp_path / f"out.{fmt}"
        result = cli("export", "--format", fmt, "--output", str(target))
        assert result.code == 0 and result.out == ""
        assert result.err == f"exported 5 contacts to {target} ({fmt})\n"
        assert target.stat().st_size > 100
    other = Store(tmp_path / "copy.json", clock=tmp_store.clock)
    result = run_cli_import(other, tmp_path / "out.json")
    assert result == 0
    copy = Store(tmp_path / "copy.json", clock=tmp_store.clock)
    assert sorted(c.uid for c in copy.contacts()) == sorted(
        c.uid for c in fresh(tmp_store).contacts()
    )


def run_cli_import(store: Store, path: Path) -> int:
    from tui.cli.run import main

    return main(["import", str(path), "--db", str(store.path)], clock=store.clock)  # type: ignore[arg-type]


def test_export_bad_format_or_folder_exits_2(cli: Any, tmp_path: Path) -> None:
    assert cli("export", "--format", "xlsx").code == 2
    result = cli("export", "--output", str(tmp_path / "no" / "x.json"))
    assert result.code == 2 and "does not exist" in result.err


@pytest.mark.parametrize("argv", [["import", "FILE"], ["export", "--format", "ics"]])
def test_import_and_export_load_no_textual(tmp_store: Env, argv: list[str]) -> None:
    argv = [str(FIXTURES / "vcard40.vcf") if a == "FILE" else a for a in argv]
    code = (
        "import io, sys, contextlib\nfrom tui.cli.run import main\nq = io.StringIO()\n"
        "with contextlib.redirect_stderr(q):\n"
        f"    code = main({[*argv, '--db', str(tmp_store.path)]!r})\n"
        "print(code, any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.stdout.strip().splitlines()[-1] == "0 False"
