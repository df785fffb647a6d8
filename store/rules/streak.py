"""The daily streak: consecutive non-rest days with at least one touch.

Rest days without a touch neither break nor extend a streak; a touch logged on a rest
day counts as a day of it. The work is done per touched day, not per touch or per
calendar day, so years of history cost well under a millisecond.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta

import msgspec

from store.model import Touch


class Streak(msgspec.Struct, frozen=True):
    current: int
    best: int
    at_risk: bool
    touches_today: int

    def line(self) -> str:
        """The header line, e.g. "12-day streak (best 20)"."""
        if self.current == 0:
            return f"no streak (best {self.best})" if self.best else "no streak yet"
        risk = ", at risk: log a touch today" if self.at_risk else ""
        return f"{self.current}-day streak{risk} (best {self.best})"

    def to_json(self) -> dict[str, int | bool]:
        return {
            "current": self.current,
            "best": self.best,
            "at_risk": self.at_risk,
            "touches_today": self.touches_today,
        }


def touch_days(touches: Iterable[Touch]) -> dict[date, int]:
    """Touches per day, each on the date of its own recorded offset."""
    return dict(Counter(t.at.date() for t in touches))


def _workdays_between(start: date, end: date, rest: frozenset[int]) -> int:
    """Non-rest days strictly between `start` and `end`."""
    first = start + timedelta(days=1)
    span = (end - first).days
    if span <= 0:
        return 0
    weeks, extra = divmod(span, 7)
    wd = first.weekday()
    partial = sum(1 for i in range(extra) if (wd + i) % 7 not in rest)
    return weeks * (7 - len(rest)) + partial


def compute_streak(days: Mapping[date, int], today: date, rest_days: Collection[int]) -> Streak:
    """The streak ending today (or on the last non-rest day before it), and the best one.

    `days` maps a date to its number of touches (see `touch_days`); `rest_days` are
    weekday numbers, Monday = 0. Days after `today` are ignored.
    """
    rest = frozenset(d for d in rest_days if 0 <= d <= 6)
    touched = sorted(d for d, n in days.items() if n > 0 and d <= today)
    best = run = 0
    previous: date | None = None
    for day in touched:
        joined = previous is not None and _workdays_between(previous, day, rest) == 0
        run = run + 1 if joined else 1
        best = max(best, run)
        previous = day
    current = 0
    if previous is not None and (
        previous == today or _workdays_between(previous, today, rest) == 0
    ):
        current = run
    touches_today = days.get(today, 0)
    at_risk = current > 0 and touches_today <= 0 and today.weekday() not in rest
    return Streak(current=current, best=best, at_risk=at_risk, touches_today=touches_today)
