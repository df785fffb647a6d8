"""The `followup` program (tui/entry.py): a quick command ends without the interpreter's
teardown, and loses nothing by it; the rest exits the ordinary way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.model import Contact
from store.store import Store
from tests.conftest import NOW, Env
from tests.paths import ROOT

# The program as `followup` runs it, with an atexit handler that says whether the
# interpreter's own exit (and its teardown) happened.
SCRIPT = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('TEARDOWN\\n'))\n"
    "from tui.entry import run\n"
    "run()\n"
)


def _run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOLLOWUP_NOW": NOW.isoformat()}
    env.pop("FOLLOWUP_DB", None)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_quick_command_skips_the_teardown_and_keeps_its_output(tmp_store: Env) -> None:
    done = _run("--db", str(tmp_store.path), "log", "anna", "--via", "c")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("logged call with Anna Berg (reached)")
    assert "TEARDOWN" not in done.stderr
    assert len(Store(tmp_store.path).touches(tmp_store.uid("Anna Berg"))) == 3


def test_a_long_output_into_a_pipe_is_whole(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    Store(db, clock=FixedClock(NOW)).add_many(
        Contact(name=f"Person {n:04}", next_step="x" * 60, created_at=NOW, updated_at=NOW)
        for n in range(1, 2001)
    )  # far more than a pipe's buffer (64 KiB): stdout's buffer is flushed before the end
    done = _run("--db", str(db), "list", "--json")
    assert done.returncode == 0, done.stderr
    assert "TEARDOWN" not in done.stderr
    assert done.stdout.count('"name": "Person ') == 2000
    assert done.stdout.rstrip().endswith("]")


def test_an_error_keeps_its_exit_code_and_line(tmp_store: Env) -> None:
    done = _run("--db", str(tmp_store.path), "log", "#99", "--via", "c")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "followup: no contact #99\n"


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["log", "--help"]])
def test_help_and_version_exit_the_ordinary_way(tmp_store: Env, argv: list[str]) -> None:
    done = _run("--db", str(tmp_store.path), *argv)
    assert done.returncode == 0, done.stderr
    assert done.stdout
    if argv[0] != "log":  # no quick command named: the ordinary exit
        assert done.stderr == "TEARDOWN\n"


def test_the_dashboard_without_a_terminal_exits_the_ordinary_way(tmp_store: Env) -> None:
    done = _run("--db", str(tmp_store.path))
    assert done.returncode == 2
    assert done.stderr.endswith("TEARDOWN\n")
