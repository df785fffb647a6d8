"""Field-level writes decided on what is on disk: which fields change, which conflict
with another process's change, and what an undo can put back (compare-and-set). Pure
functions of the stored contact; the Store runs them inside its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Literal

import msgspec

from store.errors import InputError
from store.model import REPLACEABLE, Contact
from store.rules.checks import checked

OnConflict = Literal["stop", "overwrite", "keep"]


class FieldWrite(msgspec.Struct, frozen=True):
    """What `Store.update_fields` did.

    `written`: each field it changed, as (on disk before, after). `conflicts`: each field
    it was asked to change that another process had changed since the caller read it, as
    (what the caller read, what is on disk); when there are any, nothing was written.
    """

    contact: Contact
    written: dict[str, tuple[Any, Any]]
    conflicts: dict[str, tuple[Any, Any]]


class GoneError(InputError):
    """The contact a change was meant for is gone, or was dropped, meanwhile."""


def written_values(written: Mapping[str, tuple[Any, Any]]) -> dict[str, Any]:
    """The new value of each field of a `FieldWrite.written`."""
    return {field: new for field, (_old, new) in written.items()}


def field_changes(
    current: Contact,
    changes: Mapping[str, Any],
    expect: Mapping[str, Any] | None,
    on_conflict: OnConflict,
    allow_dropped: bool,
    now: datetime,
) -> tuple[Contact | None, dict[str, tuple[Any, Any]], dict[str, tuple[Any, Any]]]:
    """For `Store.update_fields`: the contact to write (None: nothing to write), the
    fields written as (before, after), and the conflicts."""
    if current.status == "dropped" and not allow_dropped and "status" not in changes:
        raise GoneError(
            f"{current.name} was dropped elsewhere (in the archive: A); nothing was written"
        )
    conflicts = {
        field: (expect[field], getattr(current, field))
        for field, value in changes.items()
        if expect is not None
        and field in expect
        and getattr(current, field) != expect[field]
        and getattr(current, field) != value
    }
    if conflicts and on_conflict == "stop":
        return None, {}, conflicts
    written = {
        field: (getattr(current, field), value)
        for field, value in changes.items()
        if getattr(current, field) != value and not (on_conflict == "keep" and field in conflicts)
    }
    if not written:
        return None, {}, conflicts
    updated = checked(replace(current, **written_values(written)), written)
    updated = replace(updated, updated_at=now)
    written = {
        f: (old, getattr(updated, f))
        for f, (old, _new) in written.items()
        if getattr(updated, f) != old
    }
    if written:
        written["updated_at"] = (current.updated_at, updated.updated_at)
    return updated, written, conflicts


def reverted(
    current: Contact, written: Mapping[str, tuple[Any, Any]], now: datetime
) -> tuple[Contact | None, list[str]]:
    """For `Store.revert_fields`: the contact with each field's old value put back where
    it still holds the value the write gave it (None: nothing to put back), and the
    fields that could not be put back (changed again elsewhere)."""
    back = {f: old for f, (old, new) in written.items() if getattr(current, f) == new}
    kept = [f for f in written if f not in back and f != "updated_at"]
    if kept:  # the contact changed since: it keeps the time of that change
        back.pop("updated_at", None)
    if not back:
        return None, kept
    updated = checked(replace(current, **back), back)
    if "updated_at" not in back:
        updated = replace(updated, updated_at=now)
    return updated, kept


def replaced_record(
    written: Mapping[str, tuple[Any, Any]],
) -> tuple[tuple[str, str | None, str | None], ...]:
    """What a log wrote of the step and date, as a touch keeps it (`Touch.replaced`):
    each field as (before, after) in document form."""
    return tuple(
        (name, _doc_value(written[name][0]), _doc_value(written[name][1]))
        for name in REPLACEABLE
        if name in written
    )


def replaced_written(
    replaced: tuple[tuple[str, str | None, str | None], ...],
) -> dict[str, tuple[Any, Any]]:
    """`replaced_record` read back: each field as (before, after) in model values."""
    return {
        name: (_model_value(name, before), _model_value(name, after))
        for name, before, after in replaced
    }


def _doc_value(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value.isoformat())


def _model_value(name: str, value: str | None) -> Any:
    if name == "next_due":
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value  # matches nothing on the contact: nothing is put back
    return value or ""
