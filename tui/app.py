"""The followup dashboard app: a thin conductor that opens the dashboard on a store.

    FollowupApp(store=store, clock=clock).run()

The store and the clock are given (tests pass a temporary database and a FixedClock).
Every dashboard key is also a command in the palette (ctrl+p).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from typing import Any
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App, SystemCommand
from textual.driver import Driver
from textual.screen import Screen
from textual.widget import Widget

from store.clock import Clock
from store.collector import pause_for_start, resume_after_start
from store.store import Store
from tui.dashboard.screen import DashboardScreen
from tui.escape_keys import ALT, ESCAPE_KEPT, split_alt_key
from tui.stylesheets import APP_CSS, SCREENS_CSS
from widgets.streak_header import can_show_emoji
from widgets.textual_compat import (
    draw_only_touched_widgets,
    fix_compositor_map,
    keep_alt_on_punctuation,
)

fix_compositor_map()
draw_only_touched_widgets()
keep_alt_on_punctuation()


# Where a key from the terminal went: the screen on top and its focus when it arrived.
Sent = tuple[Screen[Any], Widget | None]

NARROW_WIDTH = 60  # below it, one heat column at a time and the keys on more lines


class FollowupApp(App[None]):
    CSS_PATH = APP_CSS  # and the secondary screens' SCREENS_CSS after the first frame
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
        self.emoji = emoji  # before App's own: `get_driver_class` reads it
        super().__init__()
        self.sixteen = sixteen  # None: from the terminal (never in a headless test run)
        self.review = review
        self.store = store
        self.clock: Clock = clock or store.clock
        # Each key from the terminal: the screen on top and the focus when it arrived
        # (`on_key`).
        self._key_sent: WeakKeyDictionary[events.Key, Sent] = WeakKeyDictionary()
        self._held_keys: list[events.Key] | None = None  # typed after a split alt key
        self._split_escape: events.Key | None = None  # its escape, on its way
        self._behind: list[events.Key] | None = None  # behind keys a dialog's opening caught

    # No collection before the first frame (store.collector.pause_for_start): `followup`
    # paused it before importing Textual; an app started otherwise pauses it here.

    def on_mount(self) -> None:
        self.call_after_refresh(self.load_screens_css)
        self.call_after_refresh(resume_after_start)
        self._choose_colours()

    def on_load(self) -> None:
        pause_for_start()

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
            self.add_class("-sixteen")
        if os.environ.get("NO_COLOR", ""):
            self.add_class("-no-color")

    def get_driver_class(self) -> type[Driver]:
        """The terminal's driver; on one that can't show more than ASCII, one that makes
        every frame plain (tui/plain_output.py)."""
        driver = super().get_driver_class()
        if self.emoji or can_show_emoji():
            return driver
        from tui.plain_output import plain_driver

        return plain_driver(driver)

    async def on_event(self, event: events.Event) -> None:
        """An alt+character nothing binds is escape then the character, typed quickly
        (tui/escape_keys.py). The escape goes the way of every key, behind the keys
        before it; the keys after it wait until the app has handled it and what its
        action started (the focus leaving a closed field)."""
        if isinstance(event, events.Key):
            if event.is_forwarded:
                if event is self._split_escape:  # back from the focused widget
                    self._split_escape = None
                    await super().on_event(event)  # its binding's action
                    self.call_later(self._release_keys, self._held_keys)
                    return
            elif self._held_keys is not None:
                self._held_keys.append(event)
                return
            elif self._behind is not None or self._caught():
                self._hold_behind(event)
                return
            elif event.key.startswith(ALT):
                key = split_alt_key(event, self.screen.active_bindings)
                if key is not None:
                    held = self._held_keys = [key]
                    escape = self._split_escape = events.Key("escape", "\x1b")
                    # a widget that keeps the escape to itself never sends it back
                    self.set_timer(ESCAPE_KEPT, partial(self._release_keys, held))
                    self._key_sent[escape] = (self.screen, self.focused)
                    await super().on_event(escape)
                    return
            if not event.is_forwarded:  # where it went: see "keys typed while a dialog opens"
                self._key_sent[event] = (self.screen, self.focused)
        await super().on_event(event)

    def _release_keys(self, held: list[events.Key] | None) -> None:
        if held is None or held is not self._held_keys:
            return  # released already
        self._held_keys = self._split_escape = None
        for key in held:
            self.post_message(key)

    def on_unmount(self) -> None:
        resume_after_start()

    def load_screens_css(self) -> None:
        """The secondary screens' style sheet (tui/stylesheets.py), read once the first
        frame is out: the first screen does not parse it, and no dialog waits on it. A
        screen opened before reads it itself (its `CSS_PATH`), as Textual does."""
        path = os.path.abspath(SCREENS_CSS)  # the name Stylesheet.read gives it
        if self.stylesheet.has_source(path):
            return
        self.stylesheet.add_source(SCREENS_CSS.read_text(encoding="utf-8"), read_from=(path, ""))
        self.stylesheet.update(self)

    # -- keys typed while a dialog opens ---------------------------------------------
    # Textual hands a key to the focused widget first; bindings run when it comes back up
    # to the app. Keys typed together (`a` then "Dave": one read of the terminal) have all
    # gone to the board's column before `a` comes back and opens the form: they come
    # back after it, no binding of the form takes them, and the Name field never sees
    # them. Such a key, one that went to a screen a dialog has opened over since, is
    # typed again, once, as if it had arrived now: to the dialog's focused field. So is
    # a key that went to a widget the focus has left since for a text field on the same
    # screen (`/` then "zoe": the filter line).
    # Keys keep the order they were typed in: a browser sends `t`, `e`, `enter` one by
    # one, and `enter` may arrive after the dialog is up while `e`, sent to the board
    # before it, is still on its way back. A key that arrives while an earlier one is
    # on its way back from a covered screen waits behind it; the returning key is typed
    # again at once, then the keys behind it. A widget that keeps such a key to itself
    # never sends it back: after ESCAPE_KEPT the keys behind go on without it.

    def _caught(self) -> bool:
        """A key went to a screen a dialog has opened over since, and is not back."""
        top = self.screen
        return any(s is not top and s in self.screen_stack for s, _ in self._key_sent.values())

    def _hold_behind(self, event: events.Key) -> None:
        if self._behind is None:
            held = self._behind = []
            self.set_timer(ESCAPE_KEPT, partial(self._release_behind, held, given_up=True))
        self._behind.append(event)

    async def _release_behind(self, held: list[events.Key], given_up: bool = False) -> None:
        if held is not self._behind:
            return  # released already
        if given_up:  # the caught keys are not coming back: forget them
            for key, (screen, _) in list(self._key_sent.items()):
                if screen is not self.screen and screen in self.screen_stack:
                    del self._key_sent[key]
        elif self._caught():
            return  # another caught key is still on its way
        self._behind = None
        for key in held:
            await self.on_event(key)

    async def on_key(self, event: events.Key) -> None:
        sent = self._key_sent.pop(event, None)
        if sent is None:
            return
        sent_to, focused = sent
        if sent_to is self.screen:
            if focused is self.focused or not _text_field(self.focused):
                return  # where the focus still is, or not to a field: as it is
        elif sent_to not in self.screen_stack:
            return  # to a dialog closed since: as it is
        event.prevent_default()  # not the bindings of the dialog from here
        event.stop()
        again = events.Key(event.key, event.character)  # ahead of the keys behind it
        self._key_sent[again] = (self.screen, self.focused)
        await super().on_event(again)
        if self._behind is not None:
            await self._release_behind(self._behind)

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


def _text_field(widget: Widget | None) -> bool:
    from textual.widgets import Input  # not at start-up: the dashboard mounts one later

    return isinstance(widget, Input)
