"""Help (`?`) lists every key the dashboard has, each once: wide and narrow (where tab
switches heats), read from the help screen as drawn."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from tests.tui.waiting import until
from tui.dashboard.screen import DashboardScreen
from tui.screens.help import HelpScreen


def help_keys(app: Any) -> list[str]:
    """Each key the help screen shows ("j/↓" is two, "/" one)."""
    shown = [str(cell.render()) for cell in app.screen.query(".help-key")]
    return [key for text in shown for key in (text.split("/") if text != "/" else [text])]


def displayed(app: Any, binding: Any, key: str) -> str:
    """How the footer and help show `key` of `binding` ("/" for slash, "↓" for down)."""
    if "," in binding.key:
        return app.get_key_display(replace(binding, key=key, key_display=None))
    return app.get_key_display(binding)


@pytest.mark.parametrize("size", [(80, 24), (44, 30)])
async def test_help_lists_every_key_of_the_screen_once(
    app_factory: Any, size: tuple[int, int]
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await until(pilot, lambda: dashboard.current_contact is not None, "the board drawn")
        bound = {
            displayed(app, active.binding, key): active.binding.action
            for key, active in dashboard.active_bindings.items()
        }
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        shown = help_keys(app)
        twice = [key for key, count in Counter(shown).items() if count > 1]
        assert not twice, twice
        missing = {key: action for key, action in bound.items() if key not in shown}
        assert not missing, missing
        assert "tab" in shown and "shift+tab" in shown
