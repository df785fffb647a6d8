"""Schema 2 wrote `date_order: day-first` whether the user chose it or not; schema 3 writes
it only when set, so an upgraded database reads numeric dates as the locale writes them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.model import SCHEMA_VERSION
from store.rules.dates import parse_due
from store.store import Store
from tests.factories import NOW, make_contact


def _as_schema_2(path: Path, order: str) -> None:
    """The database at `path` as version 2 wrote it: plain JSON, `date_order` always set."""
    store = Store(path, clock=FixedClock(NOW))
    store.add_contact(make_contact(name="Anna Berg"))
    store.save_settings(dataclasses.replace(store.settings, date_order=order))  # type: ignore[arg-type]
    del store
    tables = json.loads(path.read_text())
    tables.pop("layout", None)
    tables["meta"] = {"1": {"schema_version": 2}}
    tables["settings"]["1"]["date_order"] = order
    path.write_text(json.dumps(tables))


def test_the_old_default_day_first_gives_way_to_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    path = tmp_path / "followup.json"
    _as_schema_2(path, "day-first")

    store = Store(path, clock=FixedClock(NOW))

    assert [c.name for c in store.contacts()] == ["Anna Berg"]
    assert store.settings.date_order is None
    assert store.settings.day_first is False  # en_US: 3/12 is March 12
    due = parse_due("3/12", NOW.date(), day_first=store.settings.day_first)
    assert (due.month, due.day) == (3, 12)
    main = json.loads(path.read_text())
    assert main["meta"]["1"]["schema_version"] == SCHEMA_VERSION == 3
    assert "date_order" not in main["settings"]["1"]
    backups = [p.name for p in (tmp_path / "backups").iterdir()]
    assert "followup.json.before-migration" in backups


def test_a_chosen_month_first_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    path = tmp_path / "followup.json"
    _as_schema_2(path, "month-first")

    store = Store(path, clock=FixedClock(NOW))

    assert store.settings.date_order == "month-first"
    assert store.settings.day_first is False
