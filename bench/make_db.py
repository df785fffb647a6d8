"""Write the heavy database of DESIGN.md: 5,000 active contacts and 50,000
touches spread over the last three years, seeded and deterministic, in the
store's real format.

    python bench/make_db.py PATH [--contacts N] [--touches N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.clock import FixedClock
from store.engine.paths import journal_path
from store.model import CHANNELS, DEFAULT_OUTCOME, HEATS, KINDS, Contact, Touch
from store.store import Store

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))
FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "Dev",
    "Elif",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jon",
    "Kemal",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
]
LAST = [
    "Berg",
    "Costa",
    "Diaz",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haas",
    "Ito",
    "Jansen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
]
COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Aperture",
    "Monarch",
    "Oscorp",
]
STEPS = [
    "Send the pricing deck",
    "Book a demo for the ops team",
    "Ask for the signed offer",
    "Share the case study",
    "Confirm the budget owner",
    "Propose a pilot scope",
    "",
]


def build(count: int, touch_count: int, seed: int) -> tuple[list[Contact], list[Touch]]:
    rng = random.Random(seed)
    contacts = []
    for n in range(count):
        created = NOW - timedelta(days=rng.randint(30, 1095))
        due = (NOW + timedelta(days=rng.randint(-30, 60))).date()
        contacts.append(
            Contact(
                uid=f"00000000-0000-4000-8000-{n:012d}",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                company=rng.choice(COMPANIES),
                kind=rng.choice(KINDS),
                heat=rng.choice(HEATS),
                goal="Close the annual contract",
                channel=rng.choice(CHANNELS),
                email=f"person{n}@example.com",
                value=float(rng.choice([0, 500, 2_000, 12_000, 50_000])),
                next_step=rng.choice(STEPS),
                next_due=due if rng.random() > 0.05 else None,
                created_at=created,
                updated_at=created,
            )
        )
    touches = []
    for n in range(touch_count):
        owner = contacts[rng.randrange(count)]
        channel = rng.choice(CHANNELS)
        at = NOW - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        touches.append(
            Touch(
                uid=f"11111111-0000-4000-8000-{n:012d}",
                contact_uid=owner.uid,
                at=at,
                channel=channel,
                outcome=rng.choice([DEFAULT_OUTCOME[channel], "no-reply", "reached"]),
                direction="in" if rng.random() < 0.1 else "out",
                note=rng.choice(["Left a voicemail", "Talked pricing", "Sent follow-up", ""]),
            )
        )
    return contacts, touches


def make(path: Path, count: int = 5_000, touch_count: int = 50_000, seed: int = 7) -> Store:
    for stale in (path, journal_path(path), path.with_name(f"{path.stem}.touches{path.suffix}")):
        stale.unlink(missing_ok=True)
    store = Store(path, clock=FixedClock(NOW))
    contacts, touches = build(count, touch_count, seed)
    store.add_many(contacts, touches)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--touches", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    make(args.path, args.contacts, args.touches, args.seed)
    print(f"wrote {args.path} ({args.contacts} contacts, {args.touches} touches)")


if __name__ == "__main__":
    main()
