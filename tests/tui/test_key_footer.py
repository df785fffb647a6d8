"""KeyFooter: the dashboard's footer is rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widget import Widget

from widgets.key_footer import KeyFooter

SIZE = (80, 24)


def footer_keys(app) -> list[Widget]:
    """The footer's key widgets (Textual's FooterKey, found by its CSS type name)."""
    keys = list(app.screen.query_one(KeyFooter).query("FooterKey"))
    assert all(hasattr(key, "action") for key in keys)
    return keys


async def test_moving_between_columns_keeps_the_footer(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = footer_keys(app)
        assert before
        await pilot.press("l", "l", "h")
        await pilot.pause()
        assert footer_keys(app) == before  # the same widgets: not rebuilt


async def test_the_footer_follows_a_key_that_becomes_available(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        undo = next(key for key in footer_keys(app) if key.action == "undo")
        assert undo.has_class("-disabled")
        await pilot.press("minus")  # a change: undo is now available
        await pilot.pause()
        undo = next(key for key in footer_keys(app) if key.action == "undo")
        assert not undo.has_class("-disabled")
