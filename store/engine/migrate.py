"""Schema migrations. Each step takes the tables of one version to the next.

Schema history:
- 0: one file holding `contacts`, `touches` and `settings`; no `meta` table.
- 1: touches in their own file beside the main one (`<name>.touches.json`);
     `meta.schema_version`; a `cache` table of touch counts per day.
- 2: touches in an append-only journal beside the main one (`<name>.touches.jsonl`,
     store/engine/journal.py); the per-day counts' signature is the journal's [identity, offset].
     store.engine.disk writes the journal from the touches file, then the main file.
- 3: `settings.date_order` is written only when the user sets it (until then numeric dates
     are read as the locale writes them). Version 2 wrote "day-first" whether chosen or
     not, so it is dropped: such a database follows the locale (a "month-first" was chosen
     and is kept).
"""

from __future__ import annotations

from typing import Any

from store.engine.files import Tables
from store.model import SCHEMA_VERSION


def version_of(main: Tables | None) -> int:
    """The schema version a main file was written with (a new, empty file is current)."""
    if not main:
        return SCHEMA_VERSION
    meta: Any = next(iter((main.get("meta") or {}).values()), None)
    if isinstance(meta, dict) and "schema_version" in meta:
        version = meta["schema_version"]
        return version if isinstance(version, int) and not isinstance(version, bool) else -1
    return 0


def upgrade(main: Tables, touches: Tables | None) -> tuple[Tables, Tables | None]:
    """Bring both files' tables to the current schema."""
    version = version_of(main)
    if version == 0:
        main, touches = _from_0(main, touches)
        version = 1
    if version == 1:
        main = dict(main)
        main["meta"] = {"1": {"schema_version": 2}}
        main.pop("cache", None)
        version = 2
    if version == 2:
        main = _from_2(main)
    return main, touches


def _from_2(main: Tables) -> Tables:
    main = dict(main)
    settings = main.get("settings")
    if isinstance(settings, dict):
        main["settings"] = {
            key: _without_default_order(doc) if isinstance(doc, dict) else doc
            for key, doc in settings.items()
        }
    main["meta"] = {"1": {"schema_version": 3}}
    return main


def _without_default_order(doc: dict[str, Any]) -> dict[str, Any]:
    if doc.get("date_order") != "day-first":
        return doc
    return {key: value for key, value in doc.items() if key != "date_order"}


def _from_0(main: Tables, touches: Tables | None) -> tuple[Tables, Tables | None]:
    main = dict(main)
    moved = main.pop("touches", None) or {}
    merged: dict[str, Any] = dict((touches or {}).get("touches") or {})
    next_id = max((int(k) for k in merged if k.isdigit()), default=0) + 1
    for doc in moved.values():
        merged[str(next_id)] = doc
        next_id += 1
    main["meta"] = {"1": {"schema_version": 1}}
    main.pop("cache", None)
    return main, ({"touches": merged} if merged or touches is not None else None)
