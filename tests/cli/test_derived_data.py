"""Derived data (the touch index, the day counts) is verified against the journal it was
built from, never believed: `show`, `export`, `unlog` and the streak agree on the touches."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Env


def _notes(result: Any) -> list[str]:
    return [t.get("note", "") for t in result.json()["touches"]]


def test_an_unlogged_touch_stays_gone_after_the_index_is_brought_up_to_date(
    cli: Any, tmp_store: Env
) -> None:
    assert cli("log", "anna", "--note", "X").code == 0
    assert cli("unlog", "anna", "--yes").code == 0
    for n in range(40):  # about 70 KB of other logs: more than the index's step
        assert cli("log", "marco", "--note", f"{n} " + "y" * 1700).code == 0
    shown = cli("show", "anna", "--json")
    assert shown.code == 0, shown.err
    assert "X" not in _notes(shown)
    exported = json.loads(cli("export", "--format", "json").out)
    anna = tmp_store.uid("Anna Berg")
    in_export = sorted(t.get("note", "") for t in exported["touches"] if t["contact_uid"] == anna)
    assert sorted(_notes(shown)) == in_export
    before = tmp_store.path.with_name("followup.touches.jsonl").stat().st_size
    assert cli("unlog", "anna", "--yes").code == 0
    after = cli("show", "anna", "--json")
    assert len(_notes(after)) == len(in_export) - 1, "the second unlog removed nothing"
    assert tmp_store.path.with_name("followup.touches.jsonl").stat().st_size > before
