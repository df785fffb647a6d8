"""ctrl+p finds every dashboard command by the footer's word and by its description."""

from __future__ import annotations

import pytest

from tests.tui.waiting import palette_found, until
from tui.dashboard.screen import DashboardScreen

SIZE = (80, 24)


async def test_every_command_title_holds_its_word_and_description(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert sum(1 for t in titles if t.casefold().startswith("quit")) == 1
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        for binding in screen.key_bindings:
            if screen.check_action(binding.action.split("(")[0], ()) is not True:
                continue
            found = [t for t in titles if binding.description.casefold() in t.casefold()]
            assert found, binding.description
            if binding.tooltip:
                assert any(binding.tooltip.casefold()[1:] in t.casefold() for t in found)


@pytest.mark.parametrize(
    ("typed", "screen_name"),
    [
        ("snooze", "NextStepModal"),
        ("drop", "DropModal"),
        ("move the next date", "NextStepModal"),
        ("settings", "SettingsScreen"),
        ("review", "ReviewScreen"),
    ],
)
async def test_typing_a_word_finds_and_runs_it(app_factory, typed: str, screen_name: str) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*typed)
        await until(pilot, lambda: palette_found(app, typed), f"a command for {typed!r}")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == screen_name, screen_name)
