"""The main file and the journal as a pair, damage never dropped in silence, and exit 1
meaning nothing changed, from the command line (in-process and in real subprocesses).

The fixture database (tests/conftest.py) holds five contacts and two touches of Anna
Berg; the journal is its header, then one batch of two lines.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from store.engine.paths import journal_path
from store.model import Contact, Touch
from store.store import Store
from tests.cli.test_files_hardened_cli import followup, one_line
from tests.conftest import NOW, Env
from tests.paths import ROOT

# every command that reads or writes the touches, and two that read only the contacts
COMMANDS: list[tuple[str, ...]] = [
    ("show", "Anna"),
    ("log", "Anna", "--note", "after the damage"),
    ("unlog", "Anna", "--yes"),
    ("today",),
    ("streak",),
    ("export",),
    ("list",),
    ("next", "Jonas", "Send the form"),
]


def _files(env: Env) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (env.path, journal_path(env.path)) if p.exists()}


def _log(cli: Any, count: int, name: str = "Jonas", size: int = 0) -> None:
    for n in range(count):
        assert cli("log", name, "--note", f"call {n} ".ljust(size, "x")).code == 0


def _refused(cli: Any, env: Env, argv: tuple[str, ...], *needles: str) -> str:
    """`argv` exits 1 with one line holding every needle, and changes no byte."""
    before = _files(env)
    result = cli(*argv)
    assert result.code == 1, (argv, result)
    assert result.err.startswith("followup: ") and result.err.count("\n") == 1, result.err
    for needle in needles:
        assert needle in result.err, (argv, result.err)
    assert _files(env) == before, argv
    return str(result.err)


def _flip_in_line(path: Path, number: int) -> None:
    """Change one byte inside the JSON of line `number` (1-based): its check fails."""
    lines = path.read_bytes().split(b"\n")
    line = bytearray(lines[number - 1])
    at = line.index(b'"', 12) + 1  # inside the first key after `CCCCCCCC {"`
    line[at] = ord("Z") if line[at] != ord("Z") else ord("Y")
    lines[number - 1] = bytes(line)
    path.write_bytes(b"\n".join(lines))


def _line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n")


# -- 3. damage is never dropped in silence -------------------------------------------------


def test_a_byte_changed_in_the_last_complete_line_is_refused_by_every_command(
    cli: Any, tmp_store: Env
) -> None:
    _log(cli, 2)
    journal = journal_path(tmp_store.path)
    last = _line_count(journal)
    _flip_in_line(journal, last)
    for argv in COMMANDS:
        _refused(cli, tmp_store, argv, str(journal), f"line {last} is damaged")


@pytest.mark.parametrize("size", [0, 8000], ids=["small", "beyond a quick read's tail"])
def test_garbage_in_a_middle_line_is_refused_by_readers_and_writers(
    cli: Any, tmp_store: Env, size: int
) -> None:
    _log(cli, 10, size=size)
    journal = journal_path(tmp_store.path)
    _flip_in_line(journal, 3)
    for argv in (("show", "Jonas"), ("log", "Jonas"), ("unlog", "Jonas", "--yes"), ("export",)):
        _refused(cli, tmp_store, argv, str(journal), "line 3 is damaged")  # a line of Anna's


def test_a_line_whose_check_holds_but_is_not_utf_8_is_named_by_its_own_number(
    cli: Any, tmp_store: Env
) -> None:
    _log(cli, 22)
    journal = journal_path(tmp_store.path)
    lines = journal.read_bytes().split(b"\n")
    body = b'{"put":"900","doc":{"note":"\xff\xfe"},"next":901}'
    lines[20] = b"%08x %s" % (zlib.crc32(body), body)  # line 21
    journal.write_bytes(b"\n".join(lines))
    for argv in (("show", "Jonas"), ("log", "Jonas"), ("export",)):
        _refused(cli, tmp_store, argv, str(journal), "line 21 is damaged")


def test_a_torn_last_line_is_ignored_by_readers_and_cut_by_the_next_writer(
    cli: Any, tmp_store: Env
) -> None:
    journal = journal_path(tmp_store.path)
    whole = journal.read_bytes()
    journal.write_bytes(whole + b'1234abcd {"put":"3","doc":{"contact_u')  # no newline
    shown = cli("show", "Anna", "--json")
    assert shown.code == 0, shown.err
    assert len(shown.json()["touches"]) == 2
    assert cli("log", "Anna", "--note", "after the tear").code == 0
    assert journal.read_bytes().startswith(whole)
    assert b"1234abcd" not in journal.read_bytes()
    assert len(cli("show", "Anna", "--json").json()["touches"]) == 3


def _rot(path: Path, number: int) -> None:
    """Bit rot: one byte of line `number` changed in place, the file's size and
    modification time as they were (nothing on the file says it changed)."""
    st = path.stat()
    _flip_in_line(path, number)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


@pytest.mark.parametrize("where", ["start", "middle"])
def test_bit_rot_anywhere_in_the_journal_is_refused_by_readers_and_writers(
    cli: Any, tmp_store: Env, where: str
) -> None:
    _log(cli, 40, size=3000)  # ~120 KB: beyond a quick read's tail and the index's refresh
    _log(cli, 3, name="Marco")
    journal = journal_path(tmp_store.path)
    number = 3 if where == "start" else 25  # a line of Anna's, or one of Jonas's calls
    _rot(journal, number)
    for argv in (
        ("log", "Anna", "--note", "after the rot"),
        ("log", "Marco", "--note", "after the rot"),
        ("unlog", "Marco", "--yes"),
        ("show", "Anna"),
        ("show", "Marco"),
        ("today",),
        ("streak",),
    ):
        _refused(cli, tmp_store, argv, str(journal), f"line {number} is damaged")
    found = cli("check")
    assert found.code == 1 and f"{journal}: line {number} is damaged" in found.out
    assert cli("repair", "--yes").code == 0
    assert cli("check").code == 0
    assert cli("log", "Marco", "--note", "after the repair").code == 0
    assert cli("check").code == 0


def test_lines_rewritten_in_place_that_all_hold_are_read_and_check_reports_them(
    cli: Any, tmp_store: Env
) -> None:
    _log(cli, 2)
    journal = journal_path(tmp_store.path)
    st = journal.stat()
    lines = journal.read_bytes().split(b"\n")
    lines[1], lines[2] = lines[2], lines[1]  # Anna's two touches: each still holds
    journal.write_bytes(b"\n".join(lines))
    os.utime(journal, ns=(st.st_atime_ns, st.st_mtime_ns))
    shown = cli("show", "Anna", "--json")
    assert shown.code == 0 and len(shown.json()["touches"]) == 2, shown
    found = cli("check")
    assert found.code == 1
    assert f"{journal}: its first {st.st_size} bytes are not those followup wrote" in found.out
    assert cli("repair", "--yes").code == 0
    assert cli("check").code == 0


# -- 2. the pair is checked as a pair ------------------------------------------------------


@pytest.mark.parametrize("what", ["removed", "emptied", "older", "another database's"])
def test_a_journal_that_is_not_the_one_the_main_file_was_written_with_is_refused(
    cli: Any, tmp_store: Env, tmp_path: Path, what: str
) -> None:
    journal = journal_path(tmp_store.path)
    older = journal.read_bytes()
    _log(cli, 3, "Anna")
    if what == "removed":
        journal.unlink()
    elif what == "emptied":
        journal.write_bytes(b"")
    elif what == "older":
        journal.write_bytes(older)
    else:
        other = tmp_path / "other" / "followup.json"
        other.parent.mkdir()
        bruno = Contact(name="Bruno Costa", created_at=NOW, updated_at=NOW)
        Store(other, clock=tmp_store.clock).add_many(
            [bruno], [Touch(contact_uid=bruno.uid, at=NOW, channel="call", outcome="reached")]
        )
        journal.write_bytes(journal_path(other).read_bytes())
    for argv in COMMANDS:
        _refused(cli, tmp_store, argv, str(journal), "backup")
    assert journal.exists() == (what != "removed")


def test_a_journal_cut_back_never_hands_out_an_id_again(cli: Any, tmp_store: Env) -> None:
    journal = journal_path(tmp_store.path)
    older = journal.read_bytes()
    assert cli("log", "Anna", "--note", "third").code == 0
    third = cli("show", "Anna", "--json").json()["touches"][0]
    journal.write_bytes(older)  # the third touch's line cut back off
    _refused(cli, tmp_store, ("log", "Anna", "--note", "fourth"), str(journal))
    assert cli("repair", "--yes").code == 0  # accepts the older journal, saying so
    assert cli("log", "Anna", "--note", "fourth").code == 0
    fourth = cli("show", "Anna", "--json").json()["touches"][0]
    assert fourth["note"] == "fourth" and fourth["id"] > third["id"]


# -- 6. exit 1 means nothing changed -------------------------------------------------------


def _no_bigger_files_than(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails: EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_log_whose_main_file_cannot_be_written_changes_nothing_and_a_retry_adds_once(
    cli: Any, tmp_store: Env
) -> None:
    """A real process that may write no file bigger than the journal will be: the touch
    is appended, then the main file can't be replaced (as on a full disk)."""
    assert cli("log", "Jonas").code == 0  # today's backup is taken
    journal = journal_path(tmp_store.path)
    limit = journal.stat().st_size + 1024
    assert tmp_store.path.stat().st_size > limit
    before = _files(tmp_store)
    argv = ["--db", str(tmp_store.path), "log", "Anna", "--note", "only once"]
    for _ in range(3):
        proc = subprocess.run(
            [sys.executable, "-m", "tui.cli", *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**_env(), "FOLLOWUP_NOW": tmp_store.clock.now().isoformat()},
            preexec_fn=lambda: _no_bigger_files_than(limit),
            timeout=60,
        )
        err = one_line(proc, 1)
        assert "nothing was changed" in err, err
        assert "saved" not in err
        assert _files(tmp_store) == before
    assert cli(*argv[2:]).code == 0
    notes = [t["note"] for t in cli("show", "Anna", "--json").json()["touches"]]
    assert notes.count("only once") == 1


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("FOLLOWUP_DB", None)
    return env


def test_a_subprocess_refuses_a_swapped_journal_in_one_line(tmp_store: Env) -> None:
    journal = journal_path(tmp_store.path)
    journal.unlink()
    for argv in (["today"], ["log", "Anna"]):
        err = one_line(followup("--db", str(tmp_store.path), *argv), 1)
        assert str(journal) in err and "backup" in err
    assert not journal.exists()


# -- 4. followup check and followup repair -------------------------------------------------


def test_check_on_a_clean_database_says_what_it_verified_and_exits_0(
    cli: Any, tmp_store: Env
) -> None:
    _log(cli, 2)
    before = _files(tmp_store)
    result = cli("check")
    assert result.code == 0, result
    for part in ("main file", "journal", "pair", "index", "day counts", "backups"):
        assert part in result.out, (part, result.out)
    assert "ok" in result.out and result.err == ""
    assert _files(tmp_store) == before


def test_check_finds_a_damaged_line_and_repair_sets_it_aside(cli: Any, tmp_store: Env) -> None:
    _log(cli, 3)
    journal = journal_path(tmp_store.path)
    _flip_in_line(journal, 3)  # the second of Anna's two touches
    damaged = journal.read_bytes().split(b"\n")[2]
    before = _files(tmp_store)
    found = cli("check")
    assert found.code == 1
    assert f"{journal}: line 3 is damaged" in found.out
    assert _files(tmp_store) == before

    repaired = cli("repair", "--yes")
    assert repaired.code == 0, repaired
    aside = [p for p in journal.parent.iterdir() if p.name.startswith(journal.name + ".damaged")]
    assert len(aside) == 1 and str(aside[0]) in repaired.out
    assert damaged in aside[0].read_bytes()
    assert any(p.name.endswith(".before-repair") for p in (journal.parent / "backups").iterdir())
    assert cli("check").code == 0
    shown = cli("show", "Anna", "--json")
    assert shown.code == 0 and len(shown.json()["touches"]) == 1
    assert cli("log", "Anna", "--note", "after the repair").code == 0
    assert cli("check").code == 0


def test_repair_accepts_an_older_journal_after_saying_what_is_missing(
    cli: Any, tmp_store: Env
) -> None:
    journal = journal_path(tmp_store.path)
    older = journal.read_bytes()
    _log(cli, 2, "Anna")
    journal.write_bytes(older)
    assert cli("check").code == 1
    repaired = cli("repair", "--yes")
    assert repaired.code == 0, repaired
    assert "missing" in repaired.out and "2 touches" in repaired.out, repaired.out
    assert cli("check").code == 0
    assert len(cli("show", "Anna", "--json").json()["touches"]) == 2
    streak = cli("streak", "--json").json()
    assert streak["touches_today"] == 0  # the day counts were counted again


def test_repair_asks_first_and_needs_yes_off_a_terminal(cli: Any, tmp_store: Env) -> None:
    journal_path(tmp_store.path).unlink()
    before = _files(tmp_store)
    result = cli("repair")
    assert result.code == 2 and "--yes" in result.err
    assert _files(tmp_store) == before


def test_check_and_repair_are_in_the_help(cli: Any) -> None:
    shown = cli("--help").out
    assert "check" in shown and "repair" in shown
