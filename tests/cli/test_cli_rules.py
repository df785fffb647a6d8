"""The command line reads what people type as they mean it: dates without a year, the
locale's date order, number words, channel words, names without their accents, a near
command; and it says what it refuses (far dates, values over their limit, a dropped
contact, an empty database) in one line, exit code 2, writing nothing.

The fixture store (tests/conftest.py) holds Anna Berg, Marco Rossi, Jonas Weber, Lena
Fischer and Omar Diaz; its clock stands at Tuesday 2026-11-24 09:00 +01:00.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from store.clock import FixedClock
from tests.cli.test_cli import Result, fresh, run_cli, stored
from tests.conftest import CET, NOW, Env

SUNDAY_6_DEC = FixedClock(datetime(2026, 12, 6, 10, 0, tzinfo=CET))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture
def at(capsys: pytest.CaptureFixture[str], tmp_store: Env) -> Any:
    """The command line on the fixture's file, on another day."""

    def run(clock: FixedClock, *argv: str) -> Result:
        return run_cli(capsys, tmp_store.path, clock, *argv)

    return run


def _refused(result: Result, message: str, before: dict[str, bytes], env: Env) -> None:
    assert result.code == 2, result
    assert result.err == f"followup: {message}\n"
    assert result.out == ""
    assert _files(env.path.parent) == before, "a refused command wrote something"


# -- dates without a year ------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["3/12", "dec 3", "3 dec", "3 december"])
def test_a_year_less_date_that_has_passed_is_refused(at: Any, tmp_store: Env, typed: str) -> None:
    before = _files(tmp_store.path.parent)
    result = at(SUNDAY_6_DEC, "next", "anna", "Send the deck", "--due", typed)
    _refused(result, "3 Dec has passed; write 2027-12-03 for next year", before, tmp_store)


def test_29_nov_on_6_december_is_refused_and_a_date_with_its_year_is_kept(
    at: Any, tmp_store: Env
) -> None:
    before = _files(tmp_store.path.parent)
    result = at(SUNDAY_6_DEC, "snooze", "anna", "29 nov")
    _refused(result, "29 Nov has passed; write 2027-11-29 for next year", before, tmp_store)
    result = at(SUNDAY_6_DEC, "snooze", "anna", "2027-12-03")
    assert result.code == 0, result.err
    assert stored(tmp_store, "Anna Berg").next_due == date(2027, 12, 3)


def test_a_year_less_date_within_six_months_is_its_next_occurrence(at: Any, tmp_store: Env) -> None:
    result = at(SUNDAY_6_DEC, "next", "anna", "Send the deck", "--due", "3/1")
    assert result.code == 0, result.err
    assert stored(tmp_store, "Anna Berg").next_due == date(2027, 1, 3)


# -- the date order --------------------------------------------------------------------------


def test_numeric_dates_follow_the_locale_until_the_setting_is_set(
    cli: Any, tmp_store: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_TIME", "en_US.UTF-8")
    assert cli("next", "anna", "Call", "--due", "3/12").code == 0
    assert stored(tmp_store, "Anna Berg").next_due == date(2027, 3, 12)  # March 12
    shown = cli("config", "date-order")
    assert shown.out == "month-first (as the locale writes dates; set it to keep it)\n"
    monkeypatch.setenv("LC_TIME", "en_GB.UTF-8")
    assert cli("next", "anna", "Call", "--due", "3/12").code == 0
    assert stored(tmp_store, "Anna Berg").next_due == date(2026, 12, 3)  # 3 December
    assert cli("config", "date-order", "month-first").out == "date-order = month-first\n"
    assert cli("next", "anna", "Call", "--due", "3/12").code == 0  # the setting wins
    assert stored(tmp_store, "Anna Berg").next_due == date(2027, 3, 12)


def test_the_c_locale_reads_day_first(cli: Any, tmp_store: Env, monkeypatch: Any) -> None:
    monkeypatch.setenv("LC_ALL", "C")
    assert cli("next", "anna", "Call", "--due", "3/12").code == 0
    assert stored(tmp_store, "Anna Berg").next_due == date(2026, 12, 3)


# -- words people type -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("in two weeks", NOW.date() + timedelta(weeks=2)),
        ("three days", NOW.date() + timedelta(days=3)),
        ("in one month", date(2026, 12, 24)),
    ],
)
def test_numbers_as_words(cli: Any, tmp_store: Env, typed: str, expected: date) -> None:
    result = cli("next", "anna", "Send the deck", "--due", typed)
    assert result.code == 0, result.err
    assert stored(tmp_store, "Anna Berg").next_due == expected


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("phone", "call"),
        ("Phone", "call"),
        ("mail", "email"),
        ("e-mail", "email"),
        ("sms", "text"),
        ("SMS", "text"),
        ("linkedin", "social"),
        ("LinkedIn", "social"),
    ],
)
def test_channel_words(cli: Any, tmp_store: Env, word: str, channel: str) -> None:
    result = cli("log", "marco", "--via", word, "--outcome", "reached")
    assert result.code == 0, result.err
    touch = fresh(tmp_store).touches(tmp_store.uid("Marco Rossi"))[0]
    assert touch.channel == channel
    assert cli("add", "Nina Park", "--via", word).code == 0
    assert stored(tmp_store, "Nina Park").channel == channel


def test_next_week_on_a_sunday_is_not_tomorrow(at: Any, tmp_store: Env) -> None:
    result = at(SUNDAY_6_DEC, "next", "anna", "Send the deck", "--due", "next week")
    assert result.code == 0, result.err
    assert stored(tmp_store, "Anna Berg").next_due == date(2026, 12, 14)


@pytest.mark.parametrize(
    "argv",
    [
        ["next", "anna", "Send the deck", "--due", "sat"],
        ["snooze", "anna", "sat"],
        ["log", "anna", "--via", "email", "--due", "2026-11-28"],
        ["add", "Nina Park", "--due", "28 nov"],
    ],
)
def test_a_typed_date_on_a_rest_day_is_kept_with_a_note(cli: Any, argv: list[str]) -> None:
    result = cli(*argv)
    assert result.code == 0, result.err
    notes = [line for line in result.err.splitlines() if "rest day" in line]
    assert notes == ["hint: Sat 28 Nov is a rest day; kept as typed"]


def test_a_suggested_date_gets_no_rest_day_note(cli: Any) -> None:
    result = cli("next", "anna", "Send the deck")
    assert result.code == 0
    assert "rest day" not in result.err


# -- names -------------------------------------------------------------------------------------


def test_zoe_finds_zoe_with_her_accent(cli: Any, tmp_store: Env) -> None:
    assert cli("add", "Zoë", "Ducroix").code == 0
    result = cli("log", "zoe", "--via", "call")
    assert result.code == 0, result.err
    assert result.out.startswith("logged call with Zoë Ducroix")
    assert cli("next", "ducroix", "Send the offer").code == 0
    assert stored(tmp_store, "Zoë Ducroix").next_step == "Send the offer"


def test_a_part_of_a_name_matches_at_the_start_of_a_word(cli: Any, tmp_store: Env) -> None:
    assert cli("add", "Hannah", "Lindqvist").code == 0
    result = cli("next", "berg", "Send the deck")
    assert result.code == 0, result.err
    assert result.out.startswith("next for Anna Berg:")


def test_a_name_that_matches_only_a_dropped_contact_says_so_and_writes_nothing(
    cli: Any, tmp_store: Env
) -> None:
    assert cli("add", "Hannah", "Lindqvist").code == 0
    assert cli("drop", "anna", "--yes").code == 0
    before = _files(tmp_store.path.parent)
    result = cli("log", "anna", "--via", "call")
    _refused(result, "Anna Berg is dropped: followup restore anna", before, tmp_store)
    hannah = stored(tmp_store, "Hannah Lindqvist")
    assert fresh(tmp_store).touches(hannah.uid) == []
    result = cli("log", "anna berg")
    _refused(result, "Anna Berg is dropped: followup restore 'anna berg'", before, tmp_store)


# -- commands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["tody"], "unknown command 'tody': did you mean today?"),
        (["lgo", "anna"], "unknown command 'lgo': did you mean log?"),
        (["snoze", "anna", "fri"], "unknown command 'snoze': did you mean snooze?"),
        (["frobnicate"], "unknown command 'frobnicate': see 'followup --help'"),
    ],
)
def test_an_unknown_command_is_one_line(
    cli: Any, tmp_store: Env, argv: list[str], message: str
) -> None:
    before = _files(tmp_store.path.parent)
    _refused(cli(*argv), message, before, tmp_store)


def test_today_on_an_empty_database_says_so_and_names_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "typo.json"
    result = run_cli(capsys, path, FixedClock(NOW), "today")
    assert result.code == 0
    first = result.out.splitlines()[0]
    assert first == f"no contacts in {path}: add one with followup add NAME (or is --db wrong?)"
    assert "nothing overdue" not in result.out


def test_today_with_only_dropped_contacts_says_so(cli: Any, tmp_store: Env) -> None:
    store = tmp_store.store
    for contact in store.contacts():
        store.update_fields(contact.uid, {"status": "dropped"})
    result = cli("today")
    assert result.out.splitlines()[0] == (
        f"no active contacts in {tmp_store.path}: all 5 are dropped (followup list --all)"
    )


def test_a_quiet_day_is_still_a_quiet_day(cli: Any, tmp_store: Env) -> None:
    store = tmp_store.store
    for contact in store.contacts():
        store.update_fields(contact.uid, {"next_due": date(2026, 12, 20)})
    assert cli("today").out.splitlines()[0] == "Tue 24 Nov 2026: nothing overdue or due today"


# -- the horizon (issue 24, point 2) -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["next", "anna", "X", "--due", "9999-12-31"],
        ["next", "anna", "X", "--due", "2036-11-25"],
        ["snooze", "anna", "2040-01-01"],
        ["log", "anna", "--due", "9999-12-31"],
        ["add", "Nina Park", "--due", "9999-12-31"],
    ],
)
def test_a_date_more_than_ten_years_out_is_refused(
    cli: Any, tmp_store: Env, argv: list[str]
) -> None:
    before = _files(tmp_store.path.parent)
    result = cli(*argv)
    assert result.code == 2
    assert result.err.startswith("followup: the next step date ")
    assert result.err.endswith(" is more than 10 years away (the latest is 2036-11-24)\n")
    assert _files(tmp_store.path.parent) == before


def test_a_date_at_the_horizon_is_kept_and_exported(cli: Any, tmp_store: Env) -> None:
    assert cli("next", "anna", "X", "--due", "2036-11-24").code == 0
    assert cli("snooze", "marco", "+10y").code == 0
    result = cli("export", "--format", "ics")
    assert result.code == 0, result.err
    assert "DTSTART;VALUE=DATE:20361124" in result.out
    assert "DTEND;VALUE=DATE:20361125" in result.out


# -- limits (issue 24, point 6) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "field", "limit"),
    [
        (["add", "N" * 201], "name", 200),
        (["add", "Nina", "--company", "C" * 201], "company", 200),
        (["add", "Nina", "--role", "R" * 201], "role", 200),
        (["add", "Nina", "--goal", "G" * 1001], "goal", 1000),
        (["add", "Nina", "--email", "e" * 321], "email", 320),
        (["add", "Nina", "--phone", "1" * 65], "phone", 64),
        (["add", "Nina", "--tag", "t" * 61], "tag", 60),
        (["add", "Nina", "--next", "n" * 1001], "next_step", 1000),
        (["next", "anna", "n" * 1001], "next_step", 1000),
        (["log", "anna", "--note", "n" * 10_001], "note", 10_000),
        (["log", "anna", "--next", "n" * 1001], "next_step", 1000),
        (["drop", "anna", "--yes", "--reason", "r" * 1001], "drop_reason", 1000),
        (["edit", "anna", "--name", "N" * 201], "name", 200),
        (["edit", "anna", "--company", "C" * 201], "company", 200),
        (["edit", "anna", "--tag", "t" * 61], "tag", 60),
    ],
)
def test_a_value_over_its_limit_is_refused(
    cli: Any, tmp_store: Env, argv: list[str], field: str, limit: int
) -> None:
    before = _files(tmp_store.path.parent)
    result = cli(*argv)
    assert result.code == 2, result
    assert result.err.startswith("followup: ")
    assert f"at most {limit} characters" in result.err
    assert result.err.count("\n") == 1
    assert _files(tmp_store.path.parent) == before


def test_a_5000_character_name_is_refused_not_cut(cli: Any, tmp_store: Env) -> None:
    result = cli("add", "N" * 5000)
    assert result.code == 2
    assert result.err == "followup: a name can be at most 200 characters (got 5000)\n"
    assert len(fresh(tmp_store).contacts()) == 5


def test_import_says_which_row_had_a_field_cut(cli: Any, tmp_store: Env, tmp_path: Path) -> None:
    csv = tmp_path / "big.csv"
    csv.write_text("Name,E-mail Address\n" + "A" * 5000 + ",long@example.com\nBo,bo@example.com\n")
    result = cli("import", str(csv))
    assert result.code == 0, result.err
    assert result.err == "note: big.csv: line 2: name cut to 200 characters (it had 5000)\n"
    assert result.out.startswith("2 new, 0 updated, 0 already here, 0 unreadable")


def test_the_names_index_finds_a_name_without_its_accents(
    cli: Any, tmp_store: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.store import Store

    assert cli("add", "Zoë", "Ducroix").code == 0
    assert cli("add", "Zoey", "Smith").code == 0

    def refused(*args: object, **kwargs: object) -> Any:
        raise AssertionError("every contact was built for a name the index holds")

    monkeypatch.setattr(Store, "contacts", refused)  # only the index's candidates are built
    result = cli("log", "zoe d", "--via", "call")
    assert result.code == 0, result.err
    assert result.out.startswith("logged call with Zoë Ducroix")
    result = cli("log", "zoe", "--via", "call")  # Zoë and Zoey: both found by the index
    assert result.code == 2
    assert result.err == "followup: 'zoe' matches 2 contacts: Zoë Ducroix (#6), Zoey Smith (#7)\n"
