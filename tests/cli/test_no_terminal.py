"""The dashboard without a terminal (`followup > out.txt < /dev/null`, `followup | cat`):
one line on stderr, exit 2, at once, and no escape code written anywhere."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.paths import ROOT

MESSAGE = b"followup: the dashboard needs a terminal; try followup today\n"


def followup(tmp_path: Path, *, stdin_tty: bool, stdout_tty: bool) -> tuple[int, bytes, bytes]:
    """Run `followup --db ...` with stdin and stdout each a terminal or not; the exit
    status, what it wrote to stdout (a file, or the terminal) and to stderr."""
    opened = []
    master = slave = -1
    if stdin_tty or stdout_tty:
        master, slave = pty.openpty()
        opened += [master, slave]
    out_file = tmp_path / "out.txt"
    with open(os.devnull, "rb") as devnull, out_file.open("wb") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "f.json")],
            cwd=ROOT,
            stdin=slave if stdin_tty else devnull,
            stdout=slave if stdout_tty else out,
            stderr=subprocess.PIPE,
            env={**os.environ, "FOLLOWUP_NOW": NOW.isoformat(), "TERM": "xterm-256color"},
            timeout=30,  # "at once": a dashboard waiting for keys would hang here
        )
    written = out_file.read_bytes()
    if stdout_tty:
        os.close(slave)
        opened.remove(slave)
        chunks = []
        try:
            while chunk := os.read(master, 65536):
                chunks.append(chunk)
        except OSError:
            pass
        written = b"".join(chunks)
    for fd in opened:
        os.close(fd)
    return proc.returncode, written, proc.stderr


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty"),
    [(False, False), (True, False), (False, True)],
    ids=["redirected-both", "piped-stdout", "no-stdin"],
)
def test_the_dashboard_off_a_terminal_says_so_in_one_line(
    tmp_path: Path, stdin_tty: bool, stdout_tty: bool
) -> None:
    code, written, err = followup(tmp_path, stdin_tty=stdin_tty, stdout_tty=stdout_tty)
    assert code == 2
    assert err == MESSAGE
    assert written == b""  # not a byte on stdout, so no escape code either
    assert not (tmp_path / "f.json").exists()  # refused before the database was opened


def test_a_quick_command_off_a_terminal_still_works(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "f.json"), "today"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={**os.environ, "FOLLOWUP_NOW": NOW.isoformat()},
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in proc.stdout
