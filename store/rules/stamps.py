"""Field stamps: when each field of a contact was last changed, so that two copies of a
database (a laptop's and a server's) merge field by field.

Every write of a contact stamps the fields it changes (`stamped`, called by the Store
for each write); an import merges a copy's record into the one here (`merged`): for
each field the newer edit wins, so edits of different fields on the two copies both
survive. A field without a stamp was last changed when its contact was made, or, for a
record with no stamps at all (written before stamps, or an old export), at its
`updated_at`: two such records merge as whole records, the newer one winning. When a
record gets its first stamps, its `updated_at` until then is kept as the stamp of
every other field (under "*"), so what it knew is not forgotten. A stamp
more than a day ahead of the clock never wins (a wrong clock or a hand-edited file
would otherwise win every merge forever).
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime, timedelta

from store.model import Contact

SLACK = timedelta(days=1)  # how far ahead of the clock a stamp may be and still count
BASE = "*"  # the stamp of every field without one of its own

# The fields a stamp is kept for: all but the identity and the record's own times.
STAMPED: tuple[str, ...] = tuple(
    f.name
    for f in fields(Contact)
    if f.name not in ("uid", "id", "created_at", "updated_at", "field_stamps")
)


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def kept_stamps(contact: Contact) -> Contact:
    """`contact` with only the stamps a merge can use (a known field, a moment with its
    UTC offset): what another copy brings is never kept otherwise."""
    kept = tuple(
        (name, text)
        for name, text in contact.field_stamps
        if (name in STAMPED or name == BASE) and _moment(text) is not None
    )
    return contact if kept == contact.field_stamps else replace(contact, field_stamps=kept)


def stamp_of(contact: Contact, name: str, horizon: datetime | None = None) -> datetime | None:
    """When field `name` was last changed; None when that is after `horizon` (a stamp
    from the future: it never wins)."""
    stamps = dict(contact.field_stamps)
    moment = _moment(stamps.get(name)) or _moment(stamps.get(BASE))
    if moment is None:
        moment = contact.created_at if stamps else contact.updated_at
    if horizon is not None and moment > horizon:
        return None
    return moment


def stamped(stored: Contact | None, new: Contact, now: datetime) -> Contact:
    """`new`, about to replace `stored`, with each field it changes stamped `now`,
    unless `new` carries a stamp for that field newer than `stored`'s (a merge brings
    the other copy's stamp along); the fields it leaves as they are keep their stamps."""
    if stored is None:
        return new
    old = dict(stored.field_stamps)
    brought = dict(new.field_stamps)
    stamps = dict(old)
    for name in STAMPED:
        if getattr(new, name) == getattr(stored, name):
            continue
        theirs = _moment(brought.get(name))
        if theirs is not None and brought[name] != old.get(name):
            before = stamp_of(stored, name)
            if before is None or theirs > before:
                stamps[name] = brought[name]
                continue
        stamps[name] = now.isoformat()
    found = tuple(sorted(_based(stored, stamps).items()))
    return new if found == new.field_stamps else replace(new, field_stamps=found)


def merged(here: Contact, there: Contact, now: datetime) -> Contact | None:
    """The contact `here` with every field `there` (the same contact in another copy)
    changed later; None when nothing changes. Ties keep `here`, so merging the same copy
    again changes nothing."""
    horizon = now + SLACK
    changes: dict[str, object] = {}
    stamps = dict(here.field_stamps)
    latest = [here.updated_at] if here.updated_at <= horizon else []
    for name in STAMPED:
        value = getattr(there, name)
        if value == getattr(here, name):
            continue
        theirs = stamp_of(there, name, horizon)
        mine = stamp_of(here, name, horizon)
        if theirs is not None and (mine is None or theirs > mine):
            changes[name] = value
            stamps[name] = theirs.isoformat()
            latest.append(theirs)
    if not changes:
        return None
    return replace(
        here,
        **changes,  # type: ignore[arg-type]
        field_stamps=tuple(sorted(_based(here, stamps).items())),
        updated_at=max(latest),
    )


def _based(before: Contact, stamps: dict[str, str]) -> dict[str, str]:
    """`stamps`, with the base stamp a record that had none gets with its first ones."""
    if stamps and not before.field_stamps and BASE not in stamps:
        stamps[BASE] = before.updated_at.isoformat()
    return stamps
