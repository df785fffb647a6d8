"""The date grammar, on a fixed day: Tuesday 24 November 2026 (never the real clock)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import InputError
from store.rules.dates import describe, parse_date, parse_due, parse_when
from tests.paths import ROOT

TODAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
CET = timezone(timedelta(hours=1))


def day(month: int, dom: int, year: int = 2026) -> date:
    return date(year, month, dom)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # words
        ("today", TODAY),
        ("tomorrow", day(11, 25)),
        ("yesterday", day(11, 23)),
        ("  TOMORROW  ", day(11, 25)),
        ("Today", TODAY),
        # offsets
        ("+3d", day(11, 27)),
        ("3d", day(11, 27)),
        ("3 d", day(11, 27)),
        ("+3", day(11, 27)),
        ("0d", TODAY),
        ("2w", day(12, 8)),
        ("+2w", day(12, 8)),
        ("1m", day(12, 24)),
        ("3m", date(2027, 2, 24)),
        ("1y", date(2027, 11, 24)),
        ("in 3 days", day(11, 27)),
        ("in 1 day", day(11, 25)),
        ("in 2 weeks", day(12, 8)),
        ("in a week", day(12, 1)),
        ("in an week", day(12, 1)),
        ("in 1 month", day(12, 24)),
        ("in a month", day(12, 24)),
        ("in 2 years", date(2028, 11, 24)),
        ("3 days", day(11, 27)),
        ("IN  3   DAYS", day(11, 27)),
        ("-3d", day(11, 21)),
        ("-3", day(11, 21)),
        ("3 days ago", day(11, 21)),
        ("a week ago", day(11, 17)),
        ("2 months ago", day(9, 24)),
        # weekdays: the next occurrence strictly after today, with or without "next"
        ("wed", day(11, 25)),
        ("fri", day(11, 27)),
        ("friday", day(11, 27)),
        ("Friday", day(11, 27)),
        ("next fri", day(11, 27)),
        ("next friday", day(11, 27)),
        ("mon", day(11, 30)),
        ("tue", day(12, 1)),
        ("tuesday", day(12, 1)),
        ("next tue", day(12, 1)),
        ("tues", day(12, 1)),
        ("thurs", day(11, 26)),
        ("sun", day(11, 29)),
        ("last fri", day(11, 20)),
        ("last tue", day(11, 17)),
        ("last mon", day(11, 23)),
        ("next week", day(11, 30)),
        ("next month", day(12, 1)),
        # ISO
        ("2026-12-03", day(12, 3)),
        ("2026-1-5", day(1, 5)),
        ("2026/12/03", day(12, 3)),
        ("2020-02-29", date(2020, 2, 29)),
        ("2025-01-01", date(2025, 1, 1)),
        # month names
        ("dec 3", day(12, 3)),
        ("3 dec", day(12, 3)),
        ("december 3", day(12, 3)),
        ("3 december", day(12, 3)),
        ("Dec 3", day(12, 3)),
        ("dec. 3", day(12, 3)),
        ("dec 3rd", day(12, 3)),
        ("3rd of december", day(12, 3)),
        ("dec 3 2027", date(2027, 12, 3)),
        ("3 dec 2027", date(2027, 12, 3)),
        ("dec 3, 2027", date(2027, 12, 3)),
        ("3 dec 27", date(2027, 12, 3)),
        ("sept 9 2027", date(2027, 9, 9)),
        ("may 1", date(2027, 5, 1)),
        # without a year: on or after today, else next year (within six months)
        ("nov 24", TODAY),
        ("24 nov", TODAY),
        ("may 24", date(2027, 5, 24)),
        ("jan 1", date(2027, 1, 1)),
        # numeric, day first (the default)
        ("3/12", day(12, 3)),
        ("3.12", day(12, 3)),
        ("3.12.", day(12, 3)),
        ("3-12", day(12, 3)),
        ("03/12", day(12, 3)),
        ("3/12/2026", day(12, 3)),
        ("3-12-2026", day(12, 3)),
        ("3.12.2026", day(12, 3)),
        ("3/12/26", day(12, 3)),
        ("13/12", day(12, 13)),
        ("1/1", date(2027, 1, 1)),
        ("24/11", TODAY),
        ("23/11/2027", date(2027, 11, 23)),
        ("29/2/28", date(2028, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/3", day(12, 3)),
        ("12.3", day(12, 3)),
        ("12/3/2026", day(12, 3)),
        ("12-3-2026", day(12, 3)),
        ("12/13", day(12, 13)),
        ("1/2/27", date(2027, 1, 2)),
        # month names and ISO don't depend on the order
        ("3 dec", day(12, 3)),
        ("dec 3", day(12, 3)),
        ("2026-12-03", day(12, 3)),
    ],
)
def test_parse_date_month_first(text: str, expected: date) -> None:
    assert parse_date(text, TODAY, day_first=False) == expected


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        # "fri" and "next fri" on a Friday: a week ahead
        (date(2026, 11, 27), "fri", date(2026, 12, 4)),
        (date(2026, 11, 27), "next fri", date(2026, 12, 4)),
        # "next week" on a Monday and on a Sunday
        (date(2026, 11, 30), "next week", date(2026, 12, 7)),
        (date(2026, 11, 29), "next week", date(2026, 12, 7)),
        (date(2026, 11, 28), "next week", date(2026, 11, 30)),
        # "next month" in December, "1m" on the 31st (relativedelta clamps)
        (date(2026, 12, 15), "next month", date(2027, 1, 1)),
        (date(2027, 1, 31), "1m", date(2027, 2, 28)),
        (date(2028, 1, 31), "in 1 month", date(2028, 2, 29)),
        # a year-less date at the end of a year
        (date(2026, 12, 31), "jan 1", date(2027, 1, 1)),
        (date(2026, 12, 31), "dec 31", date(2026, 12, 31)),
        (date(2027, 12, 1), "feb 29", date(2028, 2, 29)),
    ],
)
def test_parse_date_on_other_days(today: date, text: str, expected: date) -> None:
    assert parse_date(text, today) == expected


BAD = [
    "32 dec",
    "dec 32",
    "feb 30",
    "31 apr",
    "0 dec",
    "13/13",
    "32/1",
    "0/1",
    "29/2/2027",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "3",
    "42",
    "in 3",
    "a week",
    "in 3 days ago",
    "+3d ago",
    "in -3d",
    "99999d",
    "-99999d",
    "999999m",
    "11y",
    "3.12.2026.",
    "3/12-2026",
    "3/12/202",
    "someday",
    "next",
    "next next fri",
    "this fri",
    "fri 3",
    "in an hour",
    "3 hours",
    "dec",
    "3 decembre",
    "12/3/2026/1",
    "٣d",  # Arabic-Indic digit: digits are ASCII only
    "tomorrow!",
    "x" * 200,
]


@pytest.mark.parametrize("text", BAD)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(text, TODAY)
    message = str(caught.value)
    assert "\n" not in message
    assert "try: " in message


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_parse_date_requires_a_date(text: str) -> None:
    with pytest.raises(InputError, match=r"^a date is required \(try: today, tomorrow, "):
        parse_date(text, TODAY)


def test_error_quotes_the_input_and_gives_examples() -> None:
    with pytest.raises(InputError) as caught:
        parse_date("32 dec", TODAY)
    assert str(caught.value) == (
        "can't read '32 dec' as a date (try: today, tomorrow, +3d, 2w, fri, next week, "
        "dec 3, 2026-12-03)"
    )


def test_error_on_a_numeric_date_names_the_order() -> None:
    with pytest.raises(InputError, match=r"numeric dates are day/month/year"):
        parse_date("13/13", TODAY)
    with pytest.raises(InputError, match=r"numeric dates are month/day/year"):
        parse_date("13/12", TODAY, day_first=False)


def test_error_on_a_far_offset_says_so() -> None:
    with pytest.raises(InputError, match=r"^can't read '99999d' as a date: more than 10 years"):
        parse_date("99999d", TODAY)


def test_error_quotes_the_input_safely() -> None:
    with pytest.raises(InputError) as caught:
        parse_date("\x1b]0;pwned\x07soon\x1b[2J\nplease", TODAY)
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message and "\n" not in message
    assert message.startswith("can't read 'soon please' as a date")
    with pytest.raises(InputError) as caught:
        parse_date("y" * 500, TODAY)
    assert len(str(caught.value)) < 150


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date.max, "tomorrow"),
        (date.max, "fri"),
        (date.max, "next week"),
        (date.max, "next month"),
        (date.max, "1m"),
        (date.max, "jan 1"),
        (date.max - timedelta(days=1), "3d"),
        (date.min, "yesterday"),
        (date.min, "last fri"),
        (date.min, "1 year ago"),
    ],
)
def test_parse_date_out_of_range_is_an_input_error(today: date, text: str) -> None:
    with pytest.raises(InputError):
        parse_date(text, today)


@pytest.mark.parametrize(("text", "expected"), [("today", TODAY), ("fri", day(11, 27))])
def test_parse_due_accepts_today_and_later(text: str, expected: date) -> None:
    assert parse_due(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [("2026-11-20", "2026-11-20"), ("yesterday", "2026-11-23"), ("-3d", "2026-11-21")],
)
def test_parse_due_rejects_the_past(text: str, shown: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_due(text, TODAY)
    assert str(caught.value) == f"the next step date {shown} is in the past"


def test_parse_due_reports_bad_text_as_parse_date_does() -> None:
    with pytest.raises(InputError, match=r"^can't read 'feb 30' as a date"):
        parse_due("feb 30", TODAY)


def test_parse_due_month_first() -> None:
    assert parse_due("12/3", TODAY, day_first=False) == day(12, 3)


# -- parse_when ---------------------------------------------------------------------------


def at(dom: int, hour: int, minute: int = 0, month: int = 11, tz: timezone = UTC) -> datetime:
    return datetime(2026, month, dom, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("NOW", NOW),
        ("today", NOW),
        ("yesterday", at(23, 9, 30)),
        ("8:15", at(24, 8, 15)),
        ("08:15", at(24, 8, 15)),
        ("0:05", at(24, 0, 5)),
        ("8am", at(24, 8)),
        ("8:15 am", at(24, 8, 15)),
        ("12am", at(24, 0)),
        ("9:31", at(24, 9, 31)),  # within the minute of tolerance
        ("yesterday 15:30", at(23, 15, 30)),
        ("yesterday at 3pm", at(23, 15)),
        ("3pm yesterday", at(23, 15)),
        ("12pm yesterday", at(23, 12)),
        ("-2d 10:00", at(22, 10)),
        ("2 days ago", at(22, 9, 30)),
        ("last fri 17:45", at(20, 17, 45)),
        # looking back: a bare weekday or year-less date is the latest on or before today
        ("fri", at(20, 9, 30)),
        ("fri 9:00", at(20, 9)),
        ("9am on mon", at(23, 9)),
        ("tue", NOW),
        ("tue 8:00", at(24, 8)),
        ("nov 20", at(20, 9, 30)),
        ("20 nov 14:00", at(20, 14)),
        ("20/11 14:00", at(20, 14)),
        ("dec 3", datetime(2025, 12, 3, 9, 30, tzinfo=UTC)),
        ("2026-11-20", at(20, 9, 30)),
        ("2026-11-20 15:30", at(20, 15, 30)),
        ("2026-11-20 3pm", at(20, 15)),
        ("2026-11-20T15:30", at(20, 15, 30)),
        ("2026-11-20t15:30:10", datetime(2026, 11, 20, 15, 30, 10, tzinfo=UTC)),
        ("2026-11-20T15:30+01:00", at(20, 14, 30)),
        ("2026-11-20T15:30Z", at(20, 15, 30)),
        ("2026-11-20 15:30:00+01:00", at(20, 14, 30)),
    ],
)
def test_parse_when(text: str, expected: datetime) -> None:
    moment = parse_when(text, NOW)
    assert moment == expected
    assert moment.tzinfo is NOW.tzinfo


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (datetime.min.replace(tzinfo=UTC), "yesterday"),
        (datetime.min.replace(tzinfo=UTC), "last fri 10:00"),
        (datetime.min.replace(tzinfo=UTC), "dec 3"),
        (datetime.min.replace(tzinfo=UTC), "0001-01-01T00:00+01:00"),
        (datetime.max.replace(tzinfo=UTC), "-3d"),
        (datetime.max.replace(tzinfo=UTC), "fri"),
    ],
)
def test_parse_when_out_of_range_is_an_input_error_or_a_moment(now: datetime, text: str) -> None:
    with contextlib.suppress(InputError):
        assert parse_when(text, now) <= now


def test_parse_when_keeps_nows_timezone() -> None:
    now = datetime(2026, 11, 24, 9, 30, tzinfo=CET)
    assert parse_when("yesterday 15:30", now) == datetime(2026, 11, 23, 15, 30, tzinfo=CET)
    assert parse_when("2026-11-20T15:30", now) == datetime(2026, 11, 20, 15, 30, tzinfo=CET)
    utc = parse_when("2026-11-20T15:30+00:00", now)
    assert utc.tzinfo is CET and utc == datetime(2026, 11, 20, 16, 30, tzinfo=CET)
    assert parse_when("fri", now) == datetime(2026, 11, 20, 9, 30, tzinfo=CET)


def test_parse_when_with_a_naive_now_stays_naive() -> None:
    now = datetime(2026, 11, 24, 9, 30)
    assert parse_when("yesterday 15:30", now) == datetime(2026, 11, 23, 15, 30)
    assert parse_when("2026-11-20T15:30+00:00", now).tzinfo is None


def test_parse_when_month_first() -> None:
    assert parse_when("11/20 14:00", NOW, day_first=False) == at(20, 14)


@pytest.mark.parametrize(
    "text",
    ["tomorrow", "next fri", "in 2 days", "15:30", "9:32", "2026-11-25", "2026-11-24T12:00"],
)
def test_parse_when_rejects_the_future(text: str) -> None:
    with pytest.raises(InputError, match=r"^a touch can't be logged in the future: "):
        parse_when(text, NOW)


@pytest.mark.parametrize(
    "text",
    ["", "3", "15", "24:00", "9:60", "13pm", "0am", "yesterday 25:00", "fri 9", "soon",
     "2026-11-20T25:00", "32 dec 10:00", "2026-02-30", "2026-02-30 10:00", "now now",
     "x" * 200],
)  # fmt: skip
def test_parse_when_rejects(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_when(text, NOW)
    message = str(caught.value)
    assert "\n" not in message
    assert "try: now, 15:30" in message


# -- describe -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ahead", "expected"),
    [
        (0, "Tue 24 Nov 2026 (today)"),
        (1, "Wed 25 Nov 2026 (tomorrow)"),
        (-1, "Mon 23 Nov 2026 (yesterday, in the past)"),
        (3, "Fri 27 Nov 2026 (in 3 days)"),
        (7, "Tue 1 Dec 2026 (in 7 days)"),
        (9, "Thu 3 Dec 2026 (in 9 days)"),
        (14, "Tue 8 Dec 2026 (in 2 weeks)"),
        (15, "Wed 9 Dec 2026 (in 15 days)"),
        (21, "Tue 15 Dec 2026 (in 3 weeks)"),
        (-2, "Sun 22 Nov 2026 (2 days ago, in the past)"),
        (-14, "Tue 10 Nov 2026 (2 weeks ago, in the past)"),
        (38, "Fri 1 Jan 2027 (in 38 days)"),
    ],
)
def test_describe(ahead: int, expected: str) -> None:
    assert describe(TODAY + timedelta(days=ahead), TODAY) == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.dates())
def test_describe_is_plain_ascii(day: date, today: date) -> None:
    text = describe(day, today)
    assert text.isascii() and text.isprintable()
    assert str(day.year) in text


# -- properties ---------------------------------------------------------------------------

WORDS = [
    "today", "tomorrow", "yesterday", "now", "in", "a", "an", "next", "last", "ago", "of",
    "week", "month", "weeks", "days", "d", "w", "m", "y", "fri", "tuesday", "dec", "sept",
    "+", "-", "/", ".", ":", "am", "pm", "rd", "t", "z", ",", " ", "3", "12", "31", "2026",
    "00", "99999", "2026-12-03", "15:30",
]  # fmt: skip
grammar_like = st.lists(st.sampled_from(WORDS) | st.integers(-99, 99999).map(str), max_size=6)
texts = st.text(max_size=40) | grammar_like.map(" ".join) | grammar_like.map("".join)
any_day = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@settings(max_examples=300, deadline=None)
@given(texts, any_day, st.booleans())
def test_parse_date_returns_a_date_or_raises_input_error(
    text: str, today: date, day_first: bool
) -> None:
    try:
        result = parse_date(text, today, day_first=day_first)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert type(result) is date


@settings(max_examples=300, deadline=None)
@given(texts, any_day, st.booleans())
def test_parse_due_is_never_in_the_past(text: str, today: date, day_first: bool) -> None:
    try:
        result = parse_due(text, today, day_first=day_first)
    except InputError:
        return
    assert result >= today


@settings(max_examples=300, deadline=None)
@given(
    texts,
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.sampled_from([UTC, CET, None]),
    st.booleans(),
)
def test_parse_when_returns_a_past_moment_or_raises_input_error(
    text: str, naive: datetime, tz: timezone | None, day_first: bool
) -> None:
    now = naive.replace(tzinfo=tz)
    try:
        result = parse_when(text, now, day_first=day_first)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert type(result) is datetime
    assert result.tzinfo is now.tzinfo
    assert result <= now + timedelta(minutes=1)


near_today = st.dates(min_value=TODAY - timedelta(days=5 * 366), max_value=date(2031, 11, 24))
MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@settings(max_examples=300, deadline=None)
@given(near_today)
def test_round_trips(d: date) -> None:
    assert parse_date(d.isoformat(), TODAY) == d
    assert parse_date(d.strftime("%d/%m/%Y"), TODAY, day_first=True) == d
    assert parse_date(d.strftime("%m/%d/%Y"), TODAY, day_first=False) == d
    assert parse_date(f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}", TODAY) == d
    assert parse_date(f"{MONTH_NAMES[d.month - 1]} {d.day} {d.year}", TODAY) == d
    assert parse_date(f"{d.day}.{d.month}.{d.year % 100:02d}", TODAY) == d


@settings(max_examples=200, deadline=None)
@given(st.integers(-3650, 3650))
def test_day_offsets_round_trip(days: int) -> None:
    expected = TODAY + timedelta(days=days)
    text = f"+{days}d" if days >= 0 else f"{-days} days ago"
    assert parse_date(text, TODAY) == expected
    assert parse_date(f"{days}d", TODAY) == expected  # "-3d" or "3d"


@settings(max_examples=200, deadline=None)
@given(near_today, st.integers(0, 6), st.sampled_from(["", "next "]))
def test_weekdays_are_strictly_after_today(today: date, weekday: int, prefix: str) -> None:
    name = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][weekday]
    result = parse_date(prefix + name, today)
    assert result.weekday() == weekday
    assert 1 <= (result - today).days <= 7


@settings(max_examples=200, deadline=None)
@given(near_today, st.integers(1, 12), st.integers(1, 31))
def test_a_date_without_a_year_is_the_next_one(today: date, month: int, dom: int) -> None:
    try:
        expected = min(
            d
            for year in range(today.year, today.year + 9)
            for d in _valid(year, month, dom)
            if d >= today
        )
    except ValueError:  # no such day in any year
        with pytest.raises(InputError):
            parse_date(f"{dom} {MONTH_NAMES[month - 1]}", today)
        return
    if expected > _six_months_after(today):  # probably one that has passed
        with pytest.raises(InputError, match=r"has passed; write .* for next year"):
            parse_date(f"{dom} {MONTH_NAMES[month - 1]}", today)
        with pytest.raises(InputError, match="has passed"):
            parse_date(f"{dom}/{month}", today)
        return
    assert parse_date(f"{dom} {MONTH_NAMES[month - 1]}", today) == expected
    assert parse_date(f"{dom}/{month}", today) == expected


def _valid(year: int, month: int, dom: int) -> list[date]:
    try:
        return [date(year, month, dom)]
    except ValueError:
        return []


# -- import cost --------------------------------------------------------------------------


def test_importing_dates_loads_no_dateutil_and_no_textual() -> None:
    code = (
        "import sys, store.rules.dates\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('dateutil', 'textual', 'tinydb', 'calendar') or m == 'store.model']\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_time_of_day_is_kept_for_a_date_alone() -> None:
    now = datetime.combine(TODAY, time(17, 5, 42, 123), tzinfo=CET)
    assert parse_when("yesterday", now) == now - timedelta(days=1)


def _six_months_after(today: date) -> date:
    import calendar

    year, month = divmod(today.month + 5, 12)
    last = calendar.monthrange(today.year + year, month + 1)[1]
    return date(today.year + year, month + 1, min(today.day, last))


# -- the rules of issue 25 and 24: dates people type ----------------------------------


@pytest.mark.parametrize(
    ("today", "text", "shown"),
    [
        (date(2026, 12, 6), "3/12", "3 Dec has passed; write 2027-12-03 for next year"),
        (date(2026, 12, 6), "dec 3", "3 Dec has passed; write 2027-12-03 for next year"),
        (date(2026, 12, 6), "3 dec", "3 Dec has passed; write 2027-12-03 for next year"),
        (date(2026, 12, 6), "29 nov", "29 Nov has passed; write 2027-11-29 for next year"),
        (date(2026, 12, 6), "june 7", "7 Jun has passed; write 2027-06-07 for next year"),
        (date(2026, 1, 5), "dec 3", "3 Dec has passed; write 2026-12-03 for next year"),
    ],
)
def test_a_date_without_a_year_more_than_six_months_away_is_refused_as_past(
    today: date, text: str, shown: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(text, today)
    assert str(caught.value) == shown


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 12, 6), "june 6", date(2027, 6, 6)),  # six months exactly: kept
        (date(2026, 12, 6), "dec 6", date(2026, 12, 6)),
        (date(2026, 12, 6), "3/12/2027", date(2027, 12, 3)),  # with a year: as written
        (date(2026, 12, 6), "dec 3 2027", date(2027, 12, 3)),
        (date(2026, 8, 31), "feb 28", date(2027, 2, 28)),
    ],
)
def test_a_date_without_a_year_within_six_months_is_its_next_occurrence(
    today: date, text: str, expected: date
) -> None:
    assert parse_date(text, today) == expected


def test_a_date_without_a_year_looking_back_is_still_the_latest_one() -> None:
    moment = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert parse_when("dec 7", moment).date() == date(2025, 12, 7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in two weeks", TODAY + timedelta(weeks=2)),
        ("two weeks", TODAY + timedelta(weeks=2)),
        ("in three days", TODAY + timedelta(days=3)),
        ("In Ten Days", TODAY + timedelta(days=10)),
        ("in one month", date(2026, 12, 24)),
        ("twenty days", TODAY + timedelta(days=20)),
        ("two weeks ago", TODAY - timedelta(weeks=2)),
    ],
)
def test_numbers_as_words(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 6), date(2026, 12, 14)),  # Sunday: not tomorrow
        (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday
        (date(2026, 12, 7), date(2026, 12, 14)),  # Monday: a week ahead
        (date(2026, 12, 11), date(2026, 12, 14)),  # Friday
    ],
)
def test_next_week_on_a_sunday_is_the_week_after_the_coming_one(
    today: date, expected: date
) -> None:
    assert parse_date("next week", today) == expected


def test_a_next_step_more_than_ten_years_out_is_refused() -> None:
    from store.rules.dates import check_due, horizon

    assert horizon(TODAY) == date(2036, 11, 24)
    assert horizon(date(2028, 2, 29)) == date(2038, 2, 28)
    assert parse_due("2036-11-24", TODAY) == date(2036, 11, 24)
    assert parse_due("+10y", TODAY) == date(2036, 11, 24)
    for text in ("9999-12-31", "2036-11-25", "3654d"):
        with pytest.raises(InputError) as caught:
            parse_due(text, TODAY)
        assert "more than 10 years away (the latest is 2036-11-24)" in str(caught.value)
    with pytest.raises(InputError, match="more than 10 years"):
        check_due(date.max, TODAY)
    assert horizon(date(9995, 1, 1)) == date.max


@pytest.mark.parametrize(
    ("environ", "day_first"),
    [
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "de_DE.UTF-8"}, True),
        ({"LANG": "fil_PH"}, False),
        ({"LANG": "C"}, True),
        ({"LANG": "POSIX"}, True),
        ({"LANG": "C.UTF-8"}, True),
        ({}, True),
        ({"LANG": "de_DE.UTF-8", "LC_TIME": "en_US.UTF-8"}, False),
        ({"LANG": "en_US.UTF-8", "LC_TIME": "de_DE.UTF-8"}, True),
        ({"LC_ALL": "en_US", "LC_TIME": "en_GB.UTF-8"}, False),
        ({"LC_ALL": "", "LANG": "es_US.UTF-8@euro"}, False),
    ],
)
def test_the_date_order_follows_the_locale(environ: dict[str, str], day_first: bool) -> None:
    from store.locale import locale_day_first

    assert locale_day_first(environ) is day_first


def test_the_date_order_follows_the_locale_until_it_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from store.model import Settings
    from store.rules.settings_keys import apply, show

    monkeypatch.setenv("LC_TIME", "en_US.UTF-8")
    settings = Settings()
    assert settings.day_first is False
    assert show(settings)["date-order"] == "month-first"
    assert "date_order" not in settings.to_doc()
    # saving every key unchanged (the settings screen) keeps following the locale
    assert apply(settings, "date-order", "month-first").date_order is None
    pinned = apply(settings, "date-order", "month-first", explicit=True)
    assert pinned.date_order == "month-first"
    assert Settings.from_doc(pinned.to_doc()).date_order == "month-first"
    day_first = apply(settings, "date-order", "day-first")
    assert day_first.day_first is True
    monkeypatch.setenv("LC_TIME", "de_DE.UTF-8")
    assert Settings().day_first is True
    assert Settings.from_doc({"date_order": "month-first"}).day_first is False
    assert apply(pinned, "date-order", "locale").date_order is None
