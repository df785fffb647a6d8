"""Cadence and due dates: when each contact is due, and in which order to show them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from store.model import HEATS, Contact, Settings
from store.rules.format import due_label as due_label  # its home; re-exported

DueState = Literal["overdue", "today", "soon", "later", "none"]

SOON_DAYS = 2  # "soon" is 1 or 2 days ahead
DUE_LABEL_MAX = 12  # widest label: "no next step"; every date label fits in 11

_STATE_RANK: dict[DueState, int] = {"overdue": 0, "today": 1, "soon": 2, "later": 3, "none": 4}


def days_after(day: date, days: int) -> date:
    """`day` plus `days`, held at the calendar's last day (9999-12-31) rather than past
    it: a date computed from a stored one never fails, whatever the file holds."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def cadence_days(contact: Contact, settings: Settings) -> int:
    """Days between follow-ups: the contact's own override, else its heat's cadence."""
    days = contact.cadence_days or settings.cadence_for(contact.heat)
    return max(1, days)


def due_state(contact: Contact, today: date) -> DueState:
    if contact.do_not_contact:  # never due (and never flagged for a missing step)
        return "later"
    if contact.next_due is None:
        return "none"
    ahead = (contact.next_due - today).days
    if ahead < 0:
        return "overdue"
    if ahead == 0:
        return "today"
    if ahead <= SOON_DAYS:
        return "soon"
    return "later"


def days_overdue(contact: Contact, today: date) -> int:
    """Days past next_due; 0 when not overdue or without a next step."""
    if contact.next_due is None:
        return 0
    return max(0, (today - contact.next_due).days)


def suggest_next_due(contact: Contact, settings: Settings, today: date) -> date:
    """The next step's date after a touch today: one cadence from today, rolled
    forward off the rest days."""
    return roll_off_rest_days(days_after(today, cadence_days(contact, settings)), settings)


def first_due(today: date, settings: Settings | None = None) -> date:
    """A new contact is followed up promptly: tomorrow (the next working day)."""
    day = days_after(today, 1)
    return day if settings is None else roll_off_rest_days(day, settings)


def roll_off_rest_days(day: date, settings: Settings) -> date:
    """`day`, or the first day after it that is not one of the rest days."""
    rest = frozenset(settings.rest_days)
    if len(rest) >= 7:
        return day
    while day.weekday() in rest and day < date.max:
        day += timedelta(days=1)
    return day


def _order_key(contact: Contact, today: date, settings: Settings) -> tuple[int, float, str, str]:
    state = due_state(contact, today)
    weight = 0.0
    if state == "overdue":
        # Most overdue relative to the cadence first.
        weight = -days_overdue(contact, today) / cadence_days(contact, settings)
    elif contact.do_not_contact:
        weight = float("inf")  # never due: last of the later ones
    elif state in ("soon", "later") and contact.next_due is not None:
        weight = float(contact.next_due.toordinal())
    return (_STATE_RANK[state], weight, contact.name.casefold(), contact.uid)


def column_order(contacts: Iterable[Contact], today: date, settings: Settings) -> list[Contact]:
    """One heat column's order: overdue, today, soon, later, no next step; ties by name."""
    return sorted(contacts, key=lambda c: _order_key(c, today, settings))


def dashboard_order(contacts: Iterable[Contact], today: date, settings: Settings) -> list[Contact]:
    """Hot, then warm, then cool, each in column order."""
    pool = list(contacts)
    ordered: list[Contact] = []
    for heat in HEATS:
        ordered.extend(column_order((c for c in pool if c.heat == heat), today, settings))
    return ordered
