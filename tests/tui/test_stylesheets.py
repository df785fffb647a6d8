"""The secondary screens' style sheet is not parsed for the first frame: the app reads
it right after (`FollowupApp.load_screens_css`), and a screen that opens before that
reads it itself (its `CSS_PATH`), styled as it always is."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
from pathlib import Path
from typing import Any

from textual.screen import Screen

from store.clock import FixedClock
from store.store import Store
from tests.conftest import NOW
from tests.factories import make_contact
from tests.tui.waiting import until
from tui.app import FollowupApp
from tui.stylesheets import SCREENS_CSS

SIZE = (80, 24)
SHEET = os.path.abspath(SCREENS_CSS)


class Watched(FollowupApp):
    """Notes whether the sheet was parsed when the first frame was out; `read` False:
    never reads it after the first frame (a screen opened at once)."""

    def __init__(self, store: Store, *, read: bool = True) -> None:
        super().__init__(store=store, clock=FixedClock(NOW), emoji=False)
        self.read = read
        self.had_sheet: bool | None = None

    def load_screens_css(self) -> None:
        self.had_sheet = self.stylesheet.has_source(SHEET)
        if self.read:
            super().load_screens_css()


def a_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "followup.json", clock=FixedClock(NOW))
    store.add_many([make_contact(name="Anna Berg")])
    return store


async def test_the_first_frame_is_drawn_without_the_secondary_screens_sheet(
    tmp_path: Path,
) -> None:
    app = Watched(a_store(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.had_sheet is not None, "the first frame")
        assert app.had_sheet is False
        assert app.stylesheet.has_source(SHEET)
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", "help")
        title = app.screen.query_one("#help-title")
        assert title.styles.padding.left == 1  # screens.tcss: #help-title


async def test_a_screen_opened_before_the_sheet_is_read_is_styled_by_it(tmp_path: Path) -> None:
    app = Watched(a_store(tmp_path), read=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.had_sheet is not None, "the first frame")
        assert not app.stylesheet.has_source(SHEET)
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", "help")
        title = app.screen.query_one("#help-title")
        assert title.styles.padding.left == 1
        assert app.stylesheet.has_source(SHEET)


def test_every_secondary_screen_names_the_sheet() -> None:
    found: list[Any] = []
    for package in ("tui.screens", "tui.modals"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            module = importlib.import_module(info.name)
            for _, klass in inspect.getmembers(module, inspect.isclass):
                if issubclass(klass, Screen) and klass.__module__ == info.name:
                    found.append(klass)
    assert len(found) >= 10
    missing = [k.__name__ for k in found if k.CSS_PATH != SCREENS_CSS]
    assert missing == []
