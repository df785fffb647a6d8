"""The `followup` program, its one entry point (`followup`, `python -m tui`): the command
line (tui.cli) runs every command; the front end that needs Textual, the dashboard
(`followup`, `followup review`), is handed to it from here and imported only when it
runs. tui/cli/ never imports Textual or the dashboard, so a quick `followup log` stays
fast (pyproject's import contracts and tests/cli/test_no_textual.py hold it to that).

At exit the interpreter frees every object one by one: for a quick command on the heavy
database that is every contact read and the journal's bytes, about 30 ms of CPU of a
`followup log` of 0.2 s. Nothing a quick command leaves needs that: every file it wrote
was written with `os.write` and fsynced or closed by a `with` block, the lock goes with
the process, and no atexit handler of ours exists. So once stdout and stderr are
flushed, the process ends with `os._exit`. The dashboard (and a command line that names
no quick command) exits the ordinary way: Textual and its threads clean up.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from store.collector import pause_for_start
from tui.cli.parser import command_word
from tui.cli.run import main as command_line

if TYPE_CHECKING:
    from store.clock import Clock
    from store.store import Store

SLOW_EXIT = ("review", "web")  # a front end: an ordinary exit


def dashboard(store: Store, args: argparse.Namespace) -> int:
    """The dashboard on `store` (on the morning review for `followup review`); an app that
    died of an error (Textual has shown its traceback) is a failure for the shell too."""
    from tui.app import FollowupApp  # Textual is imported here and only here

    app = FollowupApp(store, store.clock, review=args.command == "review")
    app.run()
    return app.return_code or 0


def web(store: Store, args: argparse.Namespace) -> int:
    """`followup web`: the dashboard in a browser, and the calendar feed."""
    from tui.web.server import run as serve  # aiohttp and textual-serve: here only

    return serve(store, args)


FRONT_ENDS = {None: dashboard, "review": dashboard, "web": web}
DASHBOARD = tuple(word for word, run in FRONT_ENDS.items() if run is dashboard)


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """The program; returns the exit code. `clock` replaces the system clock."""
    return command_line(argv, clock, front_ends=FRONT_ENDS)


def run() -> NoReturn:
    word = command_word(sys.argv[1:])
    if word in DASHBOARD:  # until its first frame, before Textual is imported
        pause_for_start()
    code = main()
    if word is None or word in SLOW_EXIT:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # the interpreter's own exit says what it says
        sys.exit(code)
    os._exit(code)
