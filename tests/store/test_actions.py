"""store/actions.py: each write of both front ends, on a temporary store and fixed clock.

The fixture store (tests/conftest.py) stands at Tuesday 2026-11-24: Anna (hot, 2 days
overdue), Marco (hot, due today), Jonas (warm, tomorrow), Lena (warm, no next step),
Omar (cool, in 30 days); hot cadence 7 days, warm 21, cool 75; Saturday, Sunday rest.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from store import actions, undo
from store.errors import InputError
from store.model import Contact, Settings, Touch
from tests.conftest import NOW, TODAY, Env

SAT = date(2026, 11, 28)
MON = date(2026, 11, 30)


def _touch(contact: Contact, outcome: str, *, days_ago: int = 0, inbound: bool = False) -> Touch:
    return actions.new_touch(
        contact,
        at=NOW - timedelta(days=days_ago),
        channel="call",
        outcome=outcome,
        inbound=inbound,
    )


# -- log: the log chain ------------------------------------------------------------------


def test_log_reached_presumes_the_step_done(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    touch, write = actions.log(tmp_store.store, anna, _touch(anna, "reached"))
    assert touch is not None and touch.id > 0
    stored = tmp_store.other_store().contact(anna.uid)
    assert stored.next_step == ""
    assert stored.next_due == TODAY + timedelta(days=7)  # one hot cadence
    assert write.written["next_step"] == ("Send the pricing deck", "")
    assert len(tmp_store.other_store().touches(anna.uid)) == 3


def test_log_no_reply_keeps_the_step_a_week_out(tmp_store: Env) -> None:
    jonas = tmp_store.contact("Jonas Weber")
    actions.log(tmp_store.store, jonas, _touch(jonas, "no-reply"))
    stored = tmp_store.other_store().contact(jonas.uid)
    assert stored.next_step == "Call about the vendor form"
    assert stored.next_due == TODAY + timedelta(days=7)  # a week, not the warm 21 days


def test_log_waiting_keeps_a_later_planned_date(tmp_store: Env) -> None:
    omar = tmp_store.contact("Omar Diaz")  # due in 30 days
    result = actions.log(tmp_store.store, omar, _touch(omar, "waiting"))
    assert result.contact.next_due == TODAY + timedelta(days=30)
    assert result.contact.next_step == "touch base"
    assert "next_due" not in result.write.written


def test_log_a_touch_in_the_past_never_dates_the_step_before_today(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")  # due 2 days ago
    result = actions.log(tmp_store.store, anna, _touch(anna, "no-reply", days_ago=10))
    assert result.contact.next_due == TODAY


def test_log_with_a_step_and_date_given_writes_them(tmp_store: Env) -> None:
    lena = tmp_store.contact("Lena Fischer")
    due = TODAY + timedelta(days=3)
    result = actions.log(
        tmp_store.store,
        lena,
        _touch(lena, "reached"),
        next_step="Send the contract",
        next_due=due,
    )
    assert (result.contact.next_step, result.contact.next_due) == ("Send the contract", due)


def test_log_with_a_past_date_writes_nothing(tmp_store: Env) -> None:
    lena = tmp_store.contact("Lena Fischer")
    with pytest.raises(InputError, match="past"):
        actions.log(
            tmp_store.store,
            lena,
            _touch(lena, "reached"),
            next_due=TODAY - timedelta(days=1),
        )
    assert tmp_store.other_store().touches(lena.uid) == []


def test_log_changes_moves_the_date_off_a_rest_day() -> None:
    settings = Settings()
    contact = Contact(name="X", created_at=NOW, updated_at=NOW, heat="hot")
    # A reached touch on Saturday 21 Nov: one hot cadence later is Saturday 28 Nov.
    changes = actions.log_changes(contact, "reached", SAT - timedelta(days=7), settings, TODAY)
    assert changes["next_due"] == MON


def test_log_expecting_the_shown_values_stops_on_a_conflict(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    tmp_store.other_store().update_fields(anna.uid, {"next_step": "Changed elsewhere"})
    touch, write = actions.log(
        tmp_store.store,
        anna,
        _touch(anna, "reached"),
        next_step="Mine",
        expect=True,
    )
    assert touch is None
    assert write.conflicts["next_step"] == ("Send the pricing deck", "Changed elsewhere")
    assert len(tmp_store.other_store().touches(anna.uid)) == 2


# -- next, snooze --------------------------------------------------------------------------


def test_next_without_a_date_is_one_cadence_out(tmp_store: Env) -> None:
    lena = tmp_store.contact("Lena Fischer")  # warm: 21 days, Tue 15 Dec
    result = actions.set_next(tmp_store.store, lena, "Send the case study")
    assert result.contact.next_due == TODAY + timedelta(days=21)
    assert result.contact.next_step == "Send the case study"


def test_next_refuses_a_past_date_and_writes_nothing(tmp_store: Env) -> None:
    lena = tmp_store.contact("Lena Fischer")
    with pytest.raises(InputError, match="past"):
        actions.set_next(tmp_store.store, lena, "Send it", TODAY - timedelta(days=1))
    assert tmp_store.other_store().contact(lena.uid).next_step == ""


def test_next_none_clears_the_date(tmp_store: Env) -> None:
    jonas = tmp_store.contact("Jonas Weber")
    assert actions.set_next(tmp_store.store, jonas, "Someday", None).contact.next_due is None


def test_the_suggested_date_is_capped_at_the_calendar_end(tmp_store: Env) -> None:
    contact = replace(tmp_store.contact("Lena Fischer"), cadence_days=365)
    assert actions.suggested_next(contact, Settings(), date.max - timedelta(days=3)) == date.max


def test_snooze_warns_when_sooner(tmp_store: Env) -> None:
    omar = tmp_store.contact("Omar Diaz")
    sooner = TODAY + timedelta(days=2)
    assert "sooner" in actions.snooze_warning(omar, sooner)
    assert actions.snooze_warning(omar, TODAY + timedelta(days=40)) == ""
    result = actions.snooze(tmp_store.store, omar, sooner)
    assert result.contact.next_due == sooner
    assert set(result.write.written) == {"next_due", "updated_at"}


# -- heat, drop, restore ------------------------------------------------------------------


def test_shifted_heat_stops_at_the_ends() -> None:
    assert actions.shifted_heat("warm", -1) == "hot"
    assert actions.shifted_heat("warm", 1) == "cool"
    assert actions.shifted_heat("hot", -1) is None
    assert actions.shifted_heat("cool", 1) is None


def test_set_heat_writes_the_heat(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    result = actions.set_heat(tmp_store.store, anna, "cool")
    assert result.write.written["heat"] == ("hot", "cool")
    assert tmp_store.other_store().contact(anna.uid).heat == "cool"


def test_drop_sets_status_date_and_reason(tmp_store: Env) -> None:
    jonas = tmp_store.contact("Jonas Weber")
    result = actions.drop(tmp_store.store, jonas, "  went with a competitor ")
    stored = tmp_store.other_store().contact(jonas.uid)
    assert (stored.status, stored.dropped_on, stored.drop_reason) == (
        "dropped",
        TODAY,
        "went with a competitor",
    )
    assert result.contact.status == "dropped"


def test_drop_without_a_reason_reads_one_from_the_history(tmp_store: Env) -> None:
    jonas = tmp_store.contact("Jonas Weber")
    assert actions.drop(tmp_store.store, jonas).contact.drop_reason == "stopped following up"
    lena = tmp_store.contact("Lena Fischer")
    history = [_touch(lena, "no-reply", days_ago=d) for d in (3, 10)]
    reason = actions.drop_reason("", history)
    assert reason == "2 unanswered in a row"


def test_restore_brings_it_back(tmp_store: Env) -> None:
    jonas = tmp_store.contact("Jonas Weber")
    dropped = actions.drop(tmp_store.store, jonas, "later").contact
    back = actions.restore(tmp_store.store, dropped).contact
    assert (back.status, back.dropped_on, back.drop_reason) == ("active", None, "")


# -- edit, add, unlog ---------------------------------------------------------------------


def test_edit_changes_read_the_value_grammar_tags_and_cadence(tmp_store: Env) -> None:
    anna = replace(tmp_store.contact("Anna Berg"), tags=("lead", "berlin"))
    changes = actions.edit_changes(
        anna,
        value="$12k",
        cadence="10",
        tags=["vip", "Lead"],
        untags=["BERLIN"],
        company="Northwind",
        role=None,
    )
    assert changes == {
        "value": 12000.0,
        "cadence_days": 10,
        "tags": ("lead", "vip"),
        "company": "Northwind",
    }
    assert actions.edit_changes(anna, cadence="default") == {"cadence_days": None}


@pytest.mark.parametrize("text", ["0", "366", "often", "-3"])
def test_a_bad_cadence_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="cadence"):
        actions.parse_cadence(text)


def test_a_bad_value_is_refused() -> None:
    anna = Contact(name="Anna", created_at=NOW, updated_at=NOW)
    with pytest.raises(InputError):
        actions.edit_changes(anna, value="12,5")


def test_edit_writes_only_what_changed(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    result = actions.edit(tmp_store.store, anna, {"company": "Northwind Traders", "role": "CTO"})
    assert set(result.write.written) == {"role", "updated_at"}


def test_add_is_first_due_the_next_working_day(tmp_store: Env) -> None:
    new = Contact(name="New", created_at=NOW, updated_at=NOW)
    added = actions.add(tmp_store.store, new)
    assert added.next_due == TODAY + timedelta(days=1)  # Wednesday
    assert actions.first_due(Settings(), date(2026, 11, 27)) == MON  # a Friday: Monday


def test_add_refuses_a_past_date(tmp_store: Env) -> None:
    late = Contact(name="Late", created_at=NOW, updated_at=NOW, next_due=TODAY - timedelta(days=1))
    with pytest.raises(InputError, match="past"):
        actions.add(tmp_store.store, late)
    assert all(c.name != "Late" for c in tmp_store.other_store().contacts())


def test_unlog_removes_the_newest_touch(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    removed = undo.unlog(tmp_store.store, anna)
    assert removed is not None and removed.touch.note == "Liked the pilot idea"
    left = tmp_store.other_store().touches(anna.uid)
    assert [t.outcome for t in left] == ["waiting"]
    assert undo.unlog(tmp_store.store, tmp_store.contact("Lena Fischer")) is None
