"""`python -m tui`: the `followup` program."""

from tui.entry import run

if __name__ == "__main__":  # not when a tool walks the package and imports it
    run()
