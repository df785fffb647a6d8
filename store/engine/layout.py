"""How followup lays out the main file: one plain TinyDB JSON object, with every contact
on a line of its own, so that a write changes the bytes of the records it changed and a
reader parses only what it needs.

    {"meta":{...},"settings":{...},"cache":{...},"layout":{"1":{"size":S,"xxh3":C,"names":N}},
    "contacts":{
    "1":{...},
    "2":{...}
    }}

The first line holds every table but the contacts, `layout` among them: the size and
XXH3-64 hash of everything after that line (and of the names index N's length), so a
reader knows the records are exactly as followup wrote them without parsing them. (Files
written before held a CRC-32 under "crc" instead, and are read as they are; XXH3 checks
the same bytes about five times as fast, and a write checks the whole file twice, a
reader once.) N lists the name of every contact that is not dropped, folded as names are
matched ("\\n12\\tanna berg"), so a name is found without reading a record. A file whose
layout does not check (written by another program, edited by hand) is read whole as any
JSON, and written back in this layout. A raw newline never occurs inside JSON text, so
"\\n" only ever separates lines.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import orjson
import xxhash

from store.rules.names import fold

Tables = dict[str, dict[str, Any]]

BODY = "contacts"  # the table written one record a line
LAYOUT = "layout"  # the table describing the layout (never seen outside this module)
PREFIX = b'"contacts":{\n'
SUFFIX = b"\n}}"
_SEP = b",\n"


class Body:
    """The contacts of one version of the file, as the bytes of their lines; each record
    parsed only when asked for. The bytes are `data[start:]`, or the `pieces` a write
    put together (joined only when searched: a write copies no unchanged line)."""

    def __init__(
        self,
        data: bytes | Sequence[bytes | memoryview],
        names: str,
        start: int = 0,
    ) -> None:
        self._data = data if isinstance(data, bytes) else None
        self._pieces = None if isinstance(data, bytes) else list(data)
        self._start = start
        self.names = names
        self.check: int | None = None  # the layout's check of these bytes, once known
        # the version this one was made from (its check), by replacing the lines of `edits`
        # (each key, and where its line starts in these bytes)
        self.parent: int | None = None
        self.edits: list[tuple[str, int]] = []
        self._spans: dict[str, tuple[int, int]] = {}  # lines found so far, by key
        self._holding: dict[bytes, list[tuple[str, Any]]] = {}  # searches made so far

    @property
    def size(self) -> int:
        if self._pieces is not None:
            return sum(len(piece) for piece in self._pieces)
        assert self._data is not None
        return len(self._data) - self._start

    def chunks(self) -> list[bytes | memoryview]:
        """The bytes, as they are held (for writing and checking without a copy)."""
        if self._pieces is not None:
            return self._pieces
        assert self._data is not None
        return [memoryview(self._data)[self._start :]]

    def _buffer(self) -> tuple[bytes, int]:
        """A buffer holding the bytes from an offset (pieces are joined once)."""
        if self._data is None:
            self._data = b"".join(self.chunks())
            self._start, self._pieces = 0, None
        return self._data, self._start

    # -- reading ----------------------------------------------------------------

    def _inner(self) -> bytes:
        data, start = self._buffer()
        return data[start + len(PREFIX) : len(data) - len(SUFFIX)]

    def lines(self) -> list[bytes]:
        inner = self._inner()
        return inner.split(_SEP) if inner else []

    def records(self) -> dict[str, Any]:
        """Every record (one parse of all the lines)."""
        parsed: dict[str, Any] = orjson.loads(b"{" + self._inner() + b"}")
        return parsed

    def _span(self, key: str) -> tuple[int, int] | None:
        """Where the line of `key` starts and ends in the buffer (its comma left out)."""
        known = self._spans.get(key)
        if known is not None:
            return known
        data, start = self._buffer()
        at = data.find(b'\n"' + key.encode() + b'":', start)
        if at < 0:
            return None
        at += 1
        end = data.find(b"\n", at)
        if data[end - 1 : end] == b",":
            end -= 1
        self._spans[key] = at, end
        return at, end

    def record(self, key: str) -> Any:
        """The record of `key`, or None."""
        span = self._span(key)
        if span is None:
            return None
        return parse_line(self._buffer()[0][span[0] : span[1]])[1]

    def lines_at(self, where: list[tuple[str, int]]) -> dict[str, Any] | None:
        """The records of these keys, from the lines starting at these offsets in the
        bytes; None when a line there is not that key's."""
        data, start = self._buffer()
        found = {}
        for key, offset in where:
            at = start + offset
            end = data.find(b"\n", at)
            line = data[at:end].removesuffix(b",")
            if end < 0 or not line.startswith(orjson.dumps(key) + b":"):
                return None
            found[key] = parse_line(line)[1]
        return found

    def holding(self, needle: bytes) -> list[tuple[str, Any]]:
        """Every record whose line holds `needle` (to be checked by the caller)."""
        found = self._holding.get(needle)
        if found is None:
            found = self._holding[needle] = list(self._search(needle))
        return found

    def due_by(self, cutoff: str) -> list[tuple[str, Any]]:
        """Every record with a `next_due` date on or before `cutoff` (an ISO date). The key
        is found as it is written: inside a JSON string its quotes would be escaped."""
        data, first = self._buffer()
        mark, limit, found = b'"next_due":"', cutoff.encode(), []
        at = data.find(mark, first)
        while at >= 0:
            when = data[at + len(mark) : at + len(mark) + 10]
            end = data.find(b"\n", at)
            if when <= limit:
                start = data.rfind(b"\n", 0, at) + 1
                found.append(parse_line(data[start:end].removesuffix(b",")))
            at = data.find(mark, end)
        return found

    def _search(self, needle: bytes) -> Iterator[tuple[str, Any]]:
        data, first = self._buffer()
        first += len(PREFIX)
        last = len(data) - len(SUFFIX)
        at = data.find(needle, first)
        while 0 <= at < last:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = data[start:end].removesuffix(b",")
            if first <= start and end <= last:
                key, doc = parse_line(line)
                self._spans.setdefault(key, (start, start + len(line)))
                yield key, doc
            at = data.find(needle, end)

    def keys_named(self, wanted: str) -> list[str]:
        """The keys of the contacts (not dropped) whose folded name holds `wanted`."""
        names, found = self.names, []
        at = names.find(wanted) if wanted else -1
        while at >= 0:
            start = names.rfind("\n", 0, at) + 1
            tab = names.find("\t", start)
            if at > tab:  # in the name, not the key
                found.append(names[start:tab])
                at = names.find("\n", at)
                if at < 0:
                    break
            at = names.find(wanted, at + 1)
        return list(dict.fromkeys(found))

    # -- writing ----------------------------------------------------------------

    def with_records(self, changed: Mapping[str, Any]) -> Body | None:
        """This body with the records of `changed` (keys it holds) replaced; None when one
        is new or removed (the caller lays out the whole table)."""
        names = self.names
        spans = []
        for key, doc in changed.items():
            span = self._span(key)
            if span is None or doc is None:
                return None
            spans.append((span, key, doc))
        data, done = self._buffer()
        view = memoryview(data)
        pieces: list[bytes | memoryview] = []
        edits, size = [], 0  # `size`: the bytes of the new body so far
        for (start, end), key, doc in sorted(spans, key=lambda s: s[0]):
            line = line_of(key, doc)
            size += start - done
            edits.append((key, size))
            pieces += [view[done:start], line]
            size += len(line)
            done = end
            names = _renamed(names, key, doc)
        pieces.append(view[done:])
        made = Body(pieces, names)
        made.parent, made.edits = self.check, edits
        return made


def parse_line(line: bytes) -> tuple[str, Any]:
    key, doc = next(iter(orjson.loads(b"{" + line + b"}").items()))
    return key, doc


def line_of(key: str, doc: Any) -> bytes:
    return orjson.dumps(key) + b":" + orjson.dumps(doc)


def _name_entry(key: str, doc: Any) -> str:
    if doc.__class__ is not dict or doc.get("status") == "dropped":
        return ""
    return f"\n{key}\t{fold(str(doc.get('name', '')))}"


def _renamed(names: str, key: str, doc: Any) -> str:
    start = names.find(f"\n{key}\t")
    entry = _name_entry(key, doc)
    if start < 0:
        return names + entry
    end = names.find("\n", start + 1)
    return names[:start] + entry + (names[end:] if end >= 0 else "")


def body_of(records: Mapping[str, Any]) -> Body:
    lines = [line_of(key, doc) for key, doc in records.items()]
    names = "".join(_name_entry(key, doc) for key, doc in records.items())
    return Body(PREFIX + _SEP.join(lines) + SUFFIX, names)


def _check(body: Body | Sequence[bytes | memoryview], names: str) -> int:
    """The XXH3-64 hash of the records, and of the size of the names index kept with
    them (it is followup's own, rebuilt from the records whenever the check fails)."""
    hashed = xxhash.xxh3_64()
    for chunk in body.chunks() if isinstance(body, Body) else body:
        hashed.update(chunk)
    hashed.update(str(len(names)).encode())
    return hashed.intdigest()


def _crc_check(chunk: memoryview, names: str) -> int:
    """The check of a file written before the XXH3 one: CRC-32, the same bytes."""
    return zlib.crc32(str(len(names)).encode(), zlib.crc32(chunk))


def encode(tables: Tables, body: Body) -> list[bytes | memoryview]:
    """The file's bytes, as chunks: every table of `tables` but the contacts on the first
    line, then the contacts of `body`."""
    body.check = _check(body, body.names)
    layout: dict[str, Any] = {"size": body.size, "xxh3": body.check, "names": body.names}
    if body.parent is not None:  # a reader of that version parses only these lines
        layout["parent"], layout["edits"] = body.parent, [list(e) for e in body.edits]
    head = [
        orjson.dumps(name) + b":" + orjson.dumps(table)
        for name, table in tables.items()
        if name not in (BODY, LAYOUT)
    ]
    head.append(b'"layout":' + orjson.dumps({"1": layout}))
    return [b"{" + b",".join(head) + b",\n", *body.chunks()]


def decode(raw: bytes) -> tuple[Tables, Body] | None:
    """The first line's tables (the layout left out) and the body, when `raw` is laid out
    as followup writes it and its check holds; None otherwise (read it as plain JSON)."""
    newline = raw.find(b"\n")
    if newline < 1 or raw[newline - 1 : newline] != b",":
        return None
    try:
        head = orjson.loads(raw[: newline - 1] + b"}")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(head, dict) or not all(isinstance(t, dict) for t in head.values()):
        return None
    layout = (head.pop(LAYOUT, None) or {}).get("1")
    start = newline + 1
    if (
        not isinstance(layout, dict)
        or BODY in head
        or not isinstance(layout.get("names"), str)
        or layout.get("size") != len(raw) - start
        or not raw.startswith(PREFIX, start)
        or not raw.endswith(SUFFIX)
    ):
        return None
    records, names = memoryview(raw)[start:], layout["names"]
    if "xxh3" in layout:
        check, expected = layout["xxh3"], _check([records], names)
    else:  # written before the XXH3 check
        check, expected = layout.get("crc"), _crc_check(records, names)
    if type(check) is not int or check != expected:
        return None
    body = Body(raw, names, start=start)
    body.check = check
    parent, edits = layout.get("parent"), layout.get("edits")
    if type(parent) is int and isinstance(edits, list):
        pairs = [tuple(e) for e in edits if isinstance(e, list) and len(e) == 2]
        if len(pairs) == len(edits) and all(type(k) is str and type(n) is int for k, n in pairs):
            body.parent, body.edits = parent, pairs
    return head, body


def changed_lines(old: Body, new: Body) -> dict[str, Any] | None:
    """The records `new` changed from `old`, when it holds the same keys in the same
    order (the usual change: records edited in place); None otherwise. When `new` says it
    was made from `old` by replacing some lines, only those are read; else every line
    is compared."""
    if new.parent is not None and new.parent == old.check:
        found = new.lines_at(new.edits)
        if found is not None:
            return found
    before, after = old.lines(), new.lines()
    if len(before) != len(after):
        return None
    changed: dict[str, Any] = {}
    for was, line in zip(before, after, strict=True):
        if was != line:
            key, doc = parse_line(line)
            if not was.startswith(orjson.dumps(key) + b":"):
                return None
            changed[key] = doc
    return changed
