"""Only regular files are opened: a FIFO, a device or a folder where the journal, the touch
index or the lock belongs is one line at once, in every command (each run in a subprocess
with a timeout: a hang fails the test instead of stopping the suite)."""

from __future__ import annotations

import os
import pty
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_files_hardened_cli import followup, one_line
from tests.conftest import NOW, Env
from tests.paths import ROOT
from tests.storage.test_files_hardened import a_device

SCRIPT = "import sys; from tui.entry import main; sys.exit(main(sys.argv[1:]))"
READS = [
    ["today"],
    ["streak"],
    ["list"],
    ["show", "Anna"],
    ["stats"],
    ["export", "--format", "json"],
]
WRITES = [
    ["log", "Anna", "--outcome", "reached"],
    ["unlog", "Anna", "--yes"],
    ["next", "Anna", "Call back"],
    ["add", "Bruno Costa"],
]


def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "is a pipe"


def _folder(path: Path) -> str:
    path.mkdir()
    return "is a folder"


KINDS: dict[str, Callable[[Path], str]] = {"fifo": _fifo, "folder": _folder}


def _put(kind: str, path: Path) -> str:
    path.unlink(missing_ok=True)
    return KINDS[kind](path)


def _kind_of(path: Path) -> int:
    return os.lstat(path).st_mode


def _unchanged(path: Path, mode: int) -> None:
    assert stat.S_IFMT(os.lstat(path).st_mode) == stat.S_IFMT(mode), "it was replaced"


# a FIFO in every command (the hang); a folder in one reader and one writer
JOURNAL = [("fifo", argv) for argv in READS + WRITES] + [
    ("folder", ["today"]),
    ("folder", ["log", "Anna"]),
]
INDEX = [("fifo", argv) for argv in (["today"], ["show", "Anna"], *WRITES[:2])] + [
    ("folder", ["show", "Anna"])
]
LOCK = [("fifo", argv) for argv in WRITES] + [("folder", ["today"]), ("folder", ["log", "Anna"])]


def _ids(case: object) -> str:
    return "-".join(case) if isinstance(case, list) else str(case)


@pytest.mark.parametrize(("kind", "argv"), JOURNAL, ids=_ids)
def test_the_journal_not_a_file_is_one_line_in_every_command(
    tmp_store: Env, kind: str, argv: list[str]
) -> None:
    journal = tmp_store.store.touches_path
    said = _put(kind, journal)
    mode = _kind_of(journal)
    err = one_line(followup("--db", str(tmp_store.path), *argv), 1)
    assert said in err and str(journal) in err
    _unchanged(journal, mode)


@pytest.mark.parametrize(("kind", "argv"), INDEX, ids=_ids)
def test_the_touch_index_not_a_file_is_one_line(tmp_store: Env, kind: str, argv: list[str]) -> None:
    index = tmp_store.store.touches_path.with_name(tmp_store.store.touches_path.name + ".index")
    said = _put(kind, index)
    mode = _kind_of(index)
    err = one_line(followup("--db", str(tmp_store.path), *argv), 1)
    assert said in err and str(index) in err
    _unchanged(index, mode)


@pytest.mark.parametrize(("kind", "argv"), LOCK, ids=_ids)
def test_the_lock_not_a_file_is_one_line(tmp_store: Env, kind: str, argv: list[str]) -> None:
    lock = tmp_store.path.with_name(tmp_store.path.name + ".lock")
    said = _put(kind, lock)
    mode = _kind_of(lock)
    err = one_line(followup("--db", str(tmp_store.path), *argv), 1)
    assert said in err and str(lock) in err
    _unchanged(lock, mode)


def test_a_device_as_the_journal_is_one_line_and_never_replaced(tmp_store: Env) -> None:
    journal = tmp_store.store.touches_path
    device = a_device(tmp_store.path.parent)
    if device == Path("/dev/null"):
        pytest.skip("making a device node needs root")
    journal.unlink()
    os.rename(device, journal)
    said = "is a device"
    for argv in (["today"], ["log", "Anna", "--outcome", "reached"]):
        err = one_line(followup("--db", str(tmp_store.path), *argv), 1)
        assert said in err
    assert stat.S_ISCHR(os.lstat(journal).st_mode)


def test_the_dashboard_on_a_terminal_with_a_fifo_as_the_journal_is_one_line_at_once(
    tmp_store: Env,
) -> None:
    """`followup` on a terminal (a pty): the store is opened before the dashboard, so a
    FIFO as the journal is one line and exit 1, at once, with the terminal left alone."""
    journal = tmp_store.store.touches_path
    said = _put("fifo", journal)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT, "--db", str(tmp_store.path)],
            cwd=ROOT,
            stdin=follower,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "FOLLOWUP_NOW": NOW.isoformat(), "TERM": "xterm-256color"},
            timeout=60,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 1, proc
    assert proc.stderr.startswith("followup: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert said in proc.stderr and str(journal) in proc.stderr
    assert stat.S_ISFIFO(os.lstat(journal).st_mode)
