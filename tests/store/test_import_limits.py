"""Limits are said on import: a field cut to its limit is a note naming its file and row;
an imported date past the horizon (ten years) is reported with its file and record, and
the rest of the file is imported."""

from __future__ import annotations

import json
from datetime import date

from store import exporting, importing
from store.model import NAME_MAX
from tests.conftest import Env


def _csv(*rows: str) -> bytes:
    return ("Name,E-mail Address,Company,Job Title\n" + "\n".join(rows) + "\n").encode()


def test_fields_cut_to_their_limit_are_noted_with_file_and_row(tmp_store: Env) -> None:
    data = _csv(
        "A" * 5000 + ",long@example.com,Acme,",
        "Bob Stone,bob@example.com," + "C" * 300 + ",",
        "Carol Lee," + "c" * 400 + "@example.com,Co,",
        "Dan Ray,dan@example.com,Co," + "R" * 201,
        "Eve Moss,eve@example.com,Co,Buyer",
    )
    reading = importing.read_bytes(data, "big.csv")
    plan = importing.run(tmp_store.store, reading)
    notes = [str(n) for n in plan.warnings]
    assert notes == [
        "big.csv: line 2: name cut to 200 characters (it had 5000)",
        "big.csv: line 3: company cut to 200 characters (it had 300)",
        "big.csv: line 4: an email over 320 characters left out",
        "big.csv: line 5: role cut to 200 characters (it had 201)",
    ]
    names = {c.name for c in tmp_store.other_store().contacts()}
    assert "A" * NAME_MAX in names
    assert {"Bob Stone", "Carol Lee", "Dan Ray", "Eve Moss"} <= names
    assert plan.summary()["new"] == 5


def test_a_field_within_its_limit_gets_no_note(tmp_store: Env) -> None:
    data = _csv("N" * 200 + ",n@example.com," + "C" * 200 + ",")
    plan = importing.run(tmp_store.store, importing.read_bytes(data, "ok.csv"), dry_run=True)
    assert plan.warnings == []


def test_an_imported_date_past_the_horizon_is_reported_and_the_rest_imported(
    tmp_store: Env,
) -> None:
    export = json.loads(exporting.to_json(tmp_store.store))
    export["settings"] = None
    for number, record in enumerate(export["contacts"]):
        record["uid"] = f"copied-{number}"
        record["email"] = f"copy{number}@example.com"
        record["name"] = f"Copy {number}"
    export["contacts"][1]["next_due"] = "9999-12-31"
    export["contacts"][3]["next_due"] = "2036-11-24"  # at the horizon: kept
    export["touches"] = []
    reading = importing.read_bytes(json.dumps(export).encode(), "laptop.json")
    plan = importing.run(tmp_store.store, reading)
    assert [str(p) for p in plan.problems] == [
        "laptop.json: contact 2: its next step date 9999-12-31 is more than 10 years away "
        "(the latest is 2036-11-24); left out"
    ]
    stored = {c.name: c for c in tmp_store.other_store().contacts()}
    assert "Copy 1" not in stored
    assert stored["Copy 3"].next_due == date(2036, 11, 24)
    assert {"Copy 0", "Copy 2", "Copy 4"} <= set(stored)
