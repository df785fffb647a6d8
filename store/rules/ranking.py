"""The first-paint ranking: the head of each heat column, read from what the column order
needs of each record (its head) without building every contact."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import msgspec

from store.model import HEATS, BadRecord, Contact, Settings
from store.rules.cadence import SOON_DAYS


class RecordHead(msgspec.Struct, frozen=True, gc=False):
    """The fields of a contact record the column order reads (store.rules.cadence),
    decoded without the others. A record whose fields are not of these types is left out
    of the first paint; `contacts()` reports it."""

    name: str
    uid: str
    heat: str | None = None
    status: str | None = "active"
    next_due: str | None = None
    do_not_contact: bool | None = False
    cadence_days: int | float | None = None


def heads_of(records: Mapping[str, Any]) -> list[tuple[str, RecordHead]]:
    """The heads of records already parsed (the unreadable ones left out)."""
    heads = []
    for key, doc in records.items():
        try:
            heads.append((key, msgspec.convert(doc, RecordHead)))
        except msgspec.ValidationError:
            continue
    return heads


class FirstScreen(msgspec.Struct, frozen=True):
    """What the dashboard's first paint needs, read without building every contact:
    the first `per_heat` active contacts of each heat in column order (unordered here;
    a record that can't be read is left out), and the counts of all active contacts."""

    contacts: list[Contact]
    per_heat: dict[str, int]
    due_today: int
    overdue: int


def first_screen(
    heads: Iterable[tuple[str, RecordHead]],
    record: Callable[[str], Any],
    settings: Settings,
    today: date,
    per_heat: int,
) -> FirstScreen:
    """The head of each heat column and the counts, for the dashboard's first paint.

    Building all 5,000 contacts of a heavy database costs 50-85 ms, and parsing their
    records 35-45 ms; this ranks the records' heads by the column order key
    (store.rules.cadence) and builds only the `per_heat` first of each heat, from
    `record(key)`. The full list (`contacts()`) follows after the paint.
    """
    cutoff, soon = today.isoformat(), date.fromordinal(today.toordinal() + SOON_DAYS)
    soon_cutoff = soon.isoformat()
    # First pass, no dates parsed: each active record into its heat and due state rank.
    ranks: dict[str, list[list[tuple[str, RecordHead]]]] = {
        heat: [[], [], [], [], []] for heat in HEATS
    }
    for key, head in heads:
        if head.status != "active":
            continue
        due = head.next_due
        if head.do_not_contact is True:
            rank = 3  # never due: with the later ones (store.rules.cadence.due_state)
        elif due is None:
            rank = 4
        elif due < cutoff:
            rank = 0
        elif due == cutoff:
            rank = 1
        else:
            rank = 2 if due <= soon_cutoff else 3
        by_rank = ranks.get(head.heat or "warm")
        if by_rank is not None:
            by_rank[rank].append((key, head))
    # Then the full order key, only for the ranks that hold each column's head.
    contacts = []
    for heat, by_rank in ranks.items():
        keyed: list[tuple[tuple[int, float, str, str], str]] = []
        for rank, members in enumerate(by_rank):
            for key, head in members:
                try:
                    keyed.append((_order(rank, head, heat, today, settings), key))
                except ValueError:
                    continue  # not a date: contacts() reports it
            if len(keyed) >= per_heat:
                break
        for _order_key, key in heapq.nsmallest(per_heat, keyed, key=lambda r: r[0]):
            try:
                contacts.append(Contact.from_doc(record(key), int(key)))
            except (BadRecord, ValueError):
                continue
    return FirstScreen(
        contacts,
        {heat: sum(map(len, by_rank)) for heat, by_rank in ranks.items()},
        due_today=sum(len(by_rank[1]) for by_rank in ranks.values()),
        overdue=sum(len(by_rank[0]) for by_rank in ranks.values()),
    )


def _order(
    rank: int, head: RecordHead, heat: str, today: date, settings: Settings
) -> tuple[int, float, str, str]:
    """store.rules.cadence's column order key, from a record's head of due state `rank`."""
    weight = 0.0
    if rank == 0:  # overdue: most overdue relative to the cadence first
        cadence = max(1, head.cadence_days or settings.cadence_for(heat))
        weight = -(today - date.fromisoformat(head.next_due or "")).days / cadence
    elif head.do_not_contact is True:
        weight = float("inf")  # last of the later ones
    elif rank in (2, 3):
        weight = float(date.fromisoformat(head.next_due or "").toordinal())
    return (rank, weight, head.name.casefold(), head.uid)
