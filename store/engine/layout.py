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

import contextlib
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import msgspec
import orjson
import xxhash

from store.rules.names import fold
from store.rules.ranking import RecordHead

Tables = dict[str, dict[str, Any]]

BODY = "contacts"  # the table written one record a line
LAYOUT = "layout"  # the table describing the layout (never seen outside this module)
PREFIX = b'"contacts":{\n'
SUFFIX = b"\n}}"
_SEP = b",\n"
_LINES = msgspec.json.Decoder(dict[str, msgspec.Raw])  # each record's bytes, unparsed
_HEADS = msgspec.json.Decoder(dict[str, RecordHead])
_HEAD = msgspec.json.Decoder(RecordHead)  # one record's line, its key left out


class Body:
    """The contacts of one version of the file, as the bytes of their lines; each record
    parsed only when asked for. The bytes are `data[start:]`, or after a write the
    segments it put together: ranges of the bytes it was made from and the new lines
    (a write copies no unchanged line; they are joined only when searched for anything
    but a key's line, or when a long run of writes has cut them into many)."""

    MAX_SEGMENTS = 64  # more, and the next write joins them (one copy in many writes)

    def __init__(
        self,
        data: bytes | Sequence[bytes | memoryview],
        names: str,
        start: int = 0,
    ) -> None:
        # (buffer, start, end) each, and where each starts in these bytes
        self._segments: list[tuple[bytes, int, int]] = (
            [(data, start, len(data))]
            if isinstance(data, bytes)
            else [(bytes(piece), 0, len(piece)) for piece in data]
        )
        self._offsets = _offsets(self._segments)
        self.names = names
        self.check: int | None = None  # the layout's check of these bytes, once known
        # the version this one was made from (its check), by replacing the lines of `edits`
        # (each key, and where its line starts in these bytes)
        self.parent: int | None = None
        self.edits: list[tuple[str, int]] = []
        self._spans: dict[str, tuple[int, int]] = {}  # lines found so far, by key
        self._after = (0, 0)  # the segment and the place in its buffer after the last found
        self._holding: dict[bytes, list[tuple[str, Any]]] = {}  # searches made so far

    @property
    def size(self) -> int:
        _, start, end = self._segments[-1]
        return self._offsets[-1] + end - start

    def chunks(self) -> list[bytes | memoryview]:
        """The bytes, as they are held (for writing and checking without a copy)."""
        return [memoryview(buffer)[start:end] for buffer, start, end in self._segments]

    def _buffer(self) -> tuple[bytes, int]:
        """A buffer holding the bytes from an offset (segments are joined once; the lines
        found so far keep their places)."""
        if len(self._segments) > 1 or self._segments[0][2] != len(self._segments[0][0]):
            self._segments = [(b"".join(self.chunks()), 0, self.size)]
            self._offsets = [0]  # the lines found keep their places: from the body's start
        buffer, start, _ = self._segments[0]
        return buffer, start

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

    def heads(self) -> tuple[list[tuple[str, RecordHead]], Callable[[str], Any]]:
        """What the column order reads of every record (the unreadable ones left out),
        and a way to parse one record whole: a third of the time of parsing them all."""
        data, start = self._buffer()
        # the contacts' object, braces included: `{` ends PREFIX's line, `}` starts SUFFIX's
        table = memoryview(data)[start + len(PREFIX) - 2 : len(data) - len(SUFFIX) + 2]
        lines: dict[str, msgspec.Raw] = _LINES.decode(table)
        try:
            heads = list(_HEADS.decode(table).items())
        except msgspec.ValidationError:  # a field of another type: contacts() says so
            heads = []
            for key, line in lines.items():
                with contextlib.suppress(msgspec.ValidationError):
                    heads.append((key, _HEAD.decode(line)))
        return heads, lambda key: orjson.loads(memoryview(lines[key]))

    def _span(self, key: str) -> tuple[int, int] | None:
        """Where the line of `key` starts and ends in these bytes (its comma left out),
        as offsets from the buffer's start (`_buffer`) when there is one buffer."""
        known = self._spans.get(key)
        if known is not None:
            return known
        found = self._find(b'\n"' + key.encode() + b'":')
        if found is None:
            return None
        index, at = found
        buffer, start, end = self._segments[index]
        stop = buffer.find(b"\n", at, end)
        stop = end if stop < 0 else stop
        self._after = index, stop
        if buffer[stop - 1 : stop] == b",":
            stop -= 1
        base = self._offsets[index] - start + (start if len(self._segments) == 1 else 0)
        span = self._spans[key] = at + base, stop + base
        return span

    def _find(self, needle: bytes) -> tuple[int, int] | None:
        """The segment and the place in its buffer where the line `needle` (a newline and
        its key) starts, the newline left out. A line lies whole in one segment: a write
        cuts out whole lines (the comma after each stays with the bytes that follow it)
        and puts each new line in a segment of its own, so a line starts a segment or
        follows a newline inside one. The search starts after the line found last:
        records are mostly asked for in the file's order (the keys a name matches, the
        lines a write replaces), so that many of them cost one pass over the bytes, not
        one each (a key occurs once, so where the search starts changes nothing else)."""
        first, after = self._after
        segments = self._segments
        if first >= len(segments):
            first, after = 0, segments[0][1]
        order = [*range(first, len(segments)), *range(first + 1)]
        for turn, index in enumerate(order):
            buffer, start, end = segments[index]
            if turn == 0:
                start = max(start, after)
            elif turn == len(order) - 1:  # back to where it started, the needle's length past
                end = min(end, after + len(needle))
            if buffer.startswith(needle[1:], start, end):  # a line a write put there
                return index, start
            at = buffer.find(needle, start, end)
            if at >= 0:
                return index, at + 1
        return None

    def _line(self, span: tuple[int, int]) -> bytes:
        """The bytes of a line found by `_span`."""
        if len(self._segments) == 1:
            return self._segments[0][0][span[0] : span[1]]
        index = bisect_right(self._offsets, span[0]) - 1
        buffer, start, _ = self._segments[index]
        at = span[0] - self._offsets[index] + start
        return buffer[at : at + span[1] - span[0]]

    def record(self, key: str) -> Any:
        """The record of `key`, or None."""
        span = self._span(key)
        if span is None:
            return None
        return parse_line(self._line(span))[1]

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
        if len(self._segments) > self.MAX_SEGMENTS:
            self._buffer()  # one copy now and then, so that the segments stay few
        one = len(self._segments) == 1
        shift = self._segments[0][1] if one else 0  # spans count from the buffer's start
        segments: list[tuple[bytes, int, int]] = []
        edits, lines, done = [], [], 0  # `done`: the bytes of this body taken so far
        for (start, end), key, doc in sorted(spans, key=lambda s: s[0]):
            line = line_of(key, doc)
            segments += self._range(done, start - shift)
            at = sum(e - s for _, s, e in segments)
            edits.append((key, at))
            lines.append((key, at, len(line)))
            segments.append((line, 0, len(line)))
            done = end - shift
            names = _renamed(names, key, doc)
        segments += self._range(done, self.size)
        made = Body(b"", names)
        made._segments, made._offsets = segments, _offsets(segments)
        if len(segments) > 1:
            made._spans = {key: (at, at + size) for key, at, size in lines}
        made.parent, made.edits = self.check, edits
        return made

    def _range(self, begin: int, end: int) -> list[tuple[bytes, int, int]]:
        """The segments holding bytes `begin` to `end` of this body."""
        found = []
        index = max(bisect_right(self._offsets, begin) - 1, 0)
        while begin < end and index < len(self._segments):
            buffer, start, stop = self._segments[index]
            offset = self._offsets[index]
            lo = start + begin - offset
            hi = min(stop, start + end - offset)
            if hi > lo:
                found.append((buffer, lo, hi))
            begin = offset + stop - start
            index += 1
        return found


def _offsets(segments: Sequence[tuple[bytes, int, int]]) -> list[int]:
    offsets, at = [], 0
    for _, start, end in segments:
        offsets.append(at)
        at += end - start
    return offsets


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
