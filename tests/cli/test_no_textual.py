"""The quick command-line path and the store never import Textual (DESIGN.md: a quick
`followup log` stays fast). Each check runs in a fresh interpreter and reads sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, Env
from tests.paths import ROOT

_REPORT = """
import json, sys
{body}
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({{"code": code, "textual": loaded, "rich": "rich" in sys.modules}}))
"""


def _run(body: str, env_db: Path | None = None) -> dict[str, object]:
    env = {"PATH": "/usr/bin:/bin", "FOLLOWUP_NOW": NOW.isoformat(), "HOME": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _REPORT.format(body=body)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    report: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "anna", "--via", "e", "--next", "Send the deck", "--due", "fri"],
        ["today"],
        ["today", "--json"],
        ["add", "New Person", "--due", "dec 3"],
        ["streak"],
        ["list"],
        ["show", "anna"],
        ["edit", "anna", "--role", "CEO", "--json"],
        ["unlog", "anna", "--yes"],
        ["config", "rest-days", "none"],
        ["completion", "bash"],
    ],
)
def test_quick_commands_load_no_textual(tmp_store: Env, argv: list[str]) -> None:
    _assert_no_textual("tui.cli.run", [*argv, "--db", str(tmp_store.path)])


@pytest.mark.parametrize("argv", [["log", "anna", "--via", "e"], ["today"]])
def test_the_program_loads_no_textual_for_a_quick_command(tmp_store: Env, argv: list[str]) -> None:
    """The same through the one entry point (`followup`, tui/entry.py), which hands the
    command line the dashboard."""
    _assert_no_textual("tui.entry", [*argv, "--db", str(tmp_store.path)])


def _assert_no_textual(module: str, argv: list[str]) -> None:
    """`module`'s `main(argv)`, quiet, in a fresh interpreter: done, and neither Textual
    nor rich loaded."""
    body = (
        "import io, contextlib\n"
        f"from {module} import main\n"
        "quiet = io.StringIO()\n"
        "with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):\n"
        f"    code = main({argv!r})\n"
    )
    report = _run(body)
    assert report["code"] == 0
    assert report["textual"] == []
    assert report["rich"] is False


def test_log_really_wrote(tmp_store: Env) -> None:
    """The subprocess above is not a no-op: the same body writes the touch."""
    before = len(tmp_store.store.touches())
    argv = ["log", "marco", "--db", str(tmp_store.path)]
    body = f"from tui.cli.run import main\ncode = main({argv!r})\n"
    assert _run(body)["code"] == 0
    tmp_store.store.sync()
    assert len(tmp_store.store.touches()) == before + 1


def test_import_store_loads_no_textual() -> None:
    body = (
        "import store, store.store, store.model, store.demo, store.engine.paths\n"
        "import store.rules.cadence, store.rules.streak, store.rules.nudges, store.rules.stats\n"
        "import store.rules.names, store.rules.dates, store.rules.text\n"
        "import store.actions, store.rules.format, store.rules.settings_keys, store.rules.values\n"
        "code = 0\n"
    )
    report = _run(body)
    assert report["textual"] == []


def test_the_check_can_fail() -> None:
    """Importing the dashboard does load Textual, so the checks above can see it."""
    report = _run("import tui.app\ncode = 0\n")
    assert report["textual"] != []
