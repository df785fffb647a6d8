"""`followup import` and `followup export`: thin commands over store.importing and
store.exporting (every rule lives there).

    followup import FILE... [--heat H] [--tag T] [--dry-run] [--json]
    followup export [--format json|csv|ics|vcf] [--output FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import InputError
from store.rules.text import clean, clean_block

if TYPE_CHECKING:
    from store.store import Store

PROBLEMS_SHOWN = 20  # problems listed on stderr; the rest are counted


def declare_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", metavar="FILE", nargs="+", help="CSV, vCard or followup JSON files")
    p.add_argument("--heat", metavar="H", help="heat of the new contacts (default: warm)")
    p.add_argument(
        "--tag", metavar="T", action="append", default=[], help="tag the new contacts (repeatable)"
    )
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")


def declare_export(p: argparse.ArgumentParser) -> None:
    from store.model import EXPORT_FORMATS as FORMATS

    p.add_argument(
        "--format", metavar="F", default="json", help=f"{' | '.join(FORMATS)} (default: json)"
    )
    p.add_argument(
        "--output",
        metavar="FILE",
        help="write to FILE atomically, or into a pipe or device (default: stdout)",
    )


def run_import(store: Store, args: argparse.Namespace) -> int:
    from store import importing
    from tui.cli import args as arg

    heat = arg.heat(args.heat) if args.heat is not None else "warm"
    tags = tuple(t.strip() for t in args.tag if t.strip())
    paths = [Path(name).expanduser() for name in args.files]
    for path in paths:
        if not path.is_file():
            raise InputError(f"{clean(str(path))}: no such file")
    reading = importing.read_files(paths)
    if not reading.has_people and reading.problems:
        first = clean(str(reading.problems[0]))
        raise InputError(f"nothing could be read: {first}; nothing was written")
    plan = importing.run(store, reading, heat=heat, tags=tags, dry_run=args.dry_run)  # type: ignore[arg-type]
    if args.json:
        from tui.cli.output import print_json

        print_json(
            {
                **plan.summary(),
                "dry_run": bool(args.dry_run),
                "problems": [str(p) for p in plan.problems],
                "warnings": [str(p) for p in plan.warnings],
            }
        )
        return 0
    _say_problems("can't read", plan.problems)
    _say_problems("note", plan.warnings)
    if args.dry_run:
        _say_changes(plan)
    line = plan.summary_line()
    sys.stdout.write(f"{line}{' (dry run: nothing written)' if args.dry_run else ''}\n")
    return 0


def _say_changes(plan: Any) -> None:
    """What a dry run would do, one line a contact."""
    from tui.cli.output import day_text

    for contact in plan.new:
        company = f" ({clean(contact.company)})" if contact.company else ""
        due = f", first follow-up {day_text(contact.next_due)}" if contact.next_due else ""
        sys.stdout.write(f"would add: {clean(contact.name)}{company}{due}\n")
    for contact in plan.updated:
        sys.stdout.write(f"would update: {clean(contact.name)}\n")


def _say_problems(label: str, problems: Sequence[object]) -> None:
    for problem in problems[:PROBLEMS_SHOWN]:
        sys.stderr.write(f"{label}: {clean(str(problem))}\n")
    if len(problems) > PROBLEMS_SHOWN:
        sys.stderr.write(f"{label}: ... and {len(problems) - PROBLEMS_SHOWN} more\n")


def run_export(store: Store, args: argparse.Namespace) -> int:
    from store import exporting
    from store.model import EXPORT_FORMATS
    from tui.cli import args as arg

    fmt = arg.choice(args.format, EXPORT_FORMATS, "--format")
    payload = exporting.export(store, fmt)
    if args.output:
        path = Path(args.output).expanduser()
        exporting.write_file(path, payload, store)
        count = len(store.contacts(include_dropped=True))
        sys.stderr.write(f"exported {count} contacts to {clean(str(path))} ({fmt})\n")
        return 0
    if sys.stdout.isatty():  # shown, not saved: no escape sequence reaches the terminal
        sys.stdout.write(clean_block(payload.decode("utf-8", "replace")))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
    return 0
