"""The dialogs' side of store/actions.py, with the real keys (fixture: conftest.py;
today is Tuesday 24 Nov 2026, Saturday and Sunday rest days, cool cadence 75 days)."""

from __future__ import annotations

from datetime import date

from tests.conftest import Env

SIZE = (80, 24)


async def wait_for(pilot, condition, tries: int = 50) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    assert condition()


async def test_drop_dialog_cool_down_reschedules_on_the_cool_cadence(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    uid = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.current_contact.name == "Anna Berg"
        await pilot.press("d", "c")
        await wait_for(pilot, lambda: tmp_store.other_store().contact(uid).heat == "cool")
    anna = tmp_store.other_store().contact(uid)
    # 75 days from Tue 24 Nov is Sat 6 Feb 2027: rolled off the rest days to Monday
    assert (anna.heat, anna.next_due, anna.status) == ("cool", date(2027, 2, 8), "active")


async def test_an_inbound_email_is_reached(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    uid = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "e", "i")
        await pilot.pause()
        await pilot.press("tab", "tab", *"Send the contract", "enter")
        await wait_for(pilot, lambda: len(tmp_store.other_store().touches(uid)) == 3)
    touch = tmp_store.other_store().touches(uid)[0]
    assert (touch.channel, touch.direction, touch.outcome) == ("email", "in", "reached")


async def test_no_reply_on_an_inbound_touch_makes_it_outbound(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    uid = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "i", "n", "enter")
        await wait_for(pilot, lambda: len(tmp_store.other_store().touches(uid)) == 3)
    touch = tmp_store.other_store().touches(uid)[0]
    assert (touch.direction, touch.outcome) == ("out", "no-reply")


async def test_the_form_shows_an_email_that_is_not_one_inline() -> None:
    from tests.tui.test_screens import NOT_DISMISSED, SIZE, Host, screen_text
    from tests.tui.test_screens_form import add_form, type_into

    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Gus")
        await type_into(pilot, "email", "gus at example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert app.result is NOT_DISMISSED
        assert app.focused is app.screen.query_one("#field-email")
    assert "is not an email address" in text
