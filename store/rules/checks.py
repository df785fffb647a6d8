"""Field validation: what the Store refuses to write, as one-line InputErrors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from store.errors import InputError
from store.model import (
    CHANNELS,
    DIRECTIONS,
    FIELD_LIMITS,
    HEATS,
    KINDS,
    OUTCOMES,
    STATUSES,
    TAG_MAX,
    Contact,
    Touch,
)
from store.rules.emails import check_email
from store.rules.text import check_name, check_text, clean
from store.rules.values import VALUE_MAX


def checked(contact: Contact, only: Iterable[str] | None = None) -> Contact:
    """The contact with its text normalised, or an InputError naming the bad field.
    With `only`, just those fields are checked (the ones a change writes): a field edited
    by hand out of bounds does not block a change to another one."""
    fields = None if only is None else set(only)

    def wanted(name: str) -> bool:
        return fields is None or name in fields

    for name, allowed in (("heat", HEATS), ("kind", KINDS), ("status", STATUSES)):
        if wanted(name):
            require(getattr(contact, name), allowed, name)
    if contact.channel is not None and wanted("channel"):
        require(contact.channel, CHANNELS, "channel")
    cadence = contact.cadence_days
    if (
        wanted("cadence_days")
        and cadence is not None
        and (type(cadence) is not int or not 0 < cadence <= 3650)
    ):
        raise InputError("a cadence must be a whole number of days from 1 to 3650")
    changes: dict[str, Any] = {}
    value = contact.value
    if value is not None and wanted("value"):
        if type(value) not in (int, float) or not abs(value) <= VALUE_MAX:
            raise InputError(f"a value must be a number of at most {VALUE_MAX:,.0f}")
        changes["value"] = float(value)
    for name, limit in FIELD_LIMITS.items():
        if wanted(name):
            changes[name] = check_text(getattr(contact, name), name, limit)
    if wanted("email"):
        check_email(changes["email"])
    if wanted("tags"):
        changes["tags"] = tuple(
            dict.fromkeys(t for t in (check_text(t, "tag", TAG_MAX) for t in contact.tags) if t)
        )
    if wanted("name"):
        changes["name"] = check_name(contact.name)
    return replace(contact, **changes)


def checked_record(contact: Contact) -> Contact:
    """`checked` for a whole stored record written again: an error names the record
    (its bad field was edited by hand, not typed)."""
    try:
        return checked(contact)
    except InputError as error:
        raise InputError(
            f"contact #{contact.id} ({clean(contact.name)!r}) has a stored field out of "
            f"bounds: {error}; fix it by hand; nothing was changed"
        ) from None


def checked_touch(touch: Touch) -> Touch:
    require(touch.channel, CHANNELS, "channel")
    require(touch.outcome, OUTCOMES, "outcome")
    require(touch.direction, DIRECTIONS, "direction")
    if touch.at.tzinfo is None:
        raise InputError("a touch needs a time with a UTC offset")
    return replace(touch, note=check_text(touch.note, "note"))


def require(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InputError(f"unknown {what} {value!r} (choose from {', '.join(allowed)})")
