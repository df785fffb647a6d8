"""The detail line under the columns: what a 24-character row cuts off."""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.widgets import Static

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


class DetailLine(Static):
    """The line under the columns: the highlighted contact's full next step, goal and
    last touch (`known`: its history once read, newest first)."""

    def __init__(self) -> None:
        super().__init__("", id="detail", markup=False)
        self._shown: tuple[object, ...] = ()

    def show(self, contact: Contact | None, known: list[Touch] | None, today: date) -> None:
        last = known[0] if known else None
        shown = (contact, last, today, known is None)
        if shown == self._shown:  # a key often asks twice (the highlight, the keys)
            return
        self._shown = shown
        # Its size is fixed (two lines, the screen's width): a new text needs no layout
        # of the screen, which would cost more than every line the change drew.
        if contact is None:
            self.update("", layout=False)
            return
        self.update(detail_text(contact, last, today, known), layout=False)
