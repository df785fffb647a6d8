"""Keys typed right after `t` or `a` go to the dialog they open, not to the board
(they arrive together when typed fast: one read of the terminal holds them all)."""

from __future__ import annotations

from textual import events

from tests.conftest import Env

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
        await pilot.pause()
        await pilot.pause()
        from tui.modals.log_touch import Choices

        assert app.screen.query_one(Choices).channel == "email"


async def test_a_name_typed_with_a_goes_to_the_new_contact_form(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "aZoe")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#field-name").value == "Zoe"


async def test_t_and_a_are_letters_in_the_filter_line(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"tat")
        assert app.screen.query_one("#filter").value == "tat"
        assert len(app.screen_stack) == 1  # no dialog opened
