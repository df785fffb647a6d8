"""The command line: `main` parses (args), runs a command (commands, transfer) and
prints it (views, output). Nothing here imports Textual, rich, widgets/ or the
dashboard; only `main`'s dashboard branch starts the app."""

from tui.cli.run import main

__all__ = ["main"]
