"""Where "now" comes from. The app and the command line use the system clock;
tests pass a `FixedClock` so that no rule ever depends on today's date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol

import msgspec


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in local time."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()


class FixedClock(msgspec.Struct):
    """A clock that stands still until a test moves it."""

    moment: datetime

    def __post_init__(self) -> None:
        if self.moment.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def today(clock: Clock) -> date:
    return clock.now().date()
