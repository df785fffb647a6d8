"""Reading stored documents field by field: `BadRecord` names the field that is wrong,
so one bad record never hides the others (store.model's `from_doc`s use it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


class BadRecord(ValueError):
    """A stored document that does not fit the model; the message names the field."""


class DocReader:
    """Reads typed fields out of a stored document, naming the field that is wrong."""

    def __init__(self, doc: dict[str, Any], what: str, doc_id: int) -> None:
        if not isinstance(doc, dict):
            raise BadRecord(f"{what} #{doc_id} is not an object")
        self.doc = doc
        self.where = f"{what} #{doc_id}"

    def _bad(self, key: str, expected: str) -> BadRecord:
        return BadRecord(f"{self.where}: field {key!r} should be {expected}, got {self.doc[key]!r}")

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.doc.get(key)
        if value is None:
            if required:
                raise BadRecord(f"{self.where}: field {key!r} is missing")
            return ""
        if not isinstance(value, str):
            raise self._bad(key, "text")
        if required and not value.strip():
            raise BadRecord(f"{self.where}: field {key!r} is empty")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> Any:
        value = self.doc.get(key, default)
        if value is None:
            return default
        if value not in allowed:
            raise self._bad(key, " | ".join(allowed))
        return value

    def optional_choice(self, key: str, allowed: tuple[str, ...]) -> Any:
        value = self.doc.get(key)
        if value in (None, ""):
            return None
        if value not in allowed:
            raise self._bad(key, " | ".join(allowed))
        return value

    def number(self, key: str) -> float | None:
        value = self.doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(key, "a number")
        return float(value)

    def whole(self, key: str) -> int | None:
        value = self.doc.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self._bad(key, "a positive whole number")
        return value

    def flag(self, key: str) -> bool:
        value = self.doc.get(key, False)
        if not isinstance(value, bool):
            raise self._bad(key, "true or false")
        return value

    def tags(self, key: str) -> tuple[str, ...]:
        value = self.doc.get(key) or []
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise self._bad(key, "a list of text")
        return tuple(value)

    def stamps(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.doc.get(key) or {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise self._bad(key, "an object of field names and ISO datetimes")
        return tuple(sorted(value.items()))

    def day(self, key: str) -> date | None:
        value = self.doc.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._bad(key, "an ISO date")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self._bad(key, "an ISO date") from None

    def moment(self, key: str, *, required: bool = False) -> Any:
        value = self.doc.get(key)
        if value is None:
            if required:
                raise BadRecord(f"{self.where}: field {key!r} is missing")
            return None
        if not isinstance(value, str):
            raise self._bad(key, "an ISO datetime")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self._bad(key, "an ISO datetime") from None
        if moment.tzinfo is None:
            raise self._bad(key, "an ISO datetime with a UTC offset")
        return moment


REPLACEABLE = ("next_step", "next_due")  # the contact fields a touch records replacing


def read_replaced(value: Any) -> tuple[tuple[str, str | None, str | None], ...]:
    """A touch's record of what it replaced, read leniently: what does not fit is left
    out (the touch itself stays readable; unlog then only removes it)."""
    if value is None or value.__class__ is not dict:
        return ()
    found = []
    for name in REPLACEABLE:
        pair = value.get(name)
        if (
            pair.__class__ is list
            and len(pair) == 2
            and all(v is None or v.__class__ is str for v in pair)
        ):
            found.append((name, pair[0], pair[1]))
    return tuple(found)
