"""Bad input and unusable databases: the exit code, one line on stderr, no traceback,
nothing on stdout, and not one byte of the database files changed."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Env
from tests.faults import CtrlCAt
from tui.cli.run import main

Setup = Callable[[Env, pytest.MonkeyPatch], "str | None"]  # may return another --db


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under the folder (lock files aside: they are never written to)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def _read_only(env: Env, mp: pytest.MonkeyPatch) -> None:
    env.path.chmod(0o444)


def _not_json(env: Env, mp: pytest.MonkeyPatch) -> None:
    env.path.write_bytes(b'{"contacts": {"1": {"name": "Anna"')


def _newer(env: Env, mp: pytest.MonkeyPatch) -> None:
    data = json.loads(env.path.read_bytes())
    data["meta"] = {"1": {"schema_version": 99}}
    env.path.write_text(json.dumps(data))


def _folder(env: Env, mp: pytest.MonkeyPatch) -> str:
    folder = env.path.parent / "a-folder.json"
    folder.mkdir()
    return str(folder)


def _drop_omar(env: Env, mp: pytest.MonkeyPatch) -> None:
    env.store.update_fields(
        env.uid("Omar Diaz"), {"status": "dropped", "dropped_on": env.clock.now().date()}
    )


def _locked(env: Env, mp: pytest.MonkeyPatch) -> None:
    mp.setenv("FOLLOWUP_LOCK_TIMEOUT", "0.05")
    handle = open(env.path.with_name(env.path.name + ".lock"), "a")  # noqa: SIM115
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    mp.setattr(env, "held_lock", handle, raising=False)  # released when the test ends


def _empty_db(env: Env, mp: pytest.MonkeyPatch) -> str:
    return ""


CASES = [
    ("empty name", ["add", ""], 2, None),
    ("500-character name", ["add", "x" * 500], 2, None),
    ("name of only spaces", ["add", "   "], 2, None),
    ("no name at all", ["add"], 2, None),
    ("unknown channel", ["log", "anna", "--via", "fax"], 2, None),
    ("empty channel", ["log", "anna", "--via", ""], 2, None),
    ("unknown outcome", ["log", "anna", "--outcome", "maybe"], 2, None),
    ("unknown heat on add", ["add", "Bob", "--heat", "lukewarm"], 2, None),
    ("unknown heat", ["heat", "anna", "tepid"], 2, None),
    ("unknown heat on list", ["list", "--heat", "boiling"], 2, None),
    ("unknown kind", ["add", "Bob", "--kind", "alien"], 2, None),
    ("past --due", ["log", "anna", "--due", "yesterday"], 2, None),
    ("32 dec", ["add", "Bob", "--due", "32 dec"], 2, None),
    ("feb 30", ["snooze", "anna", "feb 30"], 2, None),
    ("empty --due", ["log", "anna", "--due", ""], 2, None),
    ("ambiguous name", ["log", "na"], 2, None),
    ("unknown name", ["log", "nobody"], 2, None),
    ("unknown #id", ["show", "#99"], 2, None),
    ("unknown flag", ["list", "--frobnicate"], 2, None),
    ("unknown command", ["frobnicate"], 2, None),
    ("missing argument", ["snooze", "anna"], 2, None),
    ("--value abc", ["add", "Bob", "--value", "abc"], 2, None),
    ("--value nan", ["add", "Bob", "--value", "nan"], 2, None),
    ("--value inf", ["add", "Bob", "--value", "inf"], 2, None),
    ("--at in the future", ["log", "anna", "--at", "tomorrow"], 2, None),
    ("empty --at", ["log", "anna", "--at", ""], 2, None),
    ("note too long", ["log", "anna", "--note", "n" * 10_001], 2, None),
    ("next with empty text", ["next", "anna", ""], 2, None),
    ("next with only spaces", ["next", "anna", "   "], 2, None),
    ("log --next empty", ["log", "anna", "--next", ""], 2, None),
    ("drop off a terminal", ["drop", "anna"], 2, None),
    ("restore an active contact", ["restore", "anna"], 2, None),
    ("restore nobody", ["restore", "nobody"], 2, None),
    ("demo on a non-empty db", ["demo"], 2, None),
    ("log on a dropped contact", ["log", "omar"], 2, _drop_omar),
    ("unknown channel letter", ["add", "Bob", "--via", "z"], 2, None),
    ("empty --db", ["list"], 2, _empty_db),
    ("--db is a folder", ["list"], 1, _folder),
    ("read-only database", ["log", "anna"], 1, _read_only),
    ("not JSON", ["today"], 1, _not_json),
    ("not JSON on write", ["add", "Bob"], 1, _not_json),
    ("newer schema", ["list"], 1, _newer),
    ("newer schema on write", ["log", "anna"], 1, _newer),
    ("locked too long", ["log", "anna"], 1, _locked),
]


@pytest.mark.parametrize(("argv", "code", "setup"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_input_exits_cleanly_and_writes_nothing(
    argv: list[str],
    code: int,
    setup: Setup | None,
    tmp_store: Env,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = str(tmp_store.path)
    if setup is not None:
        other = setup(tmp_store, monkeypatch)
        if other is not None:
            db = other
    capsys.readouterr()
    before = _files(tmp_store.path.parent)
    result = main([*argv, "--db", db], clock=tmp_store.clock)
    captured = capsys.readouterr()
    assert result == code, captured.err
    assert captured.out == ""
    assert captured.err.startswith("followup: ")
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n")
    assert "Traceback" not in captured.err
    assert _files(tmp_store.path.parent) == before


def test_there_are_at_least_25_cases() -> None:
    assert len(CASES) >= 25


def _error(capsys: pytest.CaptureFixture[str], env: Env, *argv: str) -> str:
    assert main([*argv, "--db", str(env.path)], clock=env.clock) == 2
    return capsys.readouterr().err


def test_ambiguous_name_lists_candidates(
    tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    from store.model import Contact

    now = tmp_store.clock.now()
    tmp_store.store.add_contact(Contact(name="Annika Lund", created_at=now, updated_at=now))
    tmp_store.store.add_contact(Contact(name="Ian Anand", created_at=now, updated_at=now))
    err = _error(capsys, tmp_store, "log", "an")
    assert err == (
        "followup: 'an' matches 2 contacts: Anna Berg (#1, Northwind Traders), Annika Lund (#6)\n"
    )


def test_unknown_name_suggests_close_ones(
    tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _error(capsys, tmp_store, "show", "Ana Berk")
    assert err.startswith("followup: no contact matches 'Ana Berk'; did you mean: Anna Berg")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["drop", "anna"], "followup: drop needs --yes when not run on a terminal\n"),
        (["restore", "anna"],
         "followup: Anna Berg (#1, Northwind Traders) is active, not dropped\n"),
        (["list", "--frobnicate"], "followup: unrecognized arguments: --frobnicate "
                                   "(see 'followup --help')\n"),
        (["add", "Bob", "--value", "nan"],
         "followup: --value: a value is a number, like 12000, 12,000, 12k, $12k or 1.5m; "
         "not 'nan'\n"),
    ],
)  # fmt: skip
def test_messages(
    argv: list[str], message: str, tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _error(capsys, tmp_store, *argv) == message


def test_log_on_a_dropped_contact_says_how_to_restore(
    tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    _drop_omar(tmp_store, pytest.MonkeyPatch())
    err = _error(capsys, tmp_store, "log", "omar")
    assert err == ("followup: Omar Diaz is dropped: followup restore omar\n")


def test_keyboard_interrupt_exits_130_quietly(
    tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tmp_store.path.read_bytes()
    argv = ["log", "anna", "--via", "call", "--db", str(tmp_store.path)]
    assert main(argv, clock=tmp_store.clock, faults=CtrlCAt("lock")) == 130
    captured = capsys.readouterr()
    assert captured.err == "" and "Traceback" not in captured.out
    assert tmp_store.path.read_bytes() == before


def test_error_text_from_the_database_is_cleaned(
    tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_store.store.update_fields(tmp_store.uid("Anna Berg"), {"name": "Anna \x1b[2J Bergman"})
    err = _error(capsys, tmp_store, "log", "na")  # ambiguous: lists the escape-laden name
    assert "\x1b" not in err and err.count("\n") == 1


def test_read_only_message_names_the_file(
    tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_store.path.chmod(0o444)
    assert (
        main(["next", "anna", "Send it", "--db", str(tmp_store.path)], clock=tmp_store.clock) == 1
    )
    assert str(tmp_store.path) in capsys.readouterr().err
    os.chmod(tmp_store.path, 0o644)


def test_bad_followup_now(
    tmp_store: Env, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_NOW", "half past nine")
    before = _files(tmp_store.path.parent)
    assert main(["add", "Bob", "--db", str(tmp_store.path)]) == 2
    assert capsys.readouterr().err == (
        "followup: FOLLOWUP_NOW is not an ISO date and time: 'half past nine'\n"
    )
    assert _files(tmp_store.path.parent) == before
