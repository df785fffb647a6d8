"""One app process of `followup web`: the dashboard on a database, drawn by Textual's web
driver into a browser tab (textual-serve's protocol on stdin and stdout), so it needs no
terminal; started only that way (`TEXTUAL_DRIVER` names the web driver).

    python -m tui.web.dashboard DB
"""

from __future__ import annotations

import os
import sys

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def main(argv: list[str]) -> int:
    from store.errors import FollowupError

    if os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER or len(argv) != 1:
        sys.stderr.write("followup: this is the web view's dashboard; run followup web\n")
        return 2
    try:
        from store.store import Store
        from tui.cli.run import env_clock

        clock = env_clock()
        store = Store(argv[0], clock=clock)
    except FollowupError as error:
        sys.stderr.write(f"followup: {' '.join(str(error).split())}\n")
        return error.exit_code
    from tui.app import FollowupApp

    app = FollowupApp(store, clock)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
