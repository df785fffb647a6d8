"""The first-paint ranking: the head of each heat column, read from raw records without
building every contact."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date
from typing import Any

from store.model import HEATS, BadRecord, Contact, Settings
from store.rules.cadence import SOON_DAYS


@dataclass(frozen=True)
class FirstScreen:
    """What the dashboard's first paint needs, read without building every contact:
    the first `per_heat` active contacts of each heat in column order (unordered here;
    a record that can't be read is left out), and the counts of all active contacts."""

    contacts: list[Contact]
    per_heat: dict[str, int]
    due_today: int
    overdue: int


def first_screen(  # noqa: C901  (one pass over every record, on the first paint's clock)
    raw_contacts: dict[str, Any], settings: Settings, today: date, per_heat: int
) -> FirstScreen:
    """The head of each heat column and the counts, for the dashboard's first paint.

    Building all 5,000 contacts of a heavy database costs 50-85 ms; this ranks the
    raw records by the column order key (store.rules.cadence) and builds only the
    `per_heat` first of each heat. The full list (`contacts()`) follows after the paint.
    """
    cutoff, soon = today.isoformat(), date.fromordinal(today.toordinal() + SOON_DAYS)
    soon_cutoff = soon.isoformat()
    # First pass, no parsing: each active record into its heat and due state rank.
    ranks: dict[str, list[list[tuple[str, dict[str, Any]]]]] = {
        heat: [[], [], [], [], []] for heat in HEATS
    }
    for key, doc in raw_contacts.items():
        if doc.__class__ is not dict or doc.get("status", "active") != "active":
            continue
        due = doc.get("next_due")
        if doc.get("do_not_contact") is True:
            rank = 3  # never due: with the later ones (store.rules.cadence.due_state)
        elif due is None:
            rank = 4
        elif due.__class__ is not str:
            continue
        elif due < cutoff:
            rank = 0
        elif due == cutoff:
            rank = 1
        else:
            rank = 2 if due <= soon_cutoff else 3
        by_rank = ranks.get(doc.get("heat") or "warm")
        if by_rank is not None:
            by_rank[rank].append((key, doc))
    # Then the full order key, only for the ranks that hold each column's head.
    contacts = []
    for heat, by_rank in ranks.items():
        keyed: list[tuple[tuple[int, float, str, str], str, dict[str, Any]]] = []
        for rank, members in enumerate(by_rank):
            for key, doc in members:
                try:
                    keyed.append((_order(rank, doc, heat, today, settings), key, doc))
                except (AttributeError, KeyError, TypeError, ValueError):
                    continue  # not readable: contacts() reports it
            if len(keyed) >= per_heat:
                break
        for _order_key, key, doc in heapq.nsmallest(per_heat, keyed, key=lambda r: r[0]):
            try:
                contacts.append(Contact.from_doc(doc, int(key)))
            except (BadRecord, ValueError):
                continue
    return FirstScreen(
        contacts,
        {heat: sum(map(len, by_rank)) for heat, by_rank in ranks.items()},
        due_today=sum(len(by_rank[1]) for by_rank in ranks.values()),
        overdue=sum(len(by_rank[0]) for by_rank in ranks.values()),
    )


def _order(
    rank: int, doc: dict[str, Any], heat: str, today: date, settings: Settings
) -> tuple[int, float, str, str]:
    """store.rules.cadence's column order key, from a raw record of due state `rank`."""
    weight = 0.0
    if rank == 0:  # overdue: most overdue relative to the cadence first
        cadence = max(1, doc.get("cadence_days") or settings.cadence_for(heat))
        weight = -(today - date.fromisoformat(doc["next_due"])).days / cadence
    elif doc.get("do_not_contact") is True:
        weight = float("inf")  # last of the later ones
    elif rank in (2, 3):
        weight = float(date.fromisoformat(doc["next_due"]).toordinal())
    return (rank, weight, doc["name"].casefold(), doc["uid"])
