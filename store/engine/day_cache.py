"""The per-day touch counts cached in the main file.

The main file's `cache` table holds the number of touches logged on each day, with the
signature of the touches journal it was counted from ([identity, offset, the hash of all
of its bytes before that offset]: store/engine/prefix.py), so `followup today` can show
the streak without parsing every touch. The counts are never believed: a cache whose
signature does not match the journal on disk (another copy, an older one, one edited by
hand or changed by bit rot anywhere) is ignored and counted afresh, from the journal read
whole, every line checked.
"""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from store.engine.files import Tables

if TYPE_CHECKING:
    from store.engine.journal import Journal


def first(tables: Tables, table: str) -> dict[str, Any] | None:
    """The first record of a table (the tables of one record: meta, settings, cache)."""
    docs = tables.get(table) or {}
    found = next(iter(docs.values()), None)
    return found if isinstance(found, dict) else None


def signature_of(journal: Journal, *, on_disk: bool = False) -> list[Any] | None:
    """The journal's signature as the counts record it: its identity, its size (as read,
    or `on_disk`), and the hash of its bytes before that size (as read, when the journal
    on disk is the one read to that size; else read from the file, from where the last
    such read ended when it is the same file, grown: `Journal.followed`)."""
    read = journal.signature()
    found = journal.on_disk() if on_disk else read
    if found is None:
        return None
    identity, size = found
    if found == read:
        return [identity, size, journal.hash_at(size)]
    return [identity, size, journal.followed.digest(journal.path, size)]


def fits(cache: dict[str, Any] | None, signature: Sequence[Any] | None) -> bool:
    """Whether a cache was counted from the touches file of this signature. Counts
    written before the signature held the journal's last bytes ([identity, size]) are
    taken as that version took them, until the next write records them whole."""
    recorded = (cache or {}).get("touches_sig")
    wanted = list(signature or ())
    if isinstance(recorded, list) and len(recorded) == 2 and len(wanted) == 3:
        return bool(cache) and wanted[:2] == recorded
    return bool(cache) and wanted == recorded


def counted(cache: dict[str, Any] | None, signature: Sequence[Any] | None) -> Counter[str] | None:
    """The cached per-day counts, if they describe the touches of this signature."""
    if not cache or not fits(cache, signature):
        return None
    days = cache.get("touch_days")
    return Counter(days) if isinstance(days, dict) else None


def with_cache(
    main: Tables,
    touches: dict[str, Any] | None,
    counted_before: Counter[str] | None,
    delta: Counter[str],
    signature: Sequence[Any] | None,
) -> Tables:
    """The main tables with the per-day touch counts of the touches just written: the
    old counts plus this transaction's changes (`delta`), or counted afresh from the
    records `touches` (without them, and no counts that fit, the cache is dropped)."""
    tables = dict(main)
    if counted_before is None:
        if touches is None:
            tables.pop("cache", None)
            return tables
        days = count_days(touches)
    else:
        counted_before.update(delta)
        days = {d: n for d, n in sorted(counted_before.items()) if n > 0}
    tables["cache"] = {"1": {"touches_sig": list(signature or ()), "touch_days": days}}
    return tables


def count_days(docs: dict[str, Any]) -> dict[str, int]:
    """Touches per day, by the date each was logged on (in its own UTC offset)."""
    days = Counter(
        at[:10]
        for doc in docs.values()
        if doc.__class__ is dict and (at := doc.get("at")).__class__ is str and aware(at)
    )
    return dict(sorted(days.items()))


def aware(at: str) -> bool:
    """True for an ISO time with a UTC offset: only those are touches (one without is
    reported as a record that can't be read, and left out of the streak too)."""
    if len(at) > 19 and at[-6] in "+-" and at[-3] == ":":  # ...+01:00, the usual form
        return True
    try:
        return datetime.fromisoformat(at).tzinfo is not None
    except ValueError:
        return False


def as_dates(counts: dict[str, Any]) -> dict[date, int]:
    """The cached counts by date (an entry that can't be read is left out)."""
    days: dict[date, int] = {}
    for day, count in counts.items():
        try:
            days[_day(day)] = int(count)
        except (TypeError, ValueError):
            continue
    return days


_NONE = object()  # no entry


class Dated:
    """`as_dates` of one file's counts, read again and again (the dashboard, after each
    change): only the days whose entries changed since the last are converted again."""

    def __init__(self) -> None:
        self._counts: dict[str, Any] = {}
        self._dates: dict[date, int] = {}

    def __call__(self, counts: dict[str, Any]) -> dict[date, int]:
        was = self._counts
        known = was.get
        # Compared entry by entry: a set of the (day, count) pairs costs more (every
        # pair hashed), and a count edited by hand into a list could not be hashed.
        changed = {day: n for day, n in counts.items() if known(day, _NONE) != n}
        gone = was.keys() - counts.keys()
        if len(changed) + len(gone) > len(counts) // 2:
            dates = as_dates(counts)
        else:
            dates = dict(self._dates)
            for day in (*gone, *changed):
                with contextlib.suppress(ValueError):  # was left out as it could not be read
                    dates.pop(_day(day), None)
            dates.update(as_dates(changed))
        self._counts, self._dates = dict(counts), dates
        return dict(dates)


@functools.lru_cache(maxsize=8192)
def _day(text: str) -> date:
    """A day of the counts (the dashboard reads the same days after every change)."""
    return date.fromisoformat(text)
