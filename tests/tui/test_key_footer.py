"""KeyFooter: the dashboard's footer is rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widget import Widget

from tests.tui.waiting import until
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
        before = footer_keys(app)
        undo = next(key for key in before if key.action == "undo")
        assert undo.has_class("-disabled") and undo._disabled
        await pilot.press("minus")  # a change: undo is now available
        await until(pilot, lambda: not undo.has_class("-disabled"), "undo available")
        assert not undo._disabled  # a click on it presses u
        assert footer_keys(app) == before  # shown on the same widgets: not rebuilt
        await pilot.press("u")  # nothing left to undo
        await until(pilot, lambda: undo.has_class("-disabled"), "undo unavailable again")
        assert undo._disabled
        assert footer_keys(app) == before


# -- a narrow terminal: the keys that matter most stay in sight ----------------------------


def footer_line(app) -> str:
    from tests.tui.test_screens import screen_text

    return screen_text(app).splitlines()[-1]


async def test_at_60_columns_the_footer_keeps_help_quit_and_the_palette(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        for shown in ("? Help", "q Quit", "t Log", "a Add", "^p palette"):
            assert shown in line, (shown, line)
        assert line.rstrip().endswith("^p palette"), line  # nothing after it


async def test_at_60_columns_the_review_footer_keeps_leave(app_factory) -> None:
    from tui.screens.review import ReviewScreen

    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.pause()
        line = footer_line(app)
        for shown in ("esc Leave", "spc Skip", "t Log", "^p palette"):
            assert shown in line, (shown, line)
        assert line.rstrip().endswith("^p palette"), line


async def test_no_stray_letter_after_the_palette_at_any_width(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 20)) as pilot:
        for width in (80, 70, 64, 61, 60):  # below 60: the narrow board (test_narrow.py)
            await pilot.resize_terminal(width, 20)
            await until(pilot, lambda w=width: app.size.width == w, f"{width} columns")
            await pilot.pause()
            line = footer_line(app)
            assert line.rstrip().endswith("^p palette"), (width, line)
            assert "? Help" in line and "q Quit" in line, (width, line)


async def test_a_wider_terminal_brings_the_keys_back(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "u Undo" not in footer_line(app)
        await pilot.resize_terminal(80, 20)
        await until(pilot, lambda: "u Undo" in footer_line(app), "Undo back at 80 columns")
        assert "/ Filter" in footer_line(app)
