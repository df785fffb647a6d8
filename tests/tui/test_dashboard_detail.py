"""The detail line under the columns, the footer at 80 columns, and where the
highlight goes after a change (fixture: conftest.py)."""

from __future__ import annotations

from tests.conftest import Env
from tests.tui.waiting import markers_read
from widgets.heat_column import HeatColumn

SIZE = (80, 24)


def detail(app) -> str:
    return str(app.screen.query_one("#detail").render())


async def settle(pilot) -> None:
    await markers_read(pilot)


async def test_detail_line_shows_the_full_step_goal_and_last_touch(app_factory, tmp_store) -> None:
    long_step = "Send the pricing deck with the three-year discount table and the pilot plan"
    tmp_store.store.update_fields(
        tmp_store.uid("Anna Berg"), {"next_step": long_step, "goal": "Sign the pilot"}
    )
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = detail(app)
        assert f"Next: {long_step}  (2d overdue)" in text
        assert "Goal: Sign the pilot" in text
        assert "Last: Mon 23 Nov call, reached" in text
        region = app.screen.query_one("#detail").region
        assert region.bottom <= 23 and region.height == 2  # above the footer, on screen
        await pilot.press("j")
        await pilot.pause()
        assert "Confirm the renewal terms" in detail(app)
        assert "Last: none yet" in detail(app)


async def test_footer_fits_with_help_and_quit(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = {
            key.description: key.region for key in app.screen.query("FooterKey") if key.region.width
        }
        assert "Help" in keys and "Quit" in keys
        assert keys["Quit"].right <= 80 - len("^p palette")


async def test_today_only_focus_leaves_an_emptied_column(app_factory, tmp_store: Env) -> None:
    tmp_store.store.update_fields(
        tmp_store.uid("Jonas Weber"), {"next_due": tmp_store.contact("Marco Rossi").next_due}
    )
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T", "l")  # today only; the warm column holds Jonas alone
        await pilot.pause()
        assert app.screen.current_contact.name == "Jonas Weber"
        await pilot.press("s", "enter")  # snoozed out of the view
        await pilot.pause()
        warm = app.screen.query_one("#col-warm", HeatColumn)
        assert not warm.rows
        assert not warm.has_focus
        assert app.screen.current_contact is not None  # keys act on a contact again
        assert "today only (T)" in str(app.screen.query_one("#header").render())


async def test_after_a_log_the_highlight_stays_on_the_next_due(app_factory, tmp_store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "n", "enter")  # Anna: now due in a week, at the bottom
        await pilot.pause()
        assert app.screen.current_contact.name == "Marco Rossi"
