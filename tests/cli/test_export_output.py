"""Where `followup export --output` writes, in a new process as a user runs it: never
over one of the database's own files (through any link), into a FIFO or a device
(never replacing it), and a regular file through the one atomic write (no link planted
at its temporary name is followed)."""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.engine import backup
from store.store import Store
from tests.cli.test_cli import run_cli
from tests.cli.test_files_hardened_cli import followup, one_line
from tests.conftest import NOW, Env
from tests.paths import ROOT
from tests.storage.test_files_hardened import a_device


def snapshot(folder: Path) -> dict[str, tuple[bytes | str, int]]:
    """Every file under `folder`: its bytes (a link: where it points) and its inode."""
    found: dict[str, tuple[bytes | str, int]] = {}
    for path in sorted(folder.rglob("*")):
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            found[str(path)] = (os.readlink(path), st.st_ino)
        elif stat.S_ISREG(st.st_mode):
            found[str(path)] = (path.read_bytes(), st.st_ino)
    return found


@pytest.fixture
def db(tmp_store: Env) -> Path:
    """A database with its journal, index, lock and a backup (a second day's write)."""
    later = Store(tmp_store.path, clock=FixedClock(NOW))
    later.update_fields(tmp_store.uid("Anna Berg"), {"role": "CTO"})
    for touch in later.touches():  # the journal's index is written when the touches are read
        assert touch.uid
    assert backup.backups_of(tmp_store.path), "a backup was taken before the day's write"
    return tmp_store.path


def own_files(db: Path) -> dict[str, Path]:
    return {
        "the database": db,
        "the journal": db.with_name("followup.touches.jsonl"),
        "the lock": db.with_name("followup.json.lock"),
        "the index": db.with_name("followup.touches.jsonl.index"),
        "a backup": backup.backups_of(db)[0],
    }


def test_export_refuses_every_file_of_the_database(db: Path) -> None:
    files = own_files(db)
    assert all(path.exists() for path in files.values()), files
    before = snapshot(db.parent)
    for what, path in files.items():
        for fmt in ("json", "csv"):
            proc = followup("--db", str(db), "export", "--format", fmt, "--output", str(path))
            err = one_line(proc, 2)
            assert "own file" in err and "nothing was written" in err, what
    assert snapshot(db.parent) == before


def test_export_refuses_the_database_through_a_symlink_or_a_hard_link(
    db: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    soft = elsewhere / "export.json"
    soft.symlink_to(db)
    journal_link = elsewhere / "touches.csv"
    journal_link.symlink_to(db.with_name("followup.touches.jsonl"))
    folder_link = elsewhere / "data"
    folder_link.symlink_to(db.parent, target_is_directory=True)
    hard = elsewhere / "hard.json"
    os.link(db, hard)
    before = snapshot(tmp_path)
    for target in (soft, journal_link, folder_link / "followup.json", hard):
        one_line(followup("--db", str(db), "export", "--output", str(target)), 2)
    # the database named through a link of its own is refused as well
    one_line(followup("--db", str(soft), "export", "--output", str(db)), 2)
    assert snapshot(tmp_path) == before
    assert followup("--db", str(db), "list").returncode == 0


def test_a_fifo_is_written_into_and_stays_a_fifo(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc = followup("--db", str(db), "export", "--output", str(fifo))
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    doc = json.loads(received[0])
    assert len(doc["contacts"]) == 5


def test_a_character_device_is_written_into_and_stays_a_device(db: Path, tmp_path: Path) -> None:
    device = a_device(tmp_path)
    proc = followup("--db", str(db), "export", "--format", "csv", "--output", str(device))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert not list(device.parent.glob(f".{device.name}.*")), "no temporary file left"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root could replace /dev/null")
def test_dev_null_is_written_into_and_still_a_character_device(db: Path) -> None:
    before = os.lstat("/dev/null")
    proc = followup("--db", str(db), "export", "--output", "/dev/null")
    assert proc.returncode == 0, proc.stderr
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_dev_stdout_is_written_into_a_pipe_and_a_file_without_replacing_it(
    db: Path, tmp_path: Path
) -> None:
    proc = followup("--db", str(db), "export", "--output", "/dev/stdout")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["contacts"]) == 5
    out = tmp_path / "out.json"
    out.write_bytes(b"")
    inode = out.stat().st_ino
    script = "import sys; from tui.cli.run import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "FOLLOWUP_NOW": NOW.isoformat()}
    with open(out, "wb") as stdout:
        code = subprocess.run(
            [sys.executable, "-c", script, "--db", str(db), "export", "--output", "/dev/stdout"],
            cwd=ROOT,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        ).returncode
    assert code == 0
    assert out.stat().st_ino == inode, "the file behind stdout is written into, not replaced"
    assert len(json.loads(out.read_bytes())["contacts"]) == 5


def test_a_folder_is_refused(db: Path, tmp_path: Path) -> None:
    err = one_line(followup("--db", str(db), "export", "--output", str(tmp_path)), 2)
    assert "is a folder" in err


def test_a_link_planted_at_the_temporary_name_is_never_followed(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_store: Env,
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    target = tmp_path / "out.json"
    names = iter(["planted", "planted", "fresh"])  # the random part of each temporary name
    monkeypatch.setattr(secrets, "token_hex", lambda _n: next(names))
    planted = tmp_path / ".out.json.planted.tmp"
    planted.symlink_to(victim)
    result = run_cli(capsys, tmp_store.path, tmp_store.clock, "export", "--output", str(target))
    assert result.code == 0, result.err
    assert victim.read_bytes() == b"keep me"
    assert planted.is_symlink()
    assert len(json.loads(target.read_bytes())["contacts"]) == 5
    assert not (tmp_path / ".out.json.fresh.tmp").exists()


def test_a_link_to_a_regular_file_stays_a_link(db: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    proc = followup("--db", str(db), "export", "--output", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and len(json.loads(real.read_bytes())["contacts"]) == 5


def test_a_terminal_named_as_output_is_shown_clean_text(tmp_store: Env, tmp_path: Path) -> None:
    raw = tmp_store.path.read_bytes()  # a file edited by hand: an escape sequence in it
    tmp_store.path.write_bytes(raw.replace(b"Send the pricing deck", b"\\u001b]0;owned\\u0007"))
    assert (
        "\x1b"
        in Store(tmp_store.path, clock=tmp_store.clock)
        .contact(tmp_store.uid("Anna Berg"))
        .next_step
    )
    main_fd, terminal_fd = os.openpty()
    try:
        proc = followup(
            "--db", str(tmp_store.path), "export", "--format", "csv",
            "--output", os.ttyname(terminal_fd),
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        shown = b""
        while b"Omar Diaz" not in shown:
            shown += os.read(main_fd, 65536)
    finally:
        os.close(terminal_fd)
        os.close(main_fd)
    assert b"Anna Berg" in shown and b"\x1b" not in shown and b"\x07" not in shown
