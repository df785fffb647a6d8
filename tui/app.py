"""The followup dashboard app: a thin conductor that opens the dashboard on a store.

    FollowupApp(store=store, clock=clock).run()

The store and the clock are given (tests pass a temporary database and a FixedClock).
Every dashboard key is also a command in the palette (ctrl+p).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from store.clock import Clock
from store.store import Store
from tui import textual_fix
from tui.dashboard.screen import DashboardScreen

textual_fix.apply()


NARROW_WIDTH = 60  # below it, one heat column at a time and the keys on more lines


class FollowupApp(App[None]):
    CSS_PATH = ["app.tcss", "screens.tcss"]
    TITLE = "followup"
    # Every screen has the class `-narrow` below NARROW_WIDTH columns (a phone under
    # `followup web` gets about 44), `-wide` from it: the layout follows in app.tcss.
    # The focus, and so the highlighted contact, stays where it was either way.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]

    def __init__(
        self,
        store: Store,
        clock: Clock | None = None,
        *,
        emoji: bool | None = None,
        review: bool = False,
        sixteen: bool | None = None,
    ):
        super().__init__()
        self.sixteen = sixteen  # None: from the terminal (never in a headless test run)
        self.review = review
        self.store = store
        self.clock: Clock = clock or store.clock
        self.emoji = emoji
        self._collector_paused = False

    # Start-up builds objects that live as long as the app (Textual's own, the styles,
    # the first screen, the store's records). Collecting garbage among them before the
    # first frame is wasted work (50-80 ms of the first screen on the heavy database);
    # after the first frame they are frozen, so later collections skip them too.

    def on_mount(self) -> None:
        self.call_after_refresh(self._resume_collector)
        self._choose_colours()
        self._plain_output()

    def on_load(self) -> None:
        self._collector_paused = gc.isenabled()
        gc.disable()

    def _choose_colours(self) -> None:
        """16 colours (TERM=xterm, screen or linux without COLORTERM): a theme whose
        colours are the terminal's own, so hot / warm / cool and overdue / today stay
        distinct and the borders show. NO_COLOR: the highlight is reverse video."""
        from tui.colours import SIXTEEN, is_sixteen

        sixteen = self.sixteen
        if sixteen is None:
            sixteen = not self.is_headless and is_sixteen(self.console.color_system)
        if sixteen:
            self.register_theme(SIXTEEN)
            self.theme = SIXTEEN.name
        if os.environ.get("NO_COLOR", ""):
            self.add_class("-no-color")

    def _plain_output(self) -> None:
        """On a terminal that can't show more than ASCII, every frame is made plain."""
        from widgets.streak_header import can_show_emoji

        driver = self._driver
        if driver is None or can_show_emoji() or self.emoji:
            return
        from tui.plain_output import plain_writer

        driver.write = plain_writer(driver.write)  # type: ignore[method-assign, assignment]

    def on_unmount(self) -> None:
        self._resume_collector()

    def _resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.freeze()
            gc.enable()

    def get_default_screen(self) -> Screen[Any]:
        return DashboardScreen(self.store, self.clock, emoji=self.emoji, review=self.review)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        own: set[str] = set()
        if isinstance(screen, DashboardScreen):
            for title, help_text, action in screen.commands():
                own.add(title.split(":")[0].casefold())
                yield SystemCommand(title, help_text, partial(screen.run_action, action))
        for command in super().get_system_commands(screen):
            if command.title.casefold() not in own:  # no second Quit
                yield command
