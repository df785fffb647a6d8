"""`python -m tui.cli`: the `followup` command."""

from tui.cli.entry import run

run()
