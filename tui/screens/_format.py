"""Small formatting helpers shared by the screens and dialogs (no Textual here)."""

from __future__ import annotations

from datetime import date, datetime

from store.stats import ContactSummary
from store.text import clean


def day(value: date | datetime | None, today: date | None = None) -> str:
    """A date as "Tue 3 Nov 2026", the year left out when it is `today`'s year."""
    if value is None:
        return "never"
    if isinstance(value, datetime):
        value = value.date()
    text = f"{value:%a} {value.day} {value:%b}"
    if today is None or value.year != today.year:
        text += f" {value.year}"
    return text


def money(value: float | None) -> str:
    """A contact's value: "12,000", "1,250.50", or "-" when not set."""
    if value is None:
        return "-"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def summary_facts(summary: ContactSummary, today: date | None = None) -> list[tuple[str, str]]:
    """The numbers that matter for one contact, as (label, value) pairs."""
    return [
        ("Touches", str(summary.touches)),
        ("Last touch", day(summary.last_touch, today)),
        ("Last reply", day(summary.last_reply, today)),
        ("Unanswered in a row", str(summary.unanswered_run)),
    ]


def headline(name: str, company: str, role: str) -> tuple[str, str]:
    """The cleaned name, and "Role at Company" (or either alone, or "")."""
    company, role = clean(company), clean(role)
    where = f"{role}, {company}" if company and role else company or role
    return clean(name), where
