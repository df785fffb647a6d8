"""Small factories for model objects with fixed, timezone-aware datetimes.

Every default is fixed, so a test states only what it is about:
`make_contact(name="Anna Berg", heat="hot")`, `make_touch(at=at(TODAY), outcome="reached")`.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from store.model import Contact, Touch

TODAY = date(2026, 11, 24)  # a Tuesday
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
CREATED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))

_ids = itertools.count(1)


def at(day: date, hour: int = 10, minute: int = 0, tz: timezone = UTC) -> datetime:
    """A timezone-aware moment on `day` (10:00 UTC unless told otherwise)."""
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def make_contact(**overrides: Any) -> Contact:
    """A Contact with fixed timestamps; `id` and `uid` are unique unless given."""
    number = next(_ids)
    fields: dict[str, Any] = {
        "name": f"Contact {number}",
        "created_at": CREATED,
        "updated_at": CREATED,
        "id": number,
        "uid": f"contact-{number}",
        "heat": "warm",
    }
    fields.update(overrides)
    return Contact(**fields)


def make_touch(**overrides: Any) -> Touch:
    """A Touch (an unanswered email today) with a unique `uid`.

    Pass `contact=` instead of `contact_uid=` to attach it to a Contact.
    """
    number = next(_ids)
    contact = overrides.pop("contact", None)
    fields: dict[str, Any] = {
        "contact_uid": contact.uid if contact is not None else "contact-x",
        "at": at(TODAY),
        "channel": "email",
        "outcome": "waiting",
        "direction": "out",
        "id": number,
        "uid": f"touch-{number}",
    }
    fields.update(overrides)
    return Touch(**fields)
