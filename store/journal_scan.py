"""Reading one contact's touches from the journal's bytes, without parsing every line."""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from store.journal_format import decode


def of_contact(doc: object, uid: str) -> bool:
    return doc.__class__ is dict and doc.get("contact_uid") == uid


def scan_for(path: Path, identity: str | None, end: int, uid: str) -> dict[str, object] | None:
    """One contact's records from the journal's bytes before `end` (whole batches), by
    the lines naming its uid and any later line naming one of their ids; None when the
    file is not the one whose tail was read, or a line found is damaged."""
    with open(path, "rb") as handle:
        data = handle.read(end)
    head = decode(data[: data.find(b"\n")])
    if identity is None or head is None or head.get("id") != identity:
        return None
    needle = b'"contact_uid":' + orjson.dumps(uid)
    found: dict[str, object] = {}
    where: dict[str, int] = {}
    at = data.find(needle)
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        stop = data.find(b"\n", at)
        entry = decode(data[start:stop])
        if entry is None or not isinstance(entry.get("put"), str):
            return None
        if of_contact(entry.get("doc"), uid):
            found[entry["put"]] = entry["doc"]
            where[entry["put"]] = stop
        at = data.find(needle, stop)
    if not found:
        return found
    # a later line that replaces or removes one of them: one pass for all of their ids
    keys = b"|".join(re.escape(orjson.dumps(key)) for key in found)
    later = re.compile(b'\\{"(?:put|del)":(' + keys + b")[,}]")
    for match in later.finditer(data, min(where.values())):
        key = orjson.loads(match.group(1))
        if match.start() < where[key]:
            continue
        start = data.rfind(b"\n", 0, match.start()) + 1
        entry = decode(data[start : data.find(b"\n", match.start())])
        if entry is None:
            return None
        if not of_contact(entry.get("doc"), uid):
            found.pop(key, None)
    return found
