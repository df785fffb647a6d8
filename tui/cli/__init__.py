"""The command line: `main` parses (args), runs a command (commands, transfer) and
prints it (views, output). Nothing here imports Textual, rich, widgets/ or the
dashboard: the dashboard is handed to `main` by the program's entry point (tui/entry.py)."""

from tui.cli.run import main

__all__ = ["main"]
