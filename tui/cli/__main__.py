"""`python -m tui.cli`: the `followup` command."""

import sys

from tui.cli.run import main

sys.exit(main())
