"""First follow-ups of imported contacts, spread out: 500 LinkedIn connections don't
all fall due tomorrow.

Each new contact's first follow-up falls on a working day (not one of the settings'
rest days) within its heat's cadence from today, on the least busy such day (the
earliest of equally busy ones), and no day gets more than the daily target, counting
what is already due that day. A first follow-up is never later than the heat's cadence:
when a heat's window is full, the contacts left get no date (None; the import counts
them), never a date months or centuries out.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from store.model import Settings


def _is_working(day: date, rest: frozenset[int]) -> bool:
    return day.weekday() not in rest


def stagger(
    heats: Sequence[str],
    today: date,
    settings: Settings,
    already_due: Mapping[date, int] | None = None,
) -> list[date | None]:
    """The first due date of each new contact, in the order of `heats` (None: no room
    within its heat's cadence)."""
    rest = frozenset(settings.rest_days)
    if len(rest) >= 7:
        rest = frozenset()
    target = max(1, settings.daily_target)
    load: dict[date, int] = dict(already_due or {})
    result: list[date | None] = [None] * len(heats)
    by_heat: dict[str, list[int]] = {}
    for index, heat in enumerate(heats):
        by_heat.setdefault(heat, []).append(index)
    # The shortest cadence first, so hot contacts get the nearest days.
    for heat in sorted(by_heat, key=settings.cadence_for):
        window_end = today + timedelta(days=max(1, settings.cadence_for(heat)))
        day = today + timedelta(days=1)
        heap: list[tuple[int, date]] = []
        while day <= window_end:
            if _is_working(day, rest) and load.get(day, 0) < target:
                heapq.heappush(heap, (load.get(day, 0), day))
            day += timedelta(days=1)
        for index in by_heat[heat]:
            if not heap:  # the window is full: the rest of this heat get no date
                break
            count, chosen = heapq.heappop(heap)
            if count + 1 < target:
                heapq.heappush(heap, (count + 1, chosen))
            load[chosen] = load.get(chosen, 0) + 1
            result[index] = chosen
    return result
