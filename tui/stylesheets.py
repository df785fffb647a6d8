"""Where the dashboard's style sheets are.

`app.tcss` (the board, and the two dialogs of the core loop's layout) is the app's own
and parsed before the first frame. `screens.tcss`, the secondary screens' and dialogs'
layout, is not needed for the first frame: each screen that uses it names it as its
`CSS_PATH` (Textual reads it when such a screen first opens), and the app reads it
right after its first frame (`FollowupApp.load_screens_css`), so no dialog waits on it.
"""

from __future__ import annotations

from pathlib import Path

APP_CSS = Path(__file__).with_name("app.tcss")
SCREENS_CSS = Path(__file__).with_name("screens.tcss")
