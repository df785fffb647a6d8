"""The morning review: which contacts to walk through today, in which order, and the
tally of what was done with them.

The queue is the overdue contacts first (most overdue relative to their cadence, hot
before warm before cool on a tie), then the ones due today (hot, warm, cool), capped
at the daily target; what is past the cap is counted ("and 6 more"). A dropped or
do-not-contact contact is never in the queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal

import msgspec

from store.model import HEATS, Contact, Settings
from store.rules.cadence import cadence_days, days_overdue, due_state

Done = Literal["logged", "snoozed", "rescheduled", "dropped", "cooled", "edited", "skipped"]
DONE_KINDS: tuple[Done, ...] = (
    "logged", "snoozed", "rescheduled", "dropped", "cooled", "edited", "skipped",
)  # fmt: skip


class Queue(msgspec.Struct, frozen=True):
    """The contacts to review today, in order, and how many the daily target left out."""

    contacts: tuple[Contact, ...]
    more: int = 0

    def __len__(self) -> int:
        return len(self.contacts)

    def more_line(self) -> str:
        return f"and {self.more} more" if self.more else ""


def reviewable(contact: Contact) -> bool:
    return contact.active and not contact.do_not_contact and contact.next_due is not None


def review_queue(contacts: Iterable[Contact], today: date, settings: Settings) -> Queue:
    """Overdue (most overdue for its cadence first, then by heat), then due today."""
    overdue: list[tuple[float, int, str, str, Contact]] = []
    due_today: list[tuple[float, int, str, str, Contact]] = []
    for contact in contacts:
        if not reviewable(contact):
            continue
        state = due_state(contact, today)
        heat = HEATS.index(contact.heat)
        if state == "overdue":
            weight = -days_overdue(contact, today) / cadence_days(contact, settings)
            overdue.append((weight, heat, contact.name.casefold(), contact.uid, contact))
        elif state == "today":
            due_today.append((0.0, heat, contact.name.casefold(), contact.uid, contact))
    ordered = [row[-1] for row in sorted(overdue, key=lambda r: r[:4])]
    ordered += [row[-1] for row in sorted(due_today, key=lambda r: r[:4])]
    target = max(1, settings.daily_target)
    return Queue(tuple(ordered[:target]), max(0, len(ordered) - target))


class Tally(msgspec.Struct, frozen=True):
    """What a review did: how many contacts were logged, snoozed, rescheduled..."""

    logged: int = 0
    snoozed: int = 0
    rescheduled: int = 0
    dropped: int = 0
    cooled: int = 0
    edited: int = 0
    skipped: int = 0

    @classmethod
    def of(cls, done: Mapping[int, Done], total: int) -> Tally:
        """The tally of a review of `total` cards; a card with nothing done was skipped."""
        counts = dict.fromkeys(DONE_KINDS, 0)
        for index in range(total):
            counts[done.get(index, "skipped")] += 1
        return cls(**counts)

    def lines(self) -> list[str]:
        """One line per count; cooled and edited only when there were any."""
        rows = [
            ("Logged", self.logged),
            ("Snoozed", self.snoozed),
            ("Rescheduled", self.rescheduled),
            ("Dropped", self.dropped),
        ]
        if self.cooled:
            rows.append(("Cooled down", self.cooled))
        if self.edited:
            rows.append(("Edited", self.edited))
        rows.append(("Skipped", self.skipped))
        return [f"{label:<12} {count}" for label, count in rows]


def what_was_done(before: Contact, after: Contact, *, logged: bool) -> Done:
    """What a write on the review's contact counts as: a touch logged, a drop, a
    move to cool, a new date alone (snoozed), a new next step (rescheduled), an edit."""
    if logged:
        return "logged"
    if after.status == "dropped" and before.status != "dropped":
        return "dropped"
    if after.heat != before.heat and after.heat == "cool":
        return "cooled"
    if after.next_step != before.next_step:
        return "rescheduled"
    if after.next_due != before.next_due:
        return "snoozed"
    return "edited"
