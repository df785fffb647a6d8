"""How dates, values and counts read, in one place for the command line, the widgets and
the screens. Plain ASCII and English whatever the locale (no strftime `%a`/`%b`).

    day(date(2026, 11, 24))                       "Tue 24 Nov 2026"
    day(date(2026, 11, 24), today=...)            "Tue 24 Nov" (same year as today)
    short_day(date(2026, 11, 24))                 "Tue 24 Nov"
    relative(day, today)                          "today", "in 3 days", "yesterday"
    due_label(contact, today)                     "3d overdue", "today", "in 2d", "no next step"
    money(12000.0)                                "12,000"; money(None) is "-"
    plural(3, "touch", "touches")                 "3 touches"
    newest_first(touches)                         the touches, newest first (one sort key)

Plain Python: imports no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.model import Contact, Touch

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_day(value: date) -> str:
    """ "Sat 28 Nov"."""
    return f"{DAY_NAMES[value.weekday()]} {value.day} {MONTH_NAMES[value.month - 1]}"


def day(value: date | datetime | None, today: date | None = None, *, pad: bool = False) -> str:
    """ "Tue 3 Nov 2026", the year left out when it is `today`'s year; `pad` right-aligns
    the day of the month; None is "never"."""
    if value is None:
        return "never"
    if isinstance(value, datetime):
        value = value.date()
    number = f"{value.day:>2}" if pad else str(value.day)
    text = f"{DAY_NAMES[value.weekday()]} {number} {MONTH_NAMES[value.month - 1]}"
    if today is None or value.year != today.year:
        text += f" {value.year}"
    return text


def relative(value: date, today: date) -> str:
    """ "today", "tomorrow", "yesterday", "in 3 days", "2 days ago"."""
    ahead = (value - today).days
    if ahead == 0:
        return "today"
    if ahead == 1:
        return "tomorrow"
    if ahead == -1:
        return "yesterday"
    return f"in {ahead} days" if ahead > 0 else f"{-ahead} days ago"


def due_label(contact: Contact, today: date) -> str:
    """A short label: "3d overdue", "today", "tomorrow", "in 2d", "in 3w", "no next step"."""
    if contact.do_not_contact:
        return "no contact"
    if contact.next_due is None:
        return "no next step"
    ahead = (contact.next_due - today).days
    if ahead < 0:
        return f"{span(-ahead)} overdue"
    if ahead == 0:
        return "today"
    if ahead == 1:
        return "tomorrow"
    return f"in {span(ahead)}"


def span(days: int) -> str:
    """Days up to 13 ("9d"), then weeks ("3w"), rounded; years past 99 weeks."""
    if days < 14:
        return f"{days}d"
    weeks = (days + 3) // 7
    if weeks < 100:
        return f"{weeks}w"
    return f"{min(days // 365, 99)}y"


def money(value: float | None) -> str:
    """A contact's value: "12,000", "1,250.50", or "-" when not set."""
    if value is None:
        return "-"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 touch", "3 touches" (`words`, else `word` + "s")."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def touch_order(touch: Touch) -> tuple[float, int]:
    """The one sort key of touches: by moment (whatever its zone), then as stored."""
    return (touch.at.timestamp(), touch.id)


def newest_first(touches: Iterable[Touch]) -> list[Touch]:
    return sorted(touches, key=touch_order, reverse=True)
