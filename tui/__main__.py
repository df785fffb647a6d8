"""`python -m tui`: the `followup` program."""

from tui.entry import run

run()
