"""The suggested next step and date: the log chain, rest days, snooze."""

from __future__ import annotations

from datetime import date, timedelta

from store.model import Settings
from store.rules.suggest import (
    after_touch,
    cadence_date,
    first_date,
    off_rest_days,
    snooze_date,
    sooner_warning,
)
from tests.factories import TODAY, make_contact

SETTINGS = Settings()  # hot 7, warm 21, cool 75; Saturday and Sunday rest
SAT = date(2026, 11, 28)
MON = date(2026, 11, 30)


def test_off_rest_days_rolls_forward_and_says_so() -> None:
    moved = off_rest_days(SAT, (5, 6))
    assert moved.day == MON
    assert moved.note() == "suggested date moved off Sat 28 Nov (a rest day)"
    kept = off_rest_days(MON, (5, 6))
    assert (kept.day, kept.note()) == (MON, "")
    assert off_rest_days(SAT, ()).day == SAT
    assert off_rest_days(SAT, range(7)).day == SAT  # every day a rest day: left alone


def test_reached_presumes_the_step_done() -> None:
    anna = make_contact(heat="hot", next_step="Send the deck", next_due=TODAY - timedelta(days=2))
    s = after_touch(anna, "reached", TODAY, SETTINGS)
    assert (s.step, s.was) == ("", "Send the deck")
    assert s.due.day == TODAY + timedelta(days=7)


def test_no_reply_keeps_the_step_at_least_a_week_out() -> None:
    hot = make_contact(heat="hot", next_step="Send the deck", next_due=TODAY)
    s = after_touch(hot, "no-reply", TODAY, SETTINGS)
    assert (s.step, s.was) == ("Send the deck", "")
    assert s.due.day == TODAY + timedelta(days=7)
    short = make_contact(heat="hot", cadence_days=2, next_step="Call", next_due=TODAY)
    assert after_touch(short, "waiting", TODAY, SETTINGS).due.day == TODAY + timedelta(days=7)
    # a cool contact (75 days) with no answer is still followed up a week later
    cool = make_contact(heat="cool", next_step="Ask again", next_due=TODAY)
    assert after_touch(cool, "no-reply", TODAY, SETTINGS).due.day == TODAY + timedelta(days=7)


def test_a_later_planned_date_is_kept() -> None:
    planned = TODAY + timedelta(days=30)
    hot = make_contact(heat="hot", next_step="Demo call", next_due=planned)
    assert after_touch(hot, "no-reply", TODAY, SETTINGS).due.day == planned
    assert after_touch(hot, "waiting", TODAY, SETTINGS).due.moved_from is None


def test_cadence_add_and_snooze_roll_off_rest_days() -> None:
    friday = date(2026, 11, 27)
    hot = make_contact(heat="hot", cadence_days=1, next_due=friday)
    assert cadence_date(hot, SETTINGS, friday).day == MON
    assert first_date(SETTINGS, friday).day == MON
    assert snooze_date(hot, SETTINGS, friday).day == MON


def test_snooze_defaults_after_the_current_date() -> None:
    later = TODAY + timedelta(days=5)
    contact = make_contact(next_due=later)
    assert snooze_date(contact, SETTINGS, TODAY).day == later + timedelta(days=1)
    overdue = make_contact(next_due=TODAY - timedelta(days=3))
    assert snooze_date(overdue, SETTINGS, TODAY).day == TODAY + timedelta(days=1)
    assert sooner_warning(contact, TODAY + timedelta(days=2)).startswith(
        "this makes the contact due sooner: Thu 26 Nov instead of Sun 29 Nov"
    )
    assert sooner_warning(contact, later) == ""
