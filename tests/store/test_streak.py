"""The daily streak, on fixed days around Tuesday 2026-11-24."""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.rules.streak import Streak, compute_streak, touch_days
from tests.factories import TODAY, at, make_touch

WEEKEND = (5, 6)
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 11, d) for d in (16, 17, 18, 19, 20, 21, 22))
MON2 = date(2026, 11, 23)
assert TODAY.weekday() == 1 and MON2.weekday() == 0 and SAT.weekday() == 5


def nov(*days: int) -> list[date]:
    return [date(2026, 11, d) for d in days]


@pytest.mark.parametrize(
    ("touched", "today", "rest", "current", "best", "at_risk"),
    [
        pytest.param([], TODAY, WEEKEND, 0, 0, False, id="nothing"),
        pytest.param([TODAY], TODAY, WEEKEND, 1, 1, False, id="today-only"),
        pytest.param(nov(23, 24), TODAY, WEEKEND, 2, 2, False, id="mon-tue"),
        pytest.param(nov(23), TODAY, WEEKEND, 1, 1, True, id="yesterday-at-risk"),
        pytest.param(nov(19, 20, 23, 24), TODAY, WEEKEND, 4, 4, False, id="across-weekend"),
        pytest.param(nov(20, 21, 23, 24), TODAY, WEEKEND, 4, 4, False, id="saturday-touch-counts"),
        pytest.param(nov(20, 21, 22), SUN, WEEKEND, 3, 3, False, id="sunday-after-sat-touch"),
        pytest.param(nov(18, 19, 20), MON2, WEEKEND, 3, 3, True, id="monday-morning-at-risk"),
        pytest.param(nov(19, 20), SAT, WEEKEND, 2, 2, False, id="saturday-no-touch-not-at-risk"),
        pytest.param(nov(19, 20, 24), TODAY, WEEKEND, 1, 2, False, id="missed-monday-breaks"),
        pytest.param(nov(20), TODAY, WEEKEND, 0, 1, False, id="broken-not-at-risk"),
        pytest.param(
            nov(2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 23, 24), TODAY, WEEKEND, 2, 10, False, id="best"
        ),
        pytest.param(nov(24, 25, 26, 27), TODAY, WEEKEND, 1, 1, False, id="future-ignored"),
        pytest.param(nov(20, 23, 24), TODAY, (), 2, 2, False, id="no-rest-days"),
        pytest.param(nov(21, 22, 24), TODAY, (0,), 3, 3, False, id="monday-as-rest-day"),
        pytest.param(nov(2), TODAY, range(7), 1, 1, False, id="every-day-rest"),
        pytest.param(
            [date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2)],
            date(2026, 1, 5),
            WEEKEND,
            3,
            3,
            True,
            id="across-new-year",
        ),
    ],
)
def test_compute_streak(
    touched: list[date], today: date, rest: tuple[int, ...], current: int, best: int, at_risk: bool
) -> None:
    streak = compute_streak(dict.fromkeys(touched, 2), today, rest)
    assert (streak.current, streak.best, streak.at_risk) == (current, best, at_risk)
    assert streak.touches_today == (2 if today in touched else 0)


def test_zero_counts_are_no_touch() -> None:
    assert compute_streak({TODAY: 0, MON2: 1}, TODAY, WEEKEND) == Streak(1, 1, True, 0)


def test_logging_today_clears_at_risk() -> None:
    days = dict.fromkeys(nov(18, 19, 20, 23), 1)
    assert compute_streak(days, TODAY, WEEKEND) == Streak(4, 4, True, 0)
    days[TODAY] = 3
    assert compute_streak(days, TODAY, WEEKEND) == Streak(5, 5, False, 3)


@pytest.mark.parametrize(
    ("streak", "line"),
    [
        (Streak(12, 20, False, 3), "12-day streak (best 20)"),
        (Streak(12, 20, True, 0), "12-day streak, at risk: log a touch today (best 20)"),
        (Streak(1, 1, False, 1), "1-day streak (best 1)"),
        (Streak(0, 0, False, 0), "no streak yet"),
        (Streak(0, 7, False, 0), "no streak (best 7)"),
    ],
)
def test_line(streak: Streak, line: str) -> None:
    assert streak.line() == line
    assert streak.line().isascii()


def test_to_json() -> None:
    assert Streak(3, 5, True, 0).to_json() == {
        "current": 3,
        "best": 5,
        "at_risk": True,
        "touches_today": 0,
    }


def test_touch_days_uses_each_touch_s_own_offset() -> None:
    minus5 = timezone(timedelta(hours=-5))
    plus1 = timezone(timedelta(hours=1))
    touches = [
        make_touch(at=at(TODAY, 23, 30, tz=minus5)),  # already the 25th in UTC
        make_touch(at=at(TODAY, 9)),
        make_touch(at=at(date(2026, 11, 25), 0, 30, tz=plus1)),  # still the 24th in UTC
        make_touch(at=at(SAT, 12)),
    ]
    assert touch_days(touches) == {TODAY: 2, date(2026, 11, 25): 1, SAT: 1}
    assert touch_days([]) == {}


def reference_streak(days: dict[date, int], today: date, rest: set[int]) -> tuple[int, int, bool]:
    """The rule spelled out day by day, for comparison."""
    touched = {d for d, n in days.items() if n > 0 and d <= today}
    best = run = 0
    if touched:
        day = min(touched)
        while day <= today:
            if day in touched:
                run += 1
                best = max(best, run)
            elif day.weekday() not in rest and day != today:
                run = 0
            day += timedelta(days=1)
    current = run
    at_risk = current > 0 and today not in touched and today.weekday() not in rest
    return current, best, at_risk


@given(
    offsets=st.sets(st.integers(min_value=-60, max_value=5), max_size=40),
    rest=st.sets(st.integers(min_value=0, max_value=6)),
)
def test_matches_day_by_day_rule(offsets: set[int], rest: set[int]) -> None:
    days = {TODAY + timedelta(days=o): 1 for o in offsets}
    streak = compute_streak(days, TODAY, rest)
    assert (streak.current, streak.best, streak.at_risk) == reference_streak(days, TODAY, rest)
    assert streak.best >= streak.current


def test_three_years_of_history() -> None:
    start = TODAY - timedelta(days=3 * 365)
    days = {start + timedelta(days=i): 1 + i % 90 for i in range(3 * 365 + 1) if i % 47}
    assert sum(days.values()) > 45_000
    streak = compute_streak(days, TODAY, WEEKEND)
    assert (streak.current, streak.best, streak.at_risk) == reference_streak(days, TODAY, WEEKEND)
