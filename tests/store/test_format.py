"""store/rules/format.py: how dates, values, counts and the touch order read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.rules import format as fmt
from tests.factories import CET, TODAY, at, make_contact, make_touch


def test_day_names_whatever_the_locale() -> None:
    assert fmt.day(date(2026, 11, 24)) == "Tue 24 Nov 2026"
    assert fmt.day(date(2026, 11, 24), TODAY) == "Tue 24 Nov"  # the same year: left out
    assert fmt.day(date(2027, 1, 4), TODAY) == "Mon 4 Jan 2027"
    assert fmt.day(date(2026, 12, 1), pad=True) == "Tue  1 Dec 2026"
    assert fmt.day(at(TODAY)) == "Tue 24 Nov 2026"
    assert fmt.day(None) == "never"
    assert fmt.short_day(date(2026, 11, 28)) == "Sat 28 Nov"


@pytest.mark.parametrize(
    ("days", "text"),
    [(0, "today"), (1, "tomorrow"), (-1, "yesterday"), (3, "in 3 days"), (-2, "2 days ago")],
)
def test_relative(days: int, text: str) -> None:
    assert fmt.relative(TODAY + timedelta(days=days), TODAY) == text


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (-3, "3d overdue"),
        (0, "today"),
        (1, "tomorrow"),
        (2, "in 2d"),
        (20, "in 3w"),
        (-30, "4w overdue"),
        (1000, "in 2y"),
        (None, "no next step"),
    ],
)
def test_due_label(due: int | None, text: str) -> None:
    contact = make_contact(next_due=None if due is None else TODAY + timedelta(days=due))
    assert fmt.due_label(contact, TODAY) == text


def test_due_label_of_a_contact_not_to_contact() -> None:
    assert fmt.due_label(make_contact(do_not_contact=True, next_due=TODAY), TODAY) == "no contact"


def test_money_and_plural() -> None:
    assert (fmt.money(12000.0), fmt.money(1250.5), fmt.money(None)) == ("12,000", "1,250.50", "-")
    assert (fmt.plural(1, "touch", "touches"), fmt.plural(3, "touch", "touches")) == (
        "1 touch",
        "3 touches",
    )
    assert fmt.plural(2, "contact") == "2 contacts"


def test_touches_newest_first_whatever_their_zone() -> None:
    # 10:30 at +01:00 is 09:30 UTC: before 10:00 UTC, though its clock reads later.
    early = make_touch(at=at(TODAY, 10, 30, tz=CET), id=2)
    late = make_touch(at=at(TODAY, 10, 0), id=1)
    same = make_touch(at=at(TODAY, 10, 0), id=5)
    assert fmt.newest_first([early, late, same]) == [same, late, early]
