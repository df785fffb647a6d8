"""The `web` command on the command line: loaded only when it runs, its options checked
in one line, the secrets kept across restarts and replaced by --new-token, a warning for
a host other machines can reach."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT
from tests.web.server_proc import start
from tui.web.secrets import load_or_create
from tui.web.server import (
    Settings,
    app_environment,
    base_url,
    is_loopback,
    plain_http_warning,
)


def test_the_command_line_loads_no_server_until_web_runs() -> None:
    code = (
        "import json, sys\n"
        "import tui.cli.run, tui.entry\n"
        "tui.cli.run.build_parser(['web', '--help'])\n"
        "heavy = ('aiohttp', 'textual_serve', 'textual', 'tui.web.server')\n"
        "print(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--sessions", "0"], "--sessions: at least 1"),
        (["--port", "70000"], "--port: 70000 is not a port"),
        (["--public-url", "box.example"], "--public-url: give the whole address"),
        (["--port", "eighty"], "argument --port: invalid int value"),
    ],
)
def test_bad_options_are_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "f.json"), "web", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.startswith(f"followup: {says}") and run.stderr.count("\n") == 1
    assert run.stdout == ""
    assert not (tmp_path / "f.web-secrets.json").exists()  # nothing written


def test_restart_keeps_the_secrets_and_new_token_replaces_them(tmp_path: Path) -> None:
    db = tmp_path / "f.json"
    kept = load_or_create(db)  # as a first run left them
    again = start(db)
    again.stop()
    assert (again.token, again.key) == (kept.token, kept.feed_key)
    renewed = start(db, "--new-token")
    renewed.stop()
    assert renewed.token != kept.token and renewed.key != kept.feed_key
    assert load_or_create(db) == type(kept)(renewed.token, renewed.key)
    assert renewed.proc.stderr is not None
    assert renewed.proc.stderr.read() == b""  # loopback: no warning


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("box.example", False)],
)  # fmt: skip
def test_a_reachable_host_is_warned_about(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    warning = plain_http_warning(Settings(host=host))
    if loopback:
        assert warning is None
    else:
        assert warning is not None and "plain HTTP" in warning and "ssh -L" in warning


def test_the_printed_address() -> None:
    assert base_url(Settings(), 8765) == "http://127.0.0.1:8765"
    assert base_url(Settings(host="::1"), 8765) == "http://[::1]:8765"
    public = Settings(public_url="https://box.example/")
    assert base_url(public, 8765) == "https://box.example"


def test_the_web_dashboard_runs_only_under_the_web_driver(tmp_path: Path) -> None:
    """Started by hand on a pipe, it says what it is in one line (under `followup web`
    the same module draws the board: tests/web/test_sessions.py)."""
    run = subprocess.run(
        [sys.executable, "-m", "tui.web.dashboard", str(tmp_path / "f.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == "followup: this is the web view's dashboard; run followup web\n"
    assert not (tmp_path / "f.json").exists()


@pytest.mark.parametrize(
    ("environ", "lc_all"),
    [
        ({"LANG": "C"}, "C.UTF-8"),  # a browser draws every character, whatever the server's
        ({"LANG": "en_US.UTF-8"}, None),
        ({"LANG": "C", "FOLLOWUP_ASCII": "1"}, None),  # asked for plain: kept plain
    ],
)
def test_the_app_process_draws_for_a_browser(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], lc_all: str | None
) -> None:
    for name in ("LC_ALL", "LC_CTYPE", "LANG", "FOLLOWUP_ASCII", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    extra = app_environment()
    assert extra["TERM"] == "xterm-256color"
    assert extra.get("LC_ALL") == lc_all
