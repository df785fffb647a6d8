"""Small formatting helpers shared by the screens and dialogs."""

from __future__ import annotations

from store.rules.format import day, money, plural
from store.rules.text import clean

__all__ = ["day", "headline", "money", "plural"]  # day, money, plural: store/rules/format.py


def headline(name: str, company: str, role: str) -> tuple[str, str]:
    """The cleaned name, and "Role at Company" (or either alone, or "")."""
    company, role = clean(company), clean(role)
    where = f"{role}, {company}" if company and role else company or role
    return clean(name), where
