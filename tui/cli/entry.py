"""The `followup` program (`followup`, `python -m tui.cli`): `main`, then out at once.

At exit the interpreter frees every object one by one: for a quick command on the heavy
database that is every contact read and the journal's bytes, about 30 ms of CPU of a
`followup log` of 0.2 s. Nothing a quick command leaves needs that: every file it wrote
was written with `os.write` and fsynced or closed by a `with` block, the lock goes with
the process, and no atexit handler of ours exists. So once stdout and stderr are
flushed, the process ends with `os._exit`. The dashboard (and a command line that names
no quick command) exits the ordinary way: Textual and its threads clean up.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from tui.cli.run import _command_word, main

SLOW_EXIT = ("review",)  # the dashboard opened on the review: an ordinary exit


def run() -> NoReturn:
    argv = sys.argv[1:]
    word = _command_word(argv)
    code = main()
    if word is None or word in SLOW_EXIT:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # the interpreter's own exit says what it says
        sys.exit(code)
    os._exit(code)
