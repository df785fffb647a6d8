"""The detail line under the columns: what a 24-character row cuts off."""

from __future__ import annotations

from datetime import date

from textual.content import Content

from store.model import Contact, Touch
from store.rules.cadence import due_label
from store.rules.text import clean
from widgets.timeline import format_day


def detail_text(
    contact: Contact, last: Touch | None, today: date, known: list[Touch] | None
) -> Content:
    """Two lines: "Next: <step in full> (due)" and "Goal: ... · Last: Mon 23 Nov call"."""
    step = clean(contact.next_step)
    first = Content.assemble(
        ("Next: ", "bold"),
        (step, "") if step else ("no next step", "$warning"),
        (f"  ({due_label(contact, today)})", "$text-muted") if contact.next_due else "",
    )
    goal = clean(contact.goal)
    if last is not None:
        touch = f"{format_day(last.at, today)} {last.channel}, {last.outcome}"
    elif known is not None:
        touch = "none yet"
    else:
        touch = "..."
    second = Content.assemble(
        ("Goal: ", "bold"),
        (goal, "") if goal else ("no goal set", "$text-muted"),
        ("  Last: ", "bold"),
        touch,
    )
    return Content("\n").join([first, second])
