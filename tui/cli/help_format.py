"""argparse's help, as wide as the terminal, without importing shutil.

argparse's HelpFormatter asks `shutil.get_terminal_size()` for its width, and a
formatter is made for every argument declared (to check its metavar), so every command
imported shutil (and fnmatch, bz2, lzma with it): a few ms of each `followup log`. The
width is found here the way shutil finds it: $COLUMNS, else the terminal of stdout,
else 80.
"""

from __future__ import annotations

import argparse
import os
import sys


def columns() -> int:
    """The terminal's width as `shutil.get_terminal_size().columns` gives it."""
    try:
        found = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        found = 0
    if found <= 0:
        try:
            found = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            found = 0
    return found or 80


class Formatter(argparse.HelpFormatter):
    """HelpFormatter with the width found by `columns` (less 2, as argparse does)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        width = columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)
