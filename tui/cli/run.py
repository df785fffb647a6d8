"""The `followup` command: the dashboard, or a quick command for logging and scripts.

    followup [--db PATH]            open the dashboard
    followup log NAME --via e ...   a quick command (see `followup --help`)

Nothing here imports Textual: the dashboard is handed to `main` by the program's entry
point (tui/entry.py), the one place that imports it, and only when it runs.

Exit codes: 0 done; 2 bad usage or input; 1 the database could not be used;
130 interrupted. Errors are one line on stderr starting with "followup: ".

Environment:
    FOLLOWUP_DB    the database file when --db is not given
    FOLLOWUP_NOW   an ISO datetime taken as "now" instead of the system clock
                   (for tests and demonstrations; a date alone means its noon)

The commands and their arguments are declared in tui/cli/parser.py (one line a
command in its `COMMANDS`); this module runs what was parsed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from store.clock import Clock, FixedClock, SystemClock
from store.errors import FollowupError, InputError
from tui.cli.parser import FilesRun, Run, build_parser, check_command, completion

if TYPE_CHECKING:
    from store.store import Faults, Store


def env_clock() -> Clock:
    """The system clock, or the moment in $FOLLOWUP_NOW."""
    raw = os.environ.get("FOLLOWUP_NOW", "").strip()
    if not raw:
        return SystemClock()
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(raw if "T" in raw or " " in raw else raw + "T12:00")
    except ValueError:
        raise InputError(f"FOLLOWUP_NOW is not an ISO date and time: {raw!r}") from None
    return FixedClock(moment if moment.tzinfo else moment.astimezone())


def _open_store(args: argparse.Namespace, clock: Clock, faults: Faults | None) -> Store:
    from store.store import NO_FAULTS, Store, database_path

    return Store(database_path(args.db), clock=clock, faults=faults or NO_FAULTS)


def _on_a_terminal() -> bool:
    """Whether the keys come from a terminal and the screen goes to one."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _as_typed(arg: str) -> str:
    """An argument as the terminal sent it. Under an ASCII locale (LC_ALL=C without
    UTF-8 mode) Python keeps each non-ASCII byte as a lone surrogate, so "Zoë" would be
    stored as "Zo\ufffd\ufffd"; terminals send UTF-8, so read those bytes as UTF-8."""
    if not any("\udc80" <= ch <= "\udcff" for ch in arg):
        return arg
    try:
        return os.fsencode(arg).decode("utf-8", "surrogateescape")
    except UnicodeError:
        return arg


FrontEnds = Mapping[str | None, Run]
"""The front ends that need Textual, by command (None: no command, the dashboard), handed
in by the entry point (tui/entry.py)."""
TERMINAL = (None, "review")  # the commands that draw on this terminal


def _run(
    argv: Sequence[str] | None, clock: Clock | None, front_ends: FrontEnds, faults: Faults | None
) -> int:
    if argv is None:
        argv = [_as_typed(arg) for arg in sys.argv[1:]]
    check_command(argv)  # a mistyped one: the nearest, in one line
    try:
        args = build_parser(argv).parse_args(argv)
    except SystemExit as done:  # --help, --version
        return done.code if isinstance(done.code, int) else 0
    if args.command == "completion":
        return completion(args)
    clock = clock or env_clock()
    run_files: FilesRun | None = getattr(args, "run_files", None)
    if run_files is not None:  # check, repair: the files without a Store
        from store.store import database_path
        from tui.cli.integrity import Target

        return run_files(Target(database_path(args.db), clock), args)
    run: Run | None = getattr(args, "run", None)
    if run is None:  # a front end: the dashboard (no command, `review`), the web server
        if args.command in TERMINAL and not _on_a_terminal():
            raise InputError("the dashboard needs a terminal; try followup today")
        run = front_ends.get(args.command)
        if run is None:
            raise InputError("the command line alone has no dashboard; run followup")
    return run(_open_store(args, clock, faults), args)


def _safe_stdout() -> None:
    """Characters the terminal cannot show become "?" instead of an error."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _say_error(message: str) -> None:
    from store.rules.text import clean

    line = " ".join(clean(str(message)).split()) or "unexpected error"
    try:
        sys.stderr.write(f"followup: {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def main(
    argv: Sequence[str] | None = None,
    clock: Clock | None = None,
    *,
    front_ends: FrontEnds | None = None,
    faults: Faults | None = None,
) -> int:
    """Run the command line; returns the exit code. `clock` replaces the system clock;
    `front_ends` are the commands that need Textual (tui/entry.py gives them); `faults`
    is the store's fault hook, where a test run in-process makes the disk fail or
    another process write at a named step (store.engine.faults)."""
    _safe_stdout()
    try:
        try:
            code = _run(argv, clock, front_ends or {}, faults)
            sys.stdout.flush()
            return code
        except FollowupError as error:
            _say_error(str(error))
            return error.exit_code
        except KeyboardInterrupt:
            return 130
    except BrokenPipeError:
        # The reader went away (`followup list | head -1`): stop quietly. Point stdout
        # at /dev/null so that the interpreter's final flush does not fail again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 141
