"""Dates have a horizon (ten years): nothing later is let in, and every date computation
is safe up to it, and beyond, at the calendar's last day (9999-12-31, a Friday), which an
older file may still hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from icalendar import Calendar

from store import actions, exporting
from store.errors import InputError
from store.model import Settings
from store.rules import cadence, suggest
from store.rules.dates import check_due, describe, horizon, parse_due
from store.rules.format import due_label
from tests.conftest import TODAY, Env
from tests.factories import make_contact

HORIZON = date(2036, 11, 24)  # ten years after the fixture's Tuesday 2026-11-24
FAR = [HORIZON, date.max]
WEEKDAYS_OFF = Settings(rest_days=(4, 5, 6))  # Friday to Sunday: 9999-12-31 is a Friday


def test_the_horizon_is_ten_years_from_today() -> None:
    assert horizon(TODAY) == HORIZON
    assert check_due(HORIZON, TODAY) == HORIZON
    with pytest.raises(InputError, match="more than 10 years away"):
        check_due(date(2036, 11, 25), TODAY)
    with pytest.raises(InputError, match="more than 10 years away"):
        parse_due("9999-12-31", TODAY)


@pytest.mark.parametrize("due", FAR)
@pytest.mark.parametrize("settings", [Settings(), WEEKDAYS_OFF], ids=["sat-sun", "fri-sun"])
def test_every_suggestion_is_safe_at_and_past_the_horizon(due: date, settings: Settings) -> None:
    contact = make_contact(next_due=due, cadence_days=3650, next_step="Call")
    for today in (TODAY, due):
        snoozed = suggest.snooze_date(contact, settings, today)
        assert today < snoozed.day <= horizon(today) or snoozed.day == date.max
        for outcome in ("reached", "no-reply", "waiting"):
            after = suggest.after_touch(contact, outcome, today, settings)  # type: ignore[arg-type]
            assert after.due.day >= today
        assert suggest.cadence_date(contact, settings, today).day >= today
        assert suggest.first_date(settings, today).day >= today
        assert cadence.suggest_next_due(contact, settings, today) >= today
        assert cadence.first_due(today, settings) >= today
        assert cadence.roll_off_rest_days(due, settings) >= due
        assert describe(due, today)
        assert due_label(contact, today)


def test_a_snooze_never_suggests_a_date_past_the_horizon() -> None:
    stored_far = make_contact(next_due=date.max)
    snoozed = suggest.snooze_date(stored_far, Settings(), TODAY)
    assert snoozed.day == HORIZON
    assert suggest.sooner_warning(stored_far, snoozed.day)  # and it says it is sooner
    at_horizon = make_contact(next_due=HORIZON)
    assert suggest.snooze_date(at_horizon, Settings(), TODAY).day == HORIZON


@pytest.mark.parametrize("due", FAR)
def test_ics_export_at_and_past_the_horizon(tmp_store: Env, due: date) -> None:
    uid = tmp_store.uid("Anna Berg")
    tmp_store.store.update_fields(uid, {"next_due": due})  # as an older file may hold it
    calendar = Calendar.from_ical(exporting.to_ics(tmp_store.store))
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events[f"{uid}@followup"]
    assert event.decoded("dtstart") == due
    if due < date.max:
        assert (event.decoded("dtend") - due).days == 1
    else:
        assert "dtend" not in event  # one day long by the standard


@pytest.mark.parametrize("due", FAR)
def test_logging_and_snoozing_a_contact_stored_far_away(tmp_store: Env, due: date) -> None:
    uid = tmp_store.uid("Anna Berg")
    tmp_store.store.update_fields(uid, {"next_due": due})
    contact = tmp_store.store.contact(uid)
    touch = actions.new_touch(contact, at=tmp_store.clock.now(), channel="email", outcome="waiting")
    logged, write = actions.log(tmp_store.store, contact, touch)
    assert logged is not None
    assert write.contact.next_due == due  # a planned date later than a week is kept
    with pytest.raises(InputError, match="more than 10 years away"):
        actions.snooze(tmp_store.store, write.contact, due if due > HORIZON else date.max)
    moved = actions.snooze(tmp_store.store, write.contact, HORIZON).contact
    assert moved.next_due == HORIZON


@pytest.mark.parametrize(
    "write",
    [
        lambda store, c: actions.set_next(store, c, "Call", date.max),
        lambda store, c: actions.snooze(store, c, date(2040, 1, 1)),
        lambda store, c: actions.add(store, replace(c, id=0, uid="new", next_due=date.max)),
    ],
    ids=["next", "snooze", "add"],
)
def test_the_store_refuses_a_date_past_the_horizon_at_the_door(
    tmp_store: Env, write: object
) -> None:
    contact = tmp_store.contact("Anna Berg")
    before = tmp_store.path.read_bytes()
    with pytest.raises(InputError, match="more than 10 years away"):
        write(tmp_store.store, contact)  # type: ignore[operator]
    assert tmp_store.path.read_bytes() == before
