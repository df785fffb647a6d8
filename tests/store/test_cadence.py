"""Cadence, due states, labels and ordering, on a fixed day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from store.model import Contact, Settings
from store.rules.cadence import (
    DUE_LABEL_MAX,
    cadence_days,
    column_order,
    dashboard_order,
    days_overdue,
    due_label,
    due_state,
    first_due,
    suggest_next_due,
)
from tests.factories import TODAY, make_contact

SETTINGS = Settings()


def due_in(days: int | None) -> date | None:
    return None if days is None else TODAY + timedelta(days=days)


@pytest.mark.parametrize(
    ("heat", "override", "settings", "expected"),
    [
        ("hot", None, SETTINGS, 7),
        ("warm", None, SETTINGS, 21),
        ("cool", None, SETTINGS, 75),
        ("cool", 10, SETTINGS, 10),
        ("hot", None, Settings(cadence={"hot": 3, "warm": 14, "cool": 60}), 3),
        ("warm", 30, Settings(cadence={"hot": 3, "warm": 14, "cool": 60}), 30),
    ],
)
def test_cadence_days(heat: str, override: int | None, settings: Settings, expected: int) -> None:
    contact = make_contact(heat=heat, cadence_days=override)
    assert cadence_days(contact, settings) == expected


@pytest.mark.parametrize(
    ("ahead", "state", "overdue", "label"),
    [
        (None, "none", 0, "no next step"),
        (-400, "overdue", 400, "57w overdue"),
        (-1000, "overdue", 1000, "2y overdue"),
        (-30, "overdue", 30, "4w overdue"),
        (-14, "overdue", 14, "2w overdue"),
        (-13, "overdue", 13, "13d overdue"),
        (-3, "overdue", 3, "3d overdue"),
        (-1, "overdue", 1, "1d overdue"),
        (0, "today", 0, "today"),
        (1, "soon", 0, "tomorrow"),
        (2, "soon", 0, "in 2d"),
        (3, "later", 0, "in 3d"),
        (13, "later", 0, "in 13d"),
        (14, "later", 0, "in 2w"),
        (20, "later", 0, "in 3w"),
        (75, "later", 0, "in 11w"),
    ],
)
def test_due_state_label_and_days_overdue(
    ahead: int | None, state: str, overdue: int, label: str
) -> None:
    contact = make_contact(next_due=due_in(ahead))
    assert due_state(contact, TODAY) == state
    assert days_overdue(contact, TODAY) == overdue
    assert due_label(contact, TODAY) == label


@pytest.mark.parametrize("ahead", [-99_999, -5000, -699, -98, -13, 13, 699, 5000, 99_999])
def test_date_labels_fit_in_eleven_characters(ahead: int) -> None:
    label = due_label(make_contact(next_due=due_in(ahead)), TODAY)
    assert len(label) <= 11, label
    assert len(label) <= DUE_LABEL_MAX


@pytest.mark.parametrize(
    ("heat", "override", "expected"),
    [
        ("hot", None, date(2026, 12, 1)),
        ("warm", None, date(2026, 12, 15)),
        ("cool", None, date(2027, 2, 8)),  # 75 days is Sunday 7 Feb: rolled to Monday
        ("cool", 2, date(2026, 11, 26)),
    ],
)
def test_suggest_next_due(heat: str, override: int | None, expected: date) -> None:
    contact = make_contact(heat=heat, cadence_days=override)
    assert suggest_next_due(contact, SETTINGS, TODAY) == expected


def test_first_due_is_tomorrow() -> None:
    assert first_due(TODAY) == date(2026, 11, 25)
    assert first_due(date(2026, 12, 31)) == date(2027, 1, 1)


def names(contacts: list[Contact]) -> list[str]:
    return [c.name for c in contacts]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # (name, cadence override, days ahead): one table per ordering rule.
        pytest.param(
            [
                ("Later", None, 9),
                ("None", None, None),
                ("Soon", None, 2),
                ("Today", None, 0),
                ("Over", None, -1),
            ],
            ["Over", "Today", "Soon", "Later", "None"],
            id="states-in-order",
        ),
        pytest.param(
            # 7 days late on a 7-day cadence (1.0) beats 14 days late on 21 days (0.67).
            [("Warm late", 21, -14), ("Hot late", 7, -7), ("Cool late", 75, -30)],
            ["Hot late", "Warm late", "Cool late"],
            id="overdue-relative-to-cadence",
        ),
        pytest.param(
            [("C", None, 30), ("A", None, 12), ("B", None, 5), ("D", None, 1), ("E", None, 2)],
            ["D", "E", "B", "A", "C"],
            id="soon-and-later-by-date",
        ),
        pytest.param(
            [("bob", None, 0), ("Alice", None, 0), ("anna", None, 0), ("Bert", None, 0)],
            ["Alice", "anna", "Bert", "bob"],
            id="ties-by-name-case-insensitive",
        ),
        pytest.param(
            [("zed", None, None), ("Amy", None, None), ("max", None, 4), ("Ben", None, 4)],
            ["Ben", "max", "Amy", "zed"],
            id="none-last-ties-by-name",
        ),
        pytest.param(
            # Same ratio (1.0): 21 days late on 21 and 7 late on 7 tie, then by name.
            [("Zoe", 21, -21), ("Adam", 7, -7)],
            ["Adam", "Zoe"],
            id="equal-ratio-by-name",
        ),
    ],
)
def test_column_order(rows: list[tuple[str, int | None, int | None]], expected: list[str]) -> None:
    contacts = [make_contact(name=n, cadence_days=cd, next_due=due_in(a)) for n, cd, a in rows]
    assert names(column_order(contacts, TODAY, SETTINGS)) == expected
    assert names(column_order(reversed(contacts), TODAY, SETTINGS)) == expected


def test_column_order_same_name_is_stable_by_uid() -> None:
    a = make_contact(name="Anna", uid="b-uid", next_due=TODAY)
    b = make_contact(name="anna", uid="a-uid", next_due=TODAY)
    assert column_order([a, b], TODAY, SETTINGS) == [b, a]
    assert column_order([b, a], TODAY, SETTINGS) == [b, a]


def test_overdue_ordering_uses_the_cadence_setting() -> None:
    settings = Settings(cadence={"hot": 2, "warm": 21, "cool": 75})
    hot = make_contact(name="Hot", heat="hot", next_due=due_in(-3))  # 1.5 cadences late
    warm = make_contact(name="Warm", heat="warm", next_due=due_in(-20))  # 0.95
    assert names(column_order([warm, hot], TODAY, settings)) == ["Hot", "Warm"]
    assert names(column_order([warm, hot], TODAY, SETTINGS)) == ["Warm", "Hot"]


def test_dashboard_order_hot_warm_cool_each_in_column_order() -> None:
    contacts = [
        make_contact(name="cool today", heat="cool", next_due=due_in(0)),
        make_contact(name="warm none", heat="warm", next_due=None),
        make_contact(name="hot later", heat="hot", next_due=due_in(5)),
        make_contact(name="warm overdue", heat="warm", next_due=due_in(-2)),
        make_contact(name="hot overdue", heat="hot", next_due=due_in(-1)),
        make_contact(name="cool none", heat="cool", next_due=None),
    ]
    assert names(dashboard_order(contacts, TODAY, SETTINGS)) == [
        "hot overdue",
        "hot later",
        "warm overdue",
        "warm none",
        "cool today",
        "cool none",
    ]


def test_dashboard_order_of_nothing() -> None:
    assert dashboard_order([], TODAY, SETTINGS) == []


def test_a_do_not_contact_contact_is_never_due() -> None:
    from datetime import timedelta

    from store.rules.cadence import column_order, due_label, due_state

    quiet = make_contact(name="A quiet", do_not_contact=True, next_due=TODAY - timedelta(days=9))
    later = make_contact(name="B later", next_due=TODAY + timedelta(days=30))
    assert due_state(quiet, TODAY) == "later"
    assert due_label(quiet, TODAY) == "no contact"
    assert [c.name for c in column_order([quiet, later], TODAY, SETTINGS)] == ["B later", "A quiet"]
