"""`followup --version`: the installed version, read only when asked for."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


class VersionAction(argparse.Action):
    """--version: the installed version, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "print the version and exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("followup")
        except PackageNotFoundError:
            number = "unknown"
        sys.stdout.write(f"followup {number}\n")
        parser.exit()
