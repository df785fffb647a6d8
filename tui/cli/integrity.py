"""`followup check` and `followup repair`: the two commands that open the database files
without a Store (a Store refuses the very damage they are for)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NamedTuple

from store.clock import Clock
from store.errors import InputError
from store.rules.text import clean
from tui.cli.output import out


class Target(NamedTuple):
    """The database file a command names, and the clock it runs on."""

    path: Path
    clock: Clock


def check(target: Target, args: argparse.Namespace) -> int:
    """Verify both files, the pair, the index, the day counts and the backups."""
    from store.store import check_database

    findings = check_database(target.path, target.clock.now().date())
    width = max(len(f.part) for f in findings)
    for finding in findings:
        state = "ok" if finding.ok else "PROBLEM"
        out(f"{finding.part.ljust(width)}  {state}: {clean(finding.text)}")
    problems = sum(not f.ok for f in findings)
    if problems:
        out(f"{problems} problem(s); followup repair sets them right after a backup")
        return 1
    out("clean")
    return 0


def _is_terminal() -> bool:
    try:
        return bool(sys.stdin.isatty())
    except (AttributeError, ValueError):
        return False


def repair(target: Target, args: argparse.Namespace) -> int:
    """After a backup: damaged lines set aside, an older journal accepted, the derived
    files rebuilt; then the check again."""
    from store.store import repair_database

    if not args.yes:
        if not _is_terminal():
            raise InputError("repair needs --yes when not run on a terminal")
        sys.stdout.write(f"Repair {clean(str(target.path))}? A backup is taken first. [y/n] ")
        sys.stdout.flush()
        if sys.stdin.readline().strip().casefold() not in ("y", "yes"):
            out("nothing was changed")
            return 0
    for line in repair_database(target.path, target.clock.now()):
        out(clean(line))
    return check(target, args)
