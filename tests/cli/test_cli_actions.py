"""The command line's side of store/actions.py: unlog puts back what log replaced, cool
down reschedules, an inbound touch is reached (fixture: tests/conftest.py, Tuesday
2026-11-24; Anna Berg hot, "Send the pricing deck" 2 days overdue)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.cli.test_cli import FakeTerminal, fresh, stored
from tests.conftest import TODAY, Env


def _one_line_error(result: Any) -> None:
    assert result.code == 2, result.err
    assert result.out == ""
    assert result.err.startswith("followup: ") and result.err.count("\n") == 1


def test_unlog_puts_back_the_step_a_voicemail_log_cleared(cli: Any, tmp_store: Env) -> None:
    # A call logged without --outcome is "reached": the step is presumed done.
    assert cli("log", "anna").code == 0
    assert stored(tmp_store, "Anna Berg").next_step == ""
    result = cli("unlog", "anna", "--yes")
    assert result.code == 0, result.err
    anna = stored(tmp_store, "Anna Berg")
    assert (anna.next_step, anna.next_due) == ("Send the pricing deck", TODAY - timedelta(days=2))
    assert len(fresh(tmp_store).touches(anna.uid)) == 2


def test_unlog_keeps_a_step_set_since(cli: Any, tmp_store: Env) -> None:
    assert cli("log", "anna", "--next", "Send the contract").code == 0
    assert cli("next", "anna", "Book the kickoff", "--due", "2026-12-10").code == 0
    result = cli("unlog", "anna", "--yes")
    assert result.code == 0, result.err
    assert "kept the next step, next due set since" in result.out
    anna = stored(tmp_store, "Anna Berg")
    assert (anna.next_step, anna.next_due) == ("Book the kickoff", date(2026, 12, 10))


def test_drop_cool_down_reschedules_on_the_cool_cadence(
    cli: Any, tmp_store: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("c\n"))
    result = cli("drop", "anna")
    assert result.code == 0, result.err
    # 75 days from Tue 24 Nov is Sat 6 Feb 2027: moved off the weekend to Monday
    assert "Anna Berg is now cool (was hot); next: Send the pricing deck, due Mon 8 Feb" in (
        result.out
    )
    anna = stored(tmp_store, "Anna Berg")
    assert (anna.heat, anna.status, anna.next_due) == ("cool", "active", date(2027, 2, 8))


def test_an_inbound_email_is_reached(cli: Any, tmp_store: Env) -> None:
    result = cli("log", "anna", "--via", "email", "--in")
    assert result.code == 0, result.err
    touch = fresh(tmp_store).touches(tmp_store.uid("Anna Berg"))[0]
    assert (touch.channel, touch.direction, touch.outcome) == ("email", "in", "reached")


def test_inbound_no_reply_is_refused(cli: Any, tmp_store: Env) -> None:
    before = tmp_store.path.read_bytes()
    journal = tmp_store.store.touches_path.read_bytes()
    result = cli("log", "anna", "--in", "--outcome", "no-reply")
    _one_line_error(result)
    assert "inbound" in result.err
    assert tmp_store.path.read_bytes() == before
    assert tmp_store.store.touches_path.read_bytes() == journal


def test_stats_json_gives_each_channel_its_range(cli: Any) -> None:
    data = cli("stats", "--json").json()
    rows = {row["channel"]: row for row in data["channels"]}
    call = rows["call"]  # the fixture: one reached call of one
    assert (call["sent"], call["answered"], call["rate"]) == (1, 1, 1.0)
    assert call["rate_low"] == pytest.approx(0.2065, abs=1e-4) and call["rate_high"] == 1.0
    assert rows["letter"]["rate_low"] is None and rows["letter"]["rate_high"] is None
    assert data["best"] is None


def test_stats_text_says_too_few_to_tell(cli: Any) -> None:
    for _ in range(4):
        assert cli("log", "marco", "--via", "meeting", "--next", "Next", "--due", "+3d").code == 0
    text = cli("stats").out.splitlines()
    meeting = next(line for line in text if line.startswith("meeting"))
    assert meeting.split() == ["meeting", "4", "4", "100%", "51-100%"]
    assert text[-1] == "Best channel: too few to tell (the ranges overlap)"
