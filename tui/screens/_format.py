"""Small formatting helpers shared by the screens and dialogs."""

from __future__ import annotations

from store.text import clean
from widgets.timeline import format_day

day = format_day


def money(value: float | None) -> str:
    """A contact's value: "12,000", "1,250.50", or "-" when not set."""
    if value is None:
        return "-"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def headline(name: str, company: str, role: str) -> tuple[str, str]:
    """The cleaned name, and "Role at Company" (or either alone, or "")."""
    company, role = clean(company), clean(role)
    where = f"{role}, {company}" if company and role else company or role
    return clean(name), where
