"""The followup dashboard app: a thin conductor that opens the dashboard on a store.

    FollowupApp(store=store, clock=clock).run()

The store and the clock are given (tests pass a temporary database and a FixedClock).
Every dashboard key is also a command in the palette (ctrl+p).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen

from store.clock import Clock
from store.store import Store
from tui.dashboard import DashboardScreen


class FollowupApp(App[None]):
    CSS_PATH = ["app.tcss", "screens.tcss"]
    TITLE = "followup"

    def __init__(
        self,
        store: Store,
        clock: Clock | None = None,
        *,
        emoji: bool | None = None,
        review: bool = False,
    ):
        super().__init__()
        self.review = review
        self.store = store
        self.clock: Clock = clock or store.clock
        self.emoji = emoji
        self._collector_paused = False

    # Start-up builds objects that live as long as the app (Textual's own, the styles,
    # the first screen, the store's records). Collecting garbage among them before the
    # first frame is wasted work (50-80 ms of the first screen on the heavy database);
    # after the first frame they are frozen, so later collections skip them too.

    def on_load(self) -> None:
        self._collector_paused = gc.isenabled()
        gc.disable()

    def on_mount(self) -> None:
        self.call_after_refresh(self._resume_collector)

    def on_unmount(self) -> None:
        self._resume_collector()

    def _resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.freeze()
            gc.enable()

    def get_default_screen(self) -> Screen:
        return DashboardScreen(self.store, self.clock, emoji=self.emoji, review=self.review)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        own: set[str] = set()
        if isinstance(screen, DashboardScreen):
            for title, help_text, action in screen.commands():
                own.add(title.split(":")[0].casefold())
                yield SystemCommand(title, help_text, partial(screen.run_action, action))
        for command in super().get_system_commands(screen):
            if command.title.casefold() not in own:  # no second Quit
                yield command
