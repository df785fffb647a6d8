"""Text and JSON rendering for the command line.

Every string that comes from the database goes through `store.rules.text.clean` before it
is printed; the tool's own words are plain ASCII, so the output stays readable on a
terminal that is not UTF-8.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from store.model import HEATS, Contact, Touch
from store.rules import format
from store.rules.format import plural
from store.rules.text import clean

NAME_WIDTH = 26
COMPANY_WIDTH = 20


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def hint(line: str) -> None:
    """A nudge after a successful command: stderr, never blocking."""
    sys.stderr.write(f"hint: {line}\n")


def warn_unreadable(problems: list[str], path: object) -> None:
    """Records of a hand-edited file that could not be read: said on stderr, kept on disk."""
    from store.rules.text import clean

    if not problems:
        return
    shown = "; ".join(clean(p) for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    sys.stderr.write(
        f"warning: {plural(len(problems), 'record')} in {clean(str(path))} can't be read and are "
        f"left as they are: {shown}{more}\n"
    )


def print_json(value: Any) -> None:
    import json

    # ensure_ascii: control characters and non-ASCII text arrive escaped, never raw.
    sys.stdout.write(json.dumps(value, ensure_ascii=True, indent=2) + "\n")


def day_text(day: date, *, pad: bool = False) -> str:
    """ "Tue 1 Dec 2026", in English whatever the locale; `pad` aligns the day number."""
    return format.day(day, pad=pad)


def moment_text(moment: datetime) -> str:
    return f"{day_text(moment.date(), pad=True)} {moment:%H:%M}"


relative = format.relative


def past_text(moment: datetime, now: datetime) -> str:
    """ "Mon 23 Nov 2026 (yesterday)" for something that happened at `moment`: its day in
    the zone of `now` (the current one), and never "tomorrow" or "in N days": a moment
    after now (a clock set back) gets no relative label."""
    day = moment.astimezone(now.tzinfo).date() if now.tzinfo else moment.astimezone().date()
    today = now.date()
    if day > today:
        return day_text(day)
    return due_text(day, today)


def due_text(day: date, today: date) -> str:
    """ "Tue 1 Dec 2026 (in 7 days)"."""
    return f"{day_text(day)} ({relative(day, today)})"


def value_text(value: float) -> str:
    return format.money(value)


def next_text(contact: Contact, today: date) -> str:
    """ "Send the deck, due Tue 1 Dec 2026 (in 7 days)" or "no next step"."""
    step = clean(contact.next_step)
    if contact.next_due is None:
        return f"{step} (no date)" if step else "no next step"
    due = f"due {due_text(contact.next_due, today)}"
    return f"{step}, {due}" if step else due


def _char_cells(ch: str) -> int:
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells `text` takes: wide (CJK, most emoji) characters take two,
    combining marks and format characters none."""
    if text.isascii():
        return len(text)
    return sum(map(_char_cells, text))


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, with "..." when it was longer."""
    if width <= 0:
        return ""
    if cells(text) <= width:
        return text
    room = width - 3 if width > 3 else width
    used, cut = 0, 0
    for ch in text:
        size = _char_cells(ch)
        if used + size > room:
            break
        used += size
        cut += 1
    return text[:cut] + "..." if width > 3 else text[:cut]


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal cells."""
    return text + " " * max(0, width - cells(text))


def _line_width() -> int | None:
    """The terminal's width when printing to one; None (no cut) in a pipe."""
    try:
        if not sys.stdout.isatty():
            return None
        import shutil

        return max(40, shutil.get_terminal_size().columns)
    except (AttributeError, OSError, ValueError):
        return None


def contact_rows(contacts: Sequence[Contact], labels: Sequence[str]) -> list[str]:
    """Aligned rows: #id, name, company, label, next step."""
    if not contacts:
        return []
    ids = [f"#{c.id}" for c in contacts]
    names = [clean(c.name) for c in contacts]
    companies = [clean(c.company) for c in contacts]
    id_w = max(len(i) for i in ids)
    name_w = min(NAME_WIDTH, max(cells(n) for n in names))
    comp_w = min(COMPANY_WIDTH, max(cells(c) for c in companies))
    due_w = max(len(label) for label in labels)
    width = _line_width()
    rows = []
    for contact, ident, name, company, label in zip(
        contacts, ids, names, companies, labels, strict=True
    ):
        parts = [f"  {ident:>{id_w}}", pad(fit(name, name_w), name_w)]
        if comp_w:
            parts.append(pad(fit(company, comp_w), comp_w))
        parts.append(f"{label:<{due_w}}")
        head = "  ".join(parts)
        step = clean(contact.next_step) or "-"
        if width is not None:
            step = fit(step, width - cells(head) - 2)
        rows.append(f"{head}  {step}".rstrip())
    return rows


def heat_sections(
    contacts: Sequence[Contact], label_of: Any, extra: Sequence[Contact] = (), extra_title: str = ""
) -> list[str]:
    """Contacts (already in dashboard order) under HOT / WARM / COOL headings, then the
    `extra` ones (dropped) under `extra_title`; one set of column widths for all."""
    everyone = [*contacts, *extra]
    rows = contact_rows(everyone, [label_of(c) for c in everyone])
    lines: list[str] = []
    groups = [
        (heat.upper(), [i for i, c in enumerate(contacts) if c.heat == heat]) for heat in HEATS
    ]
    if extra:
        groups.append((extra_title, list(range(len(contacts), len(everyone)))))
    for title, indexes in groups:
        if indexes:
            lines.append(f"{title} ({len(indexes)})")
            lines.extend(rows[i] for i in indexes)
    return lines


def touch_row(touch: Touch) -> str:
    arrow = "in " if touch.direction == "in" else "out"
    note = clean(touch.note)
    row = f"  {moment_text(touch.at)}  {touch.channel:<7}  {arrow}  {touch.outcome:<8}  {note}"
    return row.rstrip()


def field_rows(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """ "  label    value" rows for the fields that have a value."""
    shown = [(label, value) for label, value in pairs if value]
    width = max((len(label) for label, _ in shown), default=0)
    return [f"  {label:<{width}}  {value}" for label, value in shown]
