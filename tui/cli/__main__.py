"""`python -m tui.cli`: the `followup` program under the name scripts have used; the
program itself, not part of the command line's code (pyproject's contracts let this
one import through, to tui.entry)."""

from tui.entry import run

if __name__ == "__main__":  # not when a tool walks the package and imports it
    run()
