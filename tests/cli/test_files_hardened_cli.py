"""The command line against what real machines do: a FIFO or a device as a file (one
line, exit 1, no hang: run in a subprocess with a timeout), a folder that does not exist,
an unreadable touches file, and terminal cells and time zones in its output."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.model import Touch
from tests.cli.test_cli import FakeTerminal, Result, run_cli
from tests.conftest import NOW, Env
from tests.paths import ROOT
from tests.storage.test_files_hardened import a_device
from tui.cli import output as cli_output


def followup(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`followup ARGV...` in a new process; the timeout only stops a hang (the commands
    answer at once, a hang fails the test)."""
    full = dict(os.environ)
    full["FOLLOWUP_NOW"] = NOW.isoformat()
    full.pop("FOLLOWUP_DB", None)
    full.update(env or {})
    script = "import sys; from tui.cli.run import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", script, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
    )


def one_line(proc: subprocess.CompletedProcess[str], code: int) -> str:
    assert proc.returncode == code, proc
    assert proc.stderr.startswith("followup: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr


# -- 3. only regular files -----------------------------------------------------------------


def test_a_fifo_as_the_database_is_one_line_and_no_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for argv in (["list"], ["add", "Bruno Costa"]):
        err = one_line(followup("--db", str(fifo), *argv), 1)
        assert f"{fifo} is a pipe" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_as_the_touches_file_is_one_line_and_no_hang(tmp_store: Env) -> None:
    tmp_store.store.touches_path.unlink()
    os.mkfifo(tmp_store.store.touches_path)
    for argv in (["show", "Anna"], ["log", "Anna", "--outcome", "reached"]):
        err = one_line(followup("--db", str(tmp_store.path), *argv), 1)
        assert "is a pipe" in err
    assert stat.S_ISFIFO(os.lstat(tmp_store.store.touches_path).st_mode)


def test_a_device_as_the_database_is_one_line_and_never_replaced(tmp_path: Path) -> None:
    device = a_device(tmp_path)
    err = one_line(followup("--db", str(device), "add", "Bruno Costa"), 1)
    assert f"{device} is a device" in err
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_folder_as_the_touches_file_is_one_line(tmp_store: Env) -> None:
    tmp_store.store.touches_path.unlink()
    tmp_store.store.touches_path.mkdir()
    err = one_line(followup("--db", str(tmp_store.path), "log", "Anna", "--outcome", "reached"), 1)
    assert "is a folder" in err


# -- 7. a folder that does not exist -------------------------------------------------------------


def test_an_explicit_db_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    wanted = tmp_path / "typo" / "dir" / "x.json"
    err = one_line(followup("--db", str(wanted), "add", "Bruno Costa"), 2)
    assert "does not exist" in err and str(tmp_path / "typo" / "dir") in err
    assert not (tmp_path / "typo").exists(), "no folder is created"


def test_followup_db_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    wanted = tmp_path / "typo" / "x.json"
    err = one_line(followup("add", "Bruno Costa", env={"FOLLOWUP_DB": str(wanted)}), 2)
    assert "$FOLLOWUP_DB" in err and "does not exist" in err
    assert not (tmp_path / "typo").exists()


def test_the_default_data_folder_is_still_created(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    proc = followup("add", "Bruno Costa", env=env)
    assert proc.returncode == 0, proc
    assert (home / ".local" / "share" / "followup" / "followup.json").is_file()


# -- 8. exit 1 only when nothing was written ---------------------------------------------------


def test_next_with_an_unreadable_touches_file_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_store: Env
) -> None:
    before = tmp_store.path.read_bytes()
    tmp_store.store.touches_path.write_text("{not json")
    result = run_cli(capsys, tmp_store.path, tmp_store.clock, "next", "Anna", "Call back")
    assert result.code == 1 and "is not a followup journal" in result.err
    assert tmp_store.path.read_bytes() == before, "exit 1 means nothing was written"


# -- 8. relative labels in the current zone --------------------------------------------------


def _last_reply_line(capsys: pytest.CaptureFixture[str], env: Env, now: datetime) -> str:
    result: Result = run_cli(capsys, env.path, FixedClock(now), "show", "Anna")
    assert result.code == 0, result
    return next(line for line in result.out.splitlines() if "last reply" in line)


def test_a_past_reply_is_dated_in_the_current_zone(
    capsys: pytest.CaptureFixture[str], tmp_store: Env
) -> None:
    now = datetime(2026, 11, 24, 23, 0, tzinfo=timezone(timedelta(hours=1)))
    far_east = timezone(timedelta(hours=10))  # logged before a flight home
    anna = tmp_store.uid("Anna Berg")
    tmp_store.store.log_fields(
        Touch(
            contact_uid=anna,
            at=datetime(2026, 11, 25, 7, 0, tzinfo=far_east),  # 22:00 at home: the past
            channel="call",
            outcome="reached",
        ),
        {},
    )
    line = _last_reply_line(capsys, tmp_store, now)
    assert "last reply Tue 24 Nov 2026 (today)" in line, line
    assert "tomorrow" not in line


def test_a_reply_after_a_clock_set_back_is_never_in_n_days(
    capsys: pytest.CaptureFixture[str], tmp_store: Env
) -> None:
    anna = tmp_store.uid("Anna Berg")
    tmp_store.store.log_fields(
        Touch(contact_uid=anna, at=NOW + timedelta(days=29), channel="call", outcome="reached"), {}
    )
    line = _last_reply_line(capsys, tmp_store, NOW)
    assert "last reply Wed 23 Dec 2026" in line, line
    assert "in 29 days" not in line and "(" not in line.split("last reply")[1].split(";")[0]


# -- 8. widths in terminal cells ------------------------------------------------------------


def test_cells_counts_terminal_cells() -> None:
    assert cli_output.cells("Anna") == 4
    assert cli_output.cells("山田太郎") == 8
    assert cli_output.cells("🙂 Ok") == 5
    assert cli_output.cells("Zoe\u0308") == 3, "a combining mark takes no cell"
    assert cli_output.fit("山田太郎商事株式会社", 9) == "山田太..."
    assert cli_output.cells(cli_output.fit("山田太郎商事株式会社", 9)) <= 9


def test_rows_with_wide_names_stay_aligned_and_within_the_width(
    capsys: pytest.CaptureFixture[str], tmp_store: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.model import Contact

    tmp_store.store.add_many(
        [
            Contact(
                name="山田太郎",
                company="株式会社サンプル",
                next_step="資料を送る" * 10,
                created_at=NOW,
                updated_at=NOW,
            ),
            Contact(name="🙂 Emoji Person", company="Smile", created_at=NOW, updated_at=NOW),
        ]
    )
    monkeypatch.setattr("sys.stdout", FakeTerminal())  # a terminal 60 columns wide
    monkeypatch.setenv("COLUMNS", "60")
    contacts = tmp_store.store.contacts()
    rows = cli_output.contact_rows(contacts, ["today"] * len(contacts))
    assert all(cli_output.cells(row) <= 60 for row in rows), rows
    label_at = {cli_output.cells(row[: row.index("today")]) for row in rows}
    assert len(label_at) == 1, f"the label column starts at one cell for every row: {rows}"
