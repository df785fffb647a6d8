"""The command line, driven in-process: each command's output and what the store holds after.

`main(argv, clock=...)` runs on the fixture store's file (tests/conftest.py: Tuesday
2026-11-24 09:00 +01:00; Anna Berg 2 days overdue, Marco Rossi due today, Jonas Weber
tomorrow, Lena Fischer without a next step, Omar Diaz "touch base" in 30 days).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from store.clock import FixedClock
from store.store import Store
from tests.conftest import NOW, TODAY, Env
from tests.paths import ROOT
from tui.cli.run import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(
    capsys: pytest.CaptureFixture[str], path: Path, clock: FixedClock, *argv: str
) -> Result:
    code = main([*argv, "--db", str(path)], clock=clock)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_store: Env) -> Any:
    def run(*argv: str) -> Result:
        return run_cli(capsys, tmp_store.path, tmp_store.clock, *argv)

    return run


def fresh(env: Env) -> Store:
    """The database as another process would read it now."""
    return Store(env.path, clock=env.clock)


def stored(env: Env, name: str) -> Any:
    return next(c for c in fresh(env).contacts(include_dropped=True) if c.name == name)


# -- add ---------------------------------------------------------------------------------


def test_add_defaults_to_warm_prospect_due_tomorrow(cli: Any, tmp_store: Env) -> None:
    result = cli("add", "Ada", "Lovelace", "--company", "Analytical Engines")
    assert result.code == 0, result.err
    assert result.out.startswith("added Ada Lovelace (#6, warm prospect); next: due Wed 25 Nov")
    ada = stored(tmp_store, "Ada Lovelace")
    assert (ada.heat, ada.kind, ada.company) == ("warm", "prospect", "Analytical Engines")
    assert ada.next_due == TODAY + timedelta(days=1)
    assert ada.next_step == ""
    assert ada.created_at == NOW


def test_add_with_every_option(cli: Any, tmp_store: Env) -> None:
    result = cli(
        "add", "Grace Hopper", "--heat", "HOT", "--kind", "client", "--goal", "Sign the deal",
        "--via", "e", "--email", "grace@navy.example", "--phone", "+1 555 0100",
        "--value", "12,500", "--next", "Send the contract", "--due", "dec 3",
        "--tag", "navy", "--tag", "cobol", "--role", "Rear Admiral",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "next: Send the contract, due Thu 3 Dec 2026 (in 9 days)" in result.out
    grace = stored(tmp_store, "Grace Hopper")
    assert grace.heat == "hot" and grace.kind == "client" and grace.channel == "email"
    assert grace.value == 12500.0 and grace.tags == ("navy", "cobol")
    assert grace.next_due == date(2026, 12, 3) and grace.next_step == "Send the contract"
    assert grace.email == "grace@navy.example" and grace.role == "Rear Admiral"
    assert result.err == ""


def test_add_vague_next_step_hints_on_stderr(cli: Any, tmp_store: Env) -> None:
    result = cli("add", "Ken Thompson", "--next", "touch base")
    assert result.code == 0
    assert result.err.startswith("hint: A vague check-in")
    assert stored(tmp_store, "Ken Thompson").next_step == "touch base"


def test_add_same_name_twice_hints(cli: Any) -> None:
    result = cli("add", "anna berg")
    assert result.code == 0
    assert "hint: another contact is also called Anna Berg (#1)" in result.err


# -- log ---------------------------------------------------------------------------------


def test_log_uses_preferred_channel_and_cadence(cli: Any, tmp_store: Env) -> None:
    result = cli("log", "anna", "--note", "Talked pricing")
    assert result.code == 0, result.err
    # After a reached touch the old step is presumed done (the log chain, as the dialog).
    assert result.out == (
        "logged call with Anna Berg (reached); next: due Tue 1 Dec 2026 (in 7 days)\n"
    )
    store = fresh(tmp_store)
    anna = stored(tmp_store, "Anna Berg")
    assert anna.next_due == TODAY + timedelta(days=7)  # hot cadence
    assert anna.next_step == ""
    assert "hint: was: Send the pricing deck (presumed done)" in result.err
    newest = store.touches(anna.uid)[0]
    assert (newest.channel, newest.outcome, newest.direction) == ("call", "reached", "out")
    assert newest.note == "Talked pricing" and newest.at == NOW
    assert len(store.touches(anna.uid)) == 3


def test_log_email_defaults_to_waiting_and_sets_next(cli: Any, tmp_store: Env) -> None:
    result = cli("log", "Jonas", "--via", "e", "--next", "Send the vendor form", "--due", "+8d")
    assert result.code == 0, result.err
    assert result.out.startswith("logged email with Jonas Weber (waiting); next: Send the")
    jonas = stored(tmp_store, "Jonas Weber")
    assert jonas.next_step == "Send the vendor form"
    assert jonas.next_due == TODAY + timedelta(days=8)
    assert fresh(tmp_store).touches(jonas.uid)[0].outcome == "waiting"


def test_log_inbound_at_a_past_moment(cli: Any, tmp_store: Env) -> None:
    result = cli("log", "Lena", "--in", "--at", "yesterday 15:30", "--outcome", "waiting")
    assert result.code == 0, result.err
    assert result.out.startswith("logged email from Lena Fischer (waiting)")
    lena = stored(tmp_store, "Lena Fischer")
    touch = fresh(tmp_store).touches(lena.uid)[0]
    assert touch.direction == "in" and touch.outcome == "waiting"
    assert touch.at.date() == TODAY - timedelta(days=1) and touch.at.hour == 15


def test_log_too_soon_after_no_reply_warns(cli: Any, tmp_store: Env) -> None:
    result = cli("log", "Omar", "--outcome", "noreply", "--next", "Ask about Q3", "--due", "+2d")
    assert result.code == 0
    assert "hint: Leave about a week between unanswered follow-ups" in result.err
    assert stored(tmp_store, "Omar Diaz").next_due == TODAY + timedelta(days=2)


def test_log_by_id_and_channel_letter(cli: Any, tmp_store: Env) -> None:
    result = cli("log", "#2", "--via", "x")
    assert result.code == 0
    assert result.out.startswith("logged text with Marco Rossi (waiting)")


# -- next, snooze, heat ------------------------------------------------------------------


def test_next_defaults_to_the_cadence(cli: Any, tmp_store: Env) -> None:
    result = cli("next", "Lena", "Send the offer letter")
    assert result.code == 0, result.err
    assert result.out == (
        "next for Lena Fischer: Send the offer letter, due Tue 15 Dec 2026 (in 21 days)\n"
    )
    lena = stored(tmp_store, "Lena Fischer")
    assert lena.next_step == "Send the offer letter"
    assert lena.next_due == TODAY + timedelta(days=21)


def test_next_with_due_and_vague_hint(cli: Any, tmp_store: Env) -> None:
    result = cli("next", "Jonas", "check in", "--due", "fri")
    assert result.code == 0
    assert "hint: A vague check-in" in result.err
    assert stored(tmp_store, "Jonas Weber").next_due == date(2026, 11, 27)


def test_snooze(cli: Any, tmp_store: Env) -> None:
    result = cli("snooze", "Anna", "next week")
    assert result.code == 0
    assert result.out == "snoozed Anna Berg until Mon 30 Nov 2026 (in 6 days)\n"
    anna = stored(tmp_store, "Anna Berg")
    assert anna.next_due == date(2026, 11, 30)
    assert anna.next_step == "Send the pricing deck"


def test_heat_moves_and_same_heat_writes_nothing(cli: Any, tmp_store: Env) -> None:
    assert cli("heat", "Omar", "warm").out == "Omar Diaz is now warm (was cool)\n"
    assert stored(tmp_store, "Omar Diaz").heat == "warm"
    before = tmp_store.path.read_bytes()
    assert cli("heat", "Omar", "Warm").out == "Omar Diaz is already warm\n"
    assert tmp_store.path.read_bytes() == before


# -- drop, restore -----------------------------------------------------------------------


def test_drop_with_yes_then_restore(cli: Any, tmp_store: Env) -> None:
    result = cli("drop", "Omar", "--yes", "--reason", "went elsewhere")
    assert result.code == 0
    assert result.out.startswith("dropped Omar Diaz")
    omar = stored(tmp_store, "Omar Diaz")
    assert (omar.status, omar.dropped_on, omar.drop_reason) == (
        "dropped",
        TODAY,
        "went elsewhere",
    )
    assert cli("list").out.count("Omar Diaz") == 0
    assert "DROPPED (1)" in cli("list", "--all").out
    result = cli("restore", "omar")
    assert result.code == 0
    assert result.out.startswith("restored Omar Diaz (cool)")
    omar = stored(tmp_store, "Omar Diaz")
    assert (omar.status, omar.dropped_on, omar.drop_reason) == ("active", None, "")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys come from a terminal and the screen goes to one."""
    monkeypatch.setattr("sys.stdin", FakeTerminal())
    monkeypatch.setattr("sys.stdout", FakeTerminal())


@pytest.mark.parametrize(
    ("answer", "status", "heat", "said"),
    [
        ("y\n", "dropped", "hot", "dropped Anna Berg"),
        ("c\n", "active", "cool", "Anna Berg is now cool (was hot)"),
        ("n\n", "active", "hot", "kept Anna Berg"),
        ("", "active", "hot", "kept Anna Berg"),  # end of input keeps
        ("what\nyes\n", "dropped", "hot", "dropped Anna Berg"),
    ],
)
def test_drop_asks_on_a_terminal(
    cli: Any,
    tmp_store: Env,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    status: str,
    heat: str,
    said: str,
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal(answer))
    result = cli("drop", "Anna")
    assert result.code == 0
    assert "Anna Berg (#1, hot): 2 touches; last reply Mon 23 Nov 2026 (yesterday)" in result.out
    assert "Stop following up with Anna Berg? [y]es / [c]ool down instead / [n]o" in result.out
    assert said in result.out
    anna = stored(tmp_store, "Anna Berg")
    assert (anna.status, anna.heat) == (status, heat)


# -- today, list, show, streak, stats ----------------------------------------------------


def test_today_text(cli: Any) -> None:
    result = cli("today")
    assert result.code == 0
    assert result.out == (
        "Tue 24 Nov 2026: 1 overdue, 1 due today\n"
        "HOT (2)\n"
        "  #1  Anna Berg    Northwind Traders  2d overdue  Send the pricing deck\n"
        "  #2  Marco Rossi  Bellavista Foods   today       Confirm the renewal terms\n"
        "1-day streak, at risk: log a touch today (best 1)\n"
    )


def test_today_json(cli: Any) -> None:
    data = cli("today", "--json").json()
    assert set(data) == {"streak", "overdue", "today"}
    assert data["streak"] == {"current": 1, "best": 1, "at_risk": True, "touches_today": 0}
    assert [c["name"] for c in data["overdue"]] == ["Anna Berg"]
    assert [c["name"] for c in data["today"]] == ["Marco Rossi"]
    assert data["overdue"][0]["id"] == 1 and data["overdue"][0]["next_due"] == "2026-11-22"


def test_today_on_a_new_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    result = run_cli(capsys, tmp_path / "new.json", FixedClock(NOW), "today")
    assert result.out == (
        f"no contacts in {tmp_path / 'new.json'}: add one with followup add NAME "
        "(or is --db wrong?)\nno streak yet\n"
    )
    assert not (tmp_path / "new.json").exists()  # reading creates nothing


def test_list_in_dashboard_order(cli: Any) -> None:
    result = cli("list")
    names = [line.split("  ")[2] for line in result.out.splitlines() if line.startswith("  ")]
    assert names == ["Anna Berg", "Marco Rossi", "Jonas Weber", "Lena Fischer", "Omar Diaz"]
    assert "HOT (2)" in result.out and "WARM (2)" in result.out and "COOL (1)" in result.out
    assert "no next step" in result.out


def test_list_reports_a_hand_edited_record_it_cannot_read(cli: Any, tmp_store: Env) -> None:
    text = tmp_store.path.read_text().replace('"name":"Jonas Weber"', '"name":42')
    tmp_store.path.write_text(text)
    result = cli("list")
    assert result.code == 0
    assert "Anna Berg" in result.out and "Jonas Weber" not in result.out
    warning = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "1 record in" in warning[0] and "'name'" in warning[0]
    assert '"name":42' in tmp_store.path.read_text(), "the bad record stays as it was"


def test_list_filters_and_json(cli: Any) -> None:
    cli("drop", "Jonas", "--yes")
    data = cli("list", "--heat", "warm", "--json").json()
    assert [c["name"] for c in data] == ["Lena Fischer"]
    data = cli("list", "--heat", "warm", "--all", "--json").json()
    assert [c["name"] for c in data] == ["Lena Fischer", "Jonas Weber"]
    assert data[1]["status"] == "dropped"
    expected = {
        "id", "uid", "name", "company", "role", "kind", "heat", "goal", "channel", "email",
        "phone", "value", "cadence_days", "tags", "next_step", "next_due", "status",
        "dropped_on", "drop_reason", "do_not_contact", "created_at", "updated_at",
        "field_stamps",
    }  # fmt: skip
    assert set(data[0]) == expected


def test_show_text(cli: Any) -> None:
    result = cli("show", "anna")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "Anna Berg (#1): hot prospect, active"
    assert "  company  Northwind Traders" in lines
    assert "  next     Send the pricing deck, due Sun 22 Nov 2026 (2 days ago)" in lines
    assert "history (newest first)" in lines
    assert lines[-2].startswith("  Mon 23 Nov 2026 09:00  call     out  reached   Liked")
    assert lines[-1].startswith("  Mon 16 Nov 2026 09:00  email    out  waiting")


def test_show_json_adds_touches_newest_first_and_nudges(cli: Any) -> None:
    data = cli("show", "Lena", "--json").json()
    assert data["name"] == "Lena Fischer" and data["touches"] == []
    assert [n["kind"] for n in data["nudges"]] == ["no_next_step"]
    data = cli("show", "#1", "--json").json()
    ats = [t["at"] for t in data["touches"]]
    assert ats == sorted(ats, reverse=True) and len(ats) == 2
    assert set(data["touches"][0]) == {
        "id", "uid", "contact_uid", "at", "channel", "direction", "outcome", "note",
    }  # fmt: skip


def test_show_finds_a_dropped_contact(cli: Any) -> None:
    cli("drop", "Omar", "--yes")
    result = cli("show", "Omar")
    assert result.out.startswith("Omar Diaz (#5): cool prospect, dropped")
    assert "  dropped  Tue 24 Nov 2026" in result.out


def test_streak_text_and_json(cli: Any) -> None:
    assert cli("streak").out == (
        "1-day streak, at risk: log a touch today (best 1); 0 touches today\n"
    )
    cli("log", "Marco")
    assert cli("streak", "--json").json() == {
        "current": 2,
        "best": 2,
        "at_risk": False,
        "touches_today": 1,
    }


def test_stats(cli: Any) -> None:
    cli("log", "Jonas", "--via", "call", "--outcome", "no-reply")
    data = cli("stats", "--json").json()
    rows = {row["channel"]: row for row in data["channels"]}
    call = rows["call"]
    assert (call["sent"], call["answered"], call["rate"]) == (2, 1, 0.5)
    assert rows["email"]["sent"] == 1 and rows["email"]["answered"] == 1  # reply within 14d
    assert rows["other"]["rate"] is None
    text = cli("stats").out.splitlines()
    assert text[0].split() == ["channel", "sent", "answered", "rate", "95%", "range"]
    assert text[1].split() == ["call", "2", "1", "50%", "9-91%"]
    assert text[-2].split() == ["all", "3", "2", "67%", "21-94%"]


# -- demo, db location, pipes, safety ----------------------------------------------------


def test_demo_fills_an_empty_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    clock = FixedClock(NOW)
    result = run_cli(capsys, path, clock, "demo")
    assert result.code == 0, result.err
    assert result.out.startswith("added 25 sample contacts and ")
    store = Store(path, clock=clock)
    contacts = store.contacts()
    assert len(contacts) == 25
    assert {c.heat for c in contacts} == {"hot", "warm", "cool"}
    assert sum(1 for c in contacts if c.next_due is None) == 1
    assert sum(1 for c in contacts if c.next_due is not None and c.next_due < TODAY) >= 3
    assert any(c.value is not None and c.value >= store.settings.high_value for c in contacts)
    today = run_cli(capsys, path, clock, "streak", "--json").json()
    assert today["current"] >= 5 and today["at_risk"] is True
    kinds = {n["kind"] for c in contacts for n in _nudges(store, c)}
    assert {"no_next_step", "vague", "consider_stopping", "switch_channel"} <= kinds


def _nudges(store: Store, contact: Any) -> list[dict[str, str]]:
    from store.rules.nudges import nudges_for

    found = nudges_for(contact, store.touches(contact.uid), store.settings, TODAY)
    return [{"kind": n.kind} for n in found]


def test_db_from_environment_and_after_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = tmp_path / "env.json"
    monkeypatch.setenv("FOLLOWUP_DB", str(env_db))
    clock = FixedClock(NOW)
    assert main(["add", "Env Person"], clock=clock) == 0
    assert [c.name for c in Store(env_db).contacts()] == ["Env Person"]
    other = tmp_path / "other.json"
    assert main(["--db", str(other), "add", "Flag Person"], clock=clock) == 0
    assert [c.name for c in Store(other).contacts()] == ["Flag Person"]
    capsys.readouterr()


def test_database_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.engine.paths import database_path

    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "env.json"))
    assert database_path(str(tmp_path / "flag.json")) == tmp_path / "flag.json"
    assert database_path(None) == tmp_path / "env.json"
    monkeypatch.delenv("FOLLOWUP_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert database_path(None) == tmp_path / "data" / "followup" / "followup.json"


def test_database_text_is_cleaned_in_every_output(cli: Any, tmp_store: Env) -> None:
    evil = "\x1b]0;pwned\x07Eve\x1b[2J Evil"
    tmp_store.store.add_many(
        [
            stored(tmp_store, "Anna Berg").__class__(
                name=evil,
                company="\x1b[31mRed\x1b[0m",
                next_step="Call\x9b31m now",
                next_due=TODAY,
                created_at=NOW,
                updated_at=NOW,
            )
        ]
    )
    for argv in (("today",), ("list",), ("show", "Eve"), ("log", "Eve", "--next", "x\x1bcY")):
        result = cli(*argv)
        assert result.code == 0, (argv, result.err)
        assert "\x1b" not in result.out and "\x9b" not in result.out and "\x07" not in result.out
    assert "\x1b" not in cli("list", "--json").out  # escaped as \u001b


def test_help_exits_zero(cli: Any) -> None:
    result = cli("--help")
    assert result.code == 0
    assert "today" in result.out and "demo" in result.out


def test_broken_pipe_is_quiet(tmp_store: Env) -> None:
    import subprocess
    import sys

    script = (
        "import sys; from tui.cli.run import main; "
        f"sys.exit(main(['list', '--db', {str(tmp_store.path)!r}]))"
    )
    # Far more than a pipe's buffer (64 KiB), into a pipe closed after the first line.
    kind = stored(tmp_store, "Anna Berg").__class__
    tmp_store.store.add_many(
        kind(name=f"Filler {i}", next_step="x" * 60, created_at=NOW, updated_at=NOW)
        for i in range(3000)
    )
    proc = subprocess.run(
        f"{sys.executable} -c {_quote(script)} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    assert proc.stdout.startswith("HOT") or proc.stdout.startswith("WARM")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Error" not in proc.stderr


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["FOLLOWUP_NOW"] = NOW.isoformat()
    env.pop("FOLLOWUP_DB", None)
    return env


def test_followup_now_sets_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.cli.run import env_clock

    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-24T09:00+01:00")
    assert env_clock().now() == NOW
    monkeypatch.setenv("FOLLOWUP_NOW", "2026-11-24")
    assert env_clock().now().date() == TODAY


def test_no_command_opens_the_dashboard(
    tmp_store: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tui.app
    from tui.entry import main as program

    opened: list[tuple[Store, FixedClock, bool]] = []

    class FakeApp:
        return_code = None  # as Textual leaves it after a clean exit

        def __init__(self, store: Store, clock: FixedClock, *, review: bool) -> None:
            opened.append((store, clock, review))

        def run(self) -> None:
            pass

    monkeypatch.setattr(tui.app, "FollowupApp", FakeApp)
    on_a_terminal(monkeypatch)
    assert program(["--db", str(tmp_store.path)], clock=tmp_store.clock) == 0
    assert program(["review", "--db", str(tmp_store.path)], clock=tmp_store.clock) == 0
    [(store, clock, review), (_, _, review_after)] = opened
    assert store.path == tmp_store.path and clock is tmp_store.clock
    assert (review, review_after) == (False, True)


def test_the_command_line_alone_has_no_dashboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """tui.cli's `main` without the entry point's dashboard: one line, nothing written."""
    on_a_terminal(monkeypatch)
    db = tmp_path / "f.json"
    assert main(["--db", str(db)]) == 2
    assert capsys.readouterr().err == (
        "followup: the command line alone has no dashboard; run followup\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_output_on_an_ascii_terminal(tmp_store: Env) -> None:
    import subprocess
    import sys

    tmp_store.store.update_fields(tmp_store.uid("Anna Berg"), {"name": "Ann\u00eb Berg \u2603"})
    env = {**_env(), "PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}
    for argv in (["today"], ["show", "ann"], ["log", "ann", "--next", "Caf\u00e9 visit"]):
        proc = subprocess.run(
            [sys.executable, "-m", "tui.cli", *argv, "--db", str(tmp_store.path)],
            capture_output=True,
            cwd=ROOT,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr
        assert b"Ann? Berg ?" in proc.stdout
        assert all(byte < 128 for byte in proc.stdout + proc.stderr)
