"""Settings as keys and values (store), the `,` screen (Pilot), help shows them."""

from __future__ import annotations

import pytest

from store.errors import InputError
from store.model import Settings
from store.rules.settings_keys import apply, show
from tests.conftest import Env
from tui.screens.settings import SettingsScreen

SIZE = (80, 24)


def test_show_every_key() -> None:
    assert show(Settings()) == {
        "cadence.hot": "7",
        "cadence.warm": "21",
        "cadence.cool": "75",
        "rest-days": "sat,sun",
        "high-value": "10000",
        "date-order": "day-first",
        "daily-target": "15",
    }


@pytest.mark.parametrize(
    ("key", "text", "field", "expected"),
    [
        ("cadence.hot", "5", "cadence", {"hot": 5, "warm": 21, "cool": 75}),
        ("rest-days", "Fri, sat", "rest_days", (4, 5)),
        ("rest-days", "none", "rest_days", ()),
        ("high-value", "25k", "high_value", 25000.0),
        ("date-order", "month-first", "day_first", False),
        ("daily-target", "8", "daily_target", 8),
    ],
)
def test_apply(key: str, text: str, field: str, expected: object) -> None:
    assert getattr(apply(Settings(), key, text), field) == expected


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("cadence.hot", "0", "cadence.hot is a whole number from 1 to 3650"),
        ("cadence.lukewarm", "5", "no setting 'cadence.lukewarm'"),
        ("rest-days", "someday", "rest-days are day names"),
        ("rest-days", "mon,tue,wed,thu,fri,sat,sun", "can't be every day"),
        ("high-value", "lots", "high-value is a number"),
        ("date-order", "year-first", "date-order is day-first or month-first"),
        ("daily-target", "-3", "daily-target is a whole number"),
        ("colour", "red", "no setting 'colour'"),
    ],
)
def test_apply_refuses_with_one_line(key: str, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        apply(Settings(), key, text)


def test_daily_target_round_trips_through_the_document() -> None:
    settings = Settings(daily_target=9, date_order="month-first")
    assert Settings.from_doc(settings.to_doc()) == settings
    assert Settings.from_doc({"daily_target": "many"}).daily_target == 15


async def test_comma_changes_settings_through_the_store(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+u", "5")  # cadence.hot
        await pilot.press("tab", "tab", "tab", "ctrl+u", *"none")  # rest-days
        await pilot.press("tab", "tab", "ctrl+u", *"month")  # date-order: not yet valid
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)  # refused inline, what was typed stays
        assert "date-order is day-first or month-first" in str(
            app.screen.query_one("#setting-date-order").parent.query_one(".settings-about").render()
        )
        await pilot.press(*"-first", "tab", "ctrl+u", "3", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "every 5 days" in help_text
        assert "month-first" in help_text
    saved = tmp_store.other_store().settings
    assert saved.cadence["hot"] == 5
    assert saved.rest_days == ()
    assert saved.day_first is False
    assert saved.daily_target == 3


async def test_escape_changes_nothing(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("comma", "ctrl+u", "9", "escape")
        await pilot.pause()
    assert tmp_store.other_store().settings == Settings()
