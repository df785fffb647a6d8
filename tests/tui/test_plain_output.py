"""Plain output on a terminal that can't show more than ASCII: the app's driver (chosen
through `App.get_driver_class`) makes every frame plain; elsewhere it is Textual's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver

from tui.plain_output import plain_driver


async def test_the_plain_driver_writes_plain_frames() -> None:
    written: list[str] = []

    class Recording(HeadlessDriver):
        def write(self, data: str) -> None:
            written.append(data)

    driver = plain_driver(Recording)(App())
    driver.write("\x1b[1m╭─ Zoë …─╮\x1b[0m")
    assert written == ["\x1b[1m+- Zoë ~-+\x1b[0m"]


@pytest.mark.parametrize(
    ("ascii", "emoji", "plain"), [("1", None, True), ("", None, False), ("1", True, False)]
)
def test_the_app_picks_the_plain_driver_on_an_ascii_terminal(
    app_factory: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    ascii: str,
    emoji: bool | None,
    plain: bool,
) -> None:
    monkeypatch.setenv("FOLLOWUP_ASCII", ascii)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("TERM", "xterm-256color")
    app = app_factory(emoji=emoji)
    assert (app.driver_class.__name__ == "PlainDriver") is plain
    assert issubclass(app.driver_class, App().get_driver_class())
