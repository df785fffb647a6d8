"""The suggested next step and date the dialogs and commands start from.

Every suggested date rolls forward off the rest days (a follow-up suggested for a
Saturday lands on Monday), and says so. After a touch:
- reached: the old step is presumed done; the new step starts empty and its date is
  one cadence after the touch;
- no-reply or waiting: the step stays, dated a week after the touch (leave about a
  week between unanswered follow-ups: persistent, not pushy); a date the user had
  planned later than that is kept as it is.
A date the user types is kept as typed, on a rest day too (`rest_day_note` says so).
A snooze suggests the day after the contact's current date (never sooner than
tomorrow), so it never makes a contact due sooner unless the user types such a date.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

import msgspec

from store.model import Contact, Outcome, Settings
from store.rules.cadence import cadence_days, days_after
from store.rules.dates import horizon
from store.rules.format import short_day

WEEK = 7


class Suggested(msgspec.Struct, frozen=True):
    """A suggested date, and the rest day it was moved off (None: not moved)."""

    day: date
    moved_from: date | None = None

    def note(self) -> str:
        """ "moved off Sat 28 Nov (a rest day)", or "" when not moved."""
        if self.moved_from is None:
            return ""
        return f"suggested date moved off {short_day(self.moved_from)} (a rest day)"


def rest_day_note(day: date | None, rest_days: Collection[int]) -> str:
    """A note for a date the user typed that falls on a rest day (it is kept: the user
    chose it), or "" ("Sun 20 Dec is a rest day; kept as typed")."""
    if day is None or day.weekday() not in rest_days:
        return ""
    return f"{short_day(day)} is a rest day; kept as typed"


def off_rest_days(day: date, rest_days: Collection[int]) -> Suggested:
    """`day`, or the first day after it that is not a rest day."""
    rest = frozenset(rest_days)
    if len(rest) >= 7:
        return Suggested(day)
    moved = day
    while moved.weekday() in rest and moved < date.max:
        moved += timedelta(days=1)
    return Suggested(moved, day if moved != day else None)


class StepSuggestion(msgspec.Struct, frozen=True):
    """What the log dialog starts from after a touch."""

    step: str  # the next step's text to start with ("" after a reached touch)
    was: str  # the step presumed done ("" when the step stays)
    due: Suggested


def after_touch(
    contact: Contact,
    outcome: Outcome,
    touch_day: date,
    settings: Settings,
    *,
    inbound: bool = False,
) -> StepSuggestion:
    """The next step and date to suggest after a touch on `touch_day`."""
    cadence = days_after(touch_day, cadence_days(contact, settings))
    if outcome == "reached" or inbound:
        return StepSuggestion("", contact.next_step, off_rest_days(cadence, settings.rest_days))
    suggested = off_rest_days(days_after(touch_day, WEEK), settings.rest_days)
    planned = contact.next_due
    if planned is not None and planned > suggested.day:
        suggested = Suggested(planned)
    return StepSuggestion(contact.next_step, "", suggested)


def cadence_date(contact: Contact, settings: Settings, today: date) -> Suggested:
    """One cadence from today, off the rest days."""
    return off_rest_days(days_after(today, cadence_days(contact, settings)), settings.rest_days)


def first_date(settings: Settings, today: date) -> Suggested:
    """A new contact: followed up promptly, the next working day."""
    return off_rest_days(days_after(today, 1), settings.rest_days)


def snooze_date(contact: Contact, settings: Settings, today: date) -> Suggested:
    """The day after the contact's current date (at least tomorrow), off the rest days;
    never past the horizon (a date stored past it is moved back to it, with the warning
    of `sooner_warning`)."""
    base = days_after(max(today, contact.next_due or today), 1)
    suggested = off_rest_days(base, settings.rest_days)
    latest = horizon(today)
    return suggested if suggested.day <= latest else Suggested(latest)


def sooner_warning(contact: Contact, chosen: date | None) -> str:
    """A warning when `chosen` makes the contact due sooner than it is now."""
    current = contact.next_due
    if chosen is None or current is None or chosen >= current:
        return ""
    return f"this makes the contact due sooner: {short_day(chosen)} instead of {short_day(current)}"
