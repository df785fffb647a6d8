"""Keys typed right after `t` go to the dialog it opens, not to the board (they
arrive together when typed fast: one read of the terminal holds them all): `t` waits
for its dialog before the app takes the next key."""

from __future__ import annotations

from textual import events

from tests.conftest import Env
from tests.tui.waiting import until
from tui.modals.log_touch import Choices, LogTouchModal

SIZE = (80, 24)


def type_at_once(app, keys: str) -> None:
    """Queue every key before the app handles the first, as a fast typist's do."""
    for key in keys:
        app.post_message(events.Key(key, key))


async def test_a_channel_typed_with_t_goes_to_the_log_dialog(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "te")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        await pilot.pause()
        assert app.screen.query_one(Choices).channel == "email"


async def test_keys_typed_together_keep_their_order(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "jte")  # down to Marco, then log an email with him
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        await pilot.pause()
        assert app.screen.contact.name == "Marco Rossi"
        assert app.screen.query_one(Choices).channel == "email"


async def test_t_and_a_are_letters_in_the_filter_line(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"tat")
        assert app.screen.query_one("#filter").value == "tat"
        assert len(app.screen_stack) == 1  # no dialog opened
