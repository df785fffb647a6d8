"""The cached per-day counts: read as dates again after each change (only the days that
changed are converted again, with the same result as converting them all), and never
believed when the journal is not the one they were counted from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from store.clock import FixedClock
from store.engine.day_cache import Dated, as_dates
from store.model import Contact, Touch
from store.store import Store
from tests.conftest import NOW

DAYS = [f"2026-11-{d:02d}" for d in range(1, 29)]
# What a cache edited by hand may hold: days that are not days, counts that are not counts.
KEYS = st.sampled_from([*DAYS, "2026-02-30", "yesterday", ""])
COUNTS = st.one_of(
    st.integers(-2, 40), st.sampled_from(["3", "x", 2.0, None]), st.just([1]), st.just({})
)


def test_a_changed_day_is_seen_and_the_rest_kept() -> None:
    dated = Dated()
    first = dated({"2026-11-23": 2, "2026-11-24": 1})
    assert first == as_dates({"2026-11-23": 2, "2026-11-24": 1})
    assert dated({"2026-11-23": 2, "2026-11-24": 2}) == as_dates({"2026-11-23": 2, "2026-11-24": 2})
    assert dated({"2026-11-24": 2}) == as_dates({"2026-11-24": 2})  # a day gone
    assert first == as_dates({"2026-11-23": 2, "2026-11-24": 1})  # what it returned is kept


def test_an_entry_that_stops_being_readable_is_left_out() -> None:
    dated = Dated()
    dated({"2026-11-23": 2, "2026-11-24": 1, "2026-11-25": 1})
    assert dated({"2026-11-23": "x", "2026-11-24": 1, "2026-11-25": 1}) == as_dates(
        {"2026-11-24": 1, "2026-11-25": 1}
    )


@given(st.lists(st.dictionaries(KEYS, COUNTS, max_size=12), min_size=1, max_size=8))
def test_each_read_is_what_converting_every_day_gives(reads: list[dict[str, Any]]) -> None:
    dated = Dated()
    for counts in reads:
        assert dated(counts) == as_dates(counts)


def test_counts_of_another_copy_of_the_journal_are_counted_again(tmp_path: Path) -> None:
    """The main file's counts and a journal of the same identity and size that went apart
    from the one they were counted from (a sync conflict): counted again, never believed."""
    here = tmp_path / "here"
    there = tmp_path / "there"
    here.mkdir()
    store = Store(here / "followup.json", clock=FixedClock(NOW))
    anna = store.add_contact(Contact(name="Anna Berg", created_at=NOW, updated_at=NOW))
    store.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {})
    shutil.copytree(here, there)
    for folder, day in ((here, 20), (there, 21)):
        at = NOW.replace(day=day)
        Store(folder / "followup.json", clock=FixedClock(NOW)).log_fields(
            Touch(contact_uid=anna.uid, at=at, channel="call", outcome="reached"), {}
        )
    journal = "followup.touches.jsonl"
    assert (here / journal).stat().st_size == (there / journal).stat().st_size
    (here / journal).write_bytes((there / journal).read_bytes())
    days = Store(here / "followup.json", clock=FixedClock(NOW)).touch_days()
    assert days == {NOW.date(): 1, NOW.replace(day=21).date(): 1}


def test_counts_written_before_the_tail_check_are_used_and_then_recorded_whole(
    tmp_path: Path,
) -> None:
    db = tmp_path / "followup.json"
    store = Store(db, clock=FixedClock(NOW))
    anna = store.add_contact(Contact(name="Anna Berg", created_at=NOW, updated_at=NOW))
    store.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {})
    data = json.loads(db.read_bytes())
    cache = data["cache"]["1"]
    assert len(cache["touches_sig"]) == 3
    cache["touches_sig"] = cache["touches_sig"][:2]  # as the version before wrote it
    cache["touch_days"] = {"2026-11-24": 1, "2026-11-23": 7}  # seen to be what is used
    db.write_text(json.dumps(data))
    reader = Store(db, clock=FixedClock(NOW))
    assert sum(reader.touch_days().values()) == 8 and not reader.touches_loaded
    reader.log_fields(Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {})
    assert len(json.loads(db.read_bytes())["cache"]["1"]["touches_sig"]) == 3
