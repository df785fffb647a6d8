"""The commands that only read: today, list, show, streak, stats.

`today` and `streak` stay quick on a large database: `Store.due_by` parses only the
contacts that are due, and `Store.touch_days` reads cached per-day counts instead of
the touches.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from store.rules import cadence
from store.rules.format import plural
from store.rules.streak import compute_streak
from store.rules.text import clean
from tui.cli import args as arg
from tui.cli.output import (
    day_text,
    field_rows,
    heat_sections,
    next_text,
    out,
    past_text,
    print_json,
    touch_row,
    value_text,
    warn_unreadable,
)

if TYPE_CHECKING:
    from datetime import date

    from store.model import Channel, Contact
    from store.store import Store


def today(store: Store, args: argparse.Namespace) -> int:
    day = store.clock.now().date()
    settings = store.settings
    due = cadence.dashboard_order(store.due_by(day), day, settings)
    overdue = [c for c in due if c.next_due is not None and c.next_due < day]
    now_due = [c for c in due if c.next_due == day]
    streak = compute_streak(store.touch_days(), day, settings.rest_days)
    if args.json:
        print_json(
            {
                "streak": streak.to_json(),
                "overdue": [c.to_json() for c in overdue],
                "today": [c.to_json() for c in now_due],
            }
        )
        return 0
    if due:
        out(f"{day_text(day)}: {len(overdue)} overdue, {len(now_due)} due today")
        for line in heat_sections(due, lambda c: cadence.due_label(c, day)):
            out(line)
    else:
        out(_nothing_due(store, day))
    out(streak.line())
    return 0


def _nothing_due(store: Store, day: date) -> str:
    """Why nothing is due: a quiet day, or a database with no one to follow up (an empty
    or wrong file never looks like a quiet day). Read only when nothing is due."""
    everyone = store.contacts(include_dropped=True)
    where = clean(str(store.path))
    if not everyone:
        return f"no contacts in {where}: add one with followup add NAME (or is --db wrong?)"
    if not any(c.active for c in everyone):
        return (
            f"no active contacts in {where}: all {len(everyone)} are dropped (followup list --all)"
        )
    return f"{day_text(day)}: nothing overdue or due today"


def listing(store: Store, args: argparse.Namespace) -> int:
    day = store.clock.now().date()
    wanted = arg.heat(args.heat) if args.heat is not None else None
    everyone = store.contacts(include_dropped=args.all)
    warn_unreadable(store.problems, store.path)
    if wanted is not None:
        everyone = [c for c in everyone if c.heat == wanted]
    active = cadence.dashboard_order((c for c in everyone if c.active), day, store.settings)
    dropped = sorted((c for c in everyone if not c.active), key=lambda c: (c.name.casefold(), c.id))
    if args.json:
        print_json([c.to_json() for c in [*active, *dropped]])
        return 0
    if not active and not dropped:
        total = len(store.contacts(include_dropped=True))
        out("no contacts match" if total else "no contacts yet: try followup add NAME")
        return 0

    def label(contact: Contact) -> str:
        if not contact.active:
            return f"dropped {contact.dropped_on}" if contact.dropped_on else "dropped"
        return cadence.due_label(contact, day)

    for line in heat_sections(active, label, dropped, "DROPPED"):
        out(line)
    return 0


def proven(store: Store) -> tuple[Channel, str] | None:
    """The stats' best channel, for the "try another channel" nudge (reads every touch:
    asked only when that nudge is due)."""
    from store.rules.stats import channel_stats, proven_channel

    return proven_channel(channel_stats(store.touches()))


def show(store: Store, args: argparse.Namespace) -> int:
    from store.rules.nudges import nudges_for
    from store.rules.stats import summarize

    contact = arg.find(store, args.name, anyone=True)
    day = store.clock.now().date()
    settings = store.settings
    touches = store.touches(contact.uid)
    nudges = nudges_for(contact, touches, settings, day, lambda: proven(store))
    if args.json:
        doc = contact.to_json()
        doc["touches"] = [t.to_json() for t in touches]
        doc["nudges"] = [{"kind": n.kind, "marker": n.marker, "text": n.text} for n in nudges]
        print_json(doc)
        return 0
    summary = summarize(touches)
    state = "active" if contact.active else "dropped"
    out(f"{clean(contact.name)} (#{contact.id}): {contact.heat} {contact.kind}, {state}")
    history = f"{summary.touches}"
    if summary.last_reply is not None:
        history += f"; last reply {past_text(summary.last_reply, store.clock.now())}"
    if summary.unanswered_run:
        history += f"; {summary.unanswered_run} unanswered in a row"
    dropped = ""
    if not contact.active:
        dropped = day_text(contact.dropped_on) if contact.dropped_on else "yes"
        if contact.drop_reason:
            dropped += f" ({clean(contact.drop_reason)})"
    for line in field_rows(
        [
            ("company", clean(contact.company)),
            ("role", clean(contact.role)),
            ("goal", clean(contact.goal)),
            ("channel", contact.channel or ""),
            ("email", clean(contact.email)),
            ("phone", clean(contact.phone)),
            ("value", value_text(contact.value) if contact.value is not None else ""),
            ("tags", clean(", ".join(contact.tags))),
            ("cadence", f"every {cadence.cadence_days(contact, settings)} days"),
            ("next", next_text(contact, day) if contact.active else ""),
            ("dropped", dropped),
            ("touches", history),
        ]
    ):
        out(line)
    if nudges:
        out("hints")
        for nudge in nudges:
            out(f"  {nudge.marker} {nudge.text}")
    if touches:
        out("history (newest first)")
        for touch in touches:
            out(touch_row(touch))
    return 0


def streak(store: Store, args: argparse.Namespace) -> int:
    day = store.clock.now().date()
    result = compute_streak(store.touch_days(), day, store.settings.rest_days)
    if args.json:
        print_json(result.to_json())
        return 0
    count = result.touches_today
    out(f"{result.line()}; {plural(count, 'touch', 'touches')} today")
    return 0


def stats(store: Store, args: argparse.Namespace) -> int:
    from store.rules.stats import ChannelStats, best_channel, channel_stats, range_text, verdict

    rows = channel_stats(store.touches())
    if args.json:
        best = best_channel(rows)
        print_json(
            {
                "channels": [row.to_json() for row in rows],
                "best": None if best is None else best.channel,
            }
        )
        return 0
    out(f"{'channel':<8}  {'sent':>5}  {'answered':>8}  {'rate':>5}  {'95% range':>9}")
    for row in rows:
        rate = "-" if row.rate is None else f"{row.rate:.0%}"
        out(f"{row.channel:<8}  {row.sent:>5}  {row.answered:>8}  {rate:>5}  {range_text(row):>9}")
    sent = sum(r.sent for r in rows)
    answered = sum(r.answered for r in rows)
    total = f"{answered / sent:.0%}" if sent else "-"
    span = range_text(ChannelStats("all", sent, answered))
    out(f"{'all':<8}  {sent:>5}  {answered:>8}  {total:>5}  {span:>9}")
    out(verdict(rows))
    return 0
