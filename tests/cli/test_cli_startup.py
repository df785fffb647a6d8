"""What a quick command costs to start: modules it has no use for are never imported
(argparse's help width without shutil, the lock's helper thread only when it waits)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import NOW, Env
from tests.paths import ROOT
from tui.cli.help_format import columns
from tui.cli.run import main

NOT_NEEDED = ("shutil", "threading", "textual", "rich")


def _modules_after(*argv: str) -> set[str]:
    script = (
        "import sys\n"
        "from tui.cli.run import main\n"
        f"code = main({list(argv)!r})\n"
        "print(' '.join(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "FOLLOWUP_NOW": NOW.isoformat()}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines()[-1].split())


@pytest.mark.parametrize("argv", [["log", "anna", "--via", "c"], ["today"]])
def test_a_quick_command_imports_nothing_it_does_not_use(tmp_store: Env, argv: list[str]) -> None:
    _modules_after("--db", str(tmp_store.path), *argv)  # the day's backup is taken (shutil)
    modules = _modules_after("--db", str(tmp_store.path), *argv)
    assert "store.store" in modules  # the check sees what was imported
    assert sorted(m for m in NOT_NEEDED if m in modules) == []


@pytest.mark.parametrize("value", ["", "0", "-3", "wide", "57", "200"])
def test_the_help_width_is_the_one_shutil_finds(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("COLUMNS", value)
    assert columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize("argv", [["--help"], ["log", "--help"]])
@pytest.mark.parametrize("width", ["44", "70", "120"])
def test_help_reads_as_argparse_would_print_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], width: str, argv: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    assert main(argv) == 0
    ours = capsys.readouterr().out
    monkeypatch.setattr("tui.cli.parser.Formatter", argparse.HelpFormatter)  # shutil's width
    assert main(argv) == 0
    assert ours == capsys.readouterr().out
    assert max(len(line) for line in ours.splitlines()) <= int(width) - 2
