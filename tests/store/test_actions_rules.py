"""store/actions.py rules of #25: direction in means reached unless said otherwise, "in +
no-reply" refused; cool down reschedules on the cool cadence (fixture: tests/conftest.py,
Tuesday 2026-11-24, cool cadence 75 days, Saturday and Sunday rest days)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from store import actions
from store.errors import InputError
from tests.conftest import NOW, TODAY, Env


def test_an_inbound_touch_is_reached_unless_said_otherwise() -> None:
    assert actions.suggested_outcome("email", inbound=True) == "reached"
    assert actions.suggested_outcome("email") == "waiting"
    assert actions.suggested_outcome("call") == "reached"


def test_inbound_no_reply_is_refused_by_the_store(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    with pytest.raises(InputError, match="inbound"):
        actions.new_touch(anna, at=NOW, channel="call", outcome="no-reply", inbound=True)
    touch = actions.new_touch(anna, at=NOW, channel="call", outcome="reached", inbound=True)
    with pytest.raises(InputError, match="inbound"):
        actions.log(tmp_store.store, anna, replace(touch, outcome="no-reply"))
    assert len(tmp_store.other_store().touches(anna.uid)) == 2


def test_cool_down_reschedules_on_the_cool_cadence(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")  # hot, 2 days overdue
    written = actions.cool_down(tmp_store.store, anna)
    stored = tmp_store.other_store().contact(anna.uid)
    # 75 days from Tuesday 24 Nov is Saturday 6 Feb 2027: moved off the rest days
    assert (stored.heat, stored.next_due) == ("cool", date(2027, 2, 8))
    assert set(written.write.written) == {"heat", "next_due", "updated_at"}


def test_cool_down_keeps_a_date_planned_later(tmp_store: Env) -> None:
    later = TODAY + timedelta(days=120)
    tmp_store.store.update_fields(tmp_store.uid("Jonas Weber"), {"next_due": later})
    jonas = tmp_store.contact("Jonas Weber")
    actions.cool_down(tmp_store.store, jonas)
    stored = tmp_store.other_store().contact(jonas.uid)
    assert (stored.heat, stored.next_due) == ("cool", later)
