"""The live records of a journal in memory: `Records` (which remember what a transaction
changed, so it can be undone), `Change` (what a read or a write changed), and replaying or
applying the journal's entries to them (store/engine/journal.py describes the file)."""

from __future__ import annotations

from typing import Any

import msgspec

MISSING: Any = object()


Doc = dict[str, Any]


class Change(msgspec.Struct):
    """What a read or a write changed: `put` holds the records added or replaced (by id,
    as they are now), `removed` the records removed or replaced (as they were). A record
    replaced is in both. `full` is True when the whole journal was read again (first
    read, compaction, a file cut or rewritten by another program)."""

    put: dict[str, Doc] = msgspec.field(default_factory=dict)
    removed: dict[str, Doc] = msgspec.field(default_factory=dict)
    full: bool = False

    def __bool__(self) -> bool:
        return bool(self.put or self.removed)


class Records(dict[str, Any]):
    """The live records of a journal by id. Between `begin()` and `end()` the first old
    value of every id changed is remembered, to append the changes or undo them. A
    record must be replaced, never changed in place (`JournalTable` does so)."""

    __slots__ = ("_before",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._before: dict[str, Any] | None = None

    def begin(self) -> None:
        self._before = {}

    @property
    def tracking(self) -> bool:
        return self._before is not None

    def _note(self, key: str) -> None:
        before = self._before
        if before is not None and key not in before:
            before[key] = dict.get(self, key, MISSING)

    def __setitem__(self, key: str, value: Any) -> None:
        self._note(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._note(key)
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self._note(key)
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        key = next(reversed(self.keys()))
        return key, self.pop(key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> Records:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        for key in list(self):
            del self[key]

    def changes(self) -> Change:
        """What changed since `begin()`."""
        change = Change()
        for key, old in (self._before or {}).items():
            new = dict.get(self, key, MISSING)
            if new is not MISSING and (old is MISSING or old != new):
                change.put[key] = new
            if old is not MISSING and (new is MISSING or old != new):
                change.removed[key] = old
        return change

    def undo(self) -> None:
        for key, old in (self._before or {}).items():
            if old is MISSING:
                dict.pop(self, key, None)
            else:
                dict.__setitem__(self, key, old)
        self._before = None

    def end(self) -> None:
        self._before = None


def diff(old: Records, records: Records, full: bool) -> Change:
    """What changed from the records `old` to `records`."""
    change = Change(full=full)
    if not old:
        change.put = dict(records)
    for key, doc in records.items() if old else ():
        before = dict.get(old, key, MISSING)
        if before is MISSING or before != doc:
            change.put[key] = doc
            if before is not MISSING:
                change.removed[key] = before
    for key, doc in old.items():
        if key not in records:
            change.removed[key] = doc
    return change


def apply(records: Records, entry: dict[str, Any], change: Change | None) -> None:
    key = entry.get("put")
    if key is not None:
        old = dict.get(records, key, MISSING)
        doc = entry["doc"]
        dict.__setitem__(records, key, doc)
        if change is not None:
            change.put[key] = doc
            if old is not MISSING:
                change.removed.setdefault(key, old)
        return
    key = entry["del"]
    old = dict.pop(records, key, MISSING)
    if change is not None and old is not MISSING:
        change.put.pop(key, None)
        change.removed.setdefault(key, old)


def replay(entries: list[Any]) -> Records:
    """The records these entries leave; a TypeError, KeyError or AttributeError if one
    is not a put or del line (`_scan` with `careful` then finds it)."""
    records = Records()
    put, pop = dict.__setitem__, dict.pop
    for entry in entries:
        key = entry.get("put")
        if key is not None:
            doc = entry["doc"]
            if key.__class__ is not str or doc.__class__ is not dict:
                raise TypeError(key)
            put(records, key, doc)
        else:
            key = entry["del"]
            if key.__class__ is not str:
                raise TypeError(key)
            pop(records, key, None)
    return records
