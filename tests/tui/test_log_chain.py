"""The log chain and the snooze, driven with the real keys (fixture: conftest.py;
today is Tuesday 24 Nov 2026, Saturday and Sunday are rest days)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.conftest import CET, TODAY, Env

SIZE = (80, 24)


def hints(app) -> str:
    return str(app.screen.query_one("#hints").render())


async def test_reached_shows_the_old_step_as_done_and_asks_once(app_factory, tmp_store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c")
        await pilot.pause()
        assert "was: Send the pricing deck" in str(app.screen.query_one("#was").render())
        assert app.screen.query_one("#next-step").value == ""
        await pilot.press("enter")
        await pilot.pause()
        assert "no next step?" in hints(app)
        assert len(tmp_store.other_store().touches(tmp_store.uid("Anna Berg"))) == 2  # not yet
        await pilot.press(*"Book the demo", "enter")  # the focus is in Next step
        await pilot.pause()
    anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert anna.next_step == "Book the demo"
    assert anna.next_due == TODAY + timedelta(days=7)


async def test_no_reply_keeps_the_step_a_week_out(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "n")
        await pilot.pause()
        assert app.screen.query_one("#next-step").value == "Send the pricing deck"
        assert not app.screen.query_one("#was").display
        await pilot.press("enter")
        await pilot.pause()
    anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert anna.next_step == "Send the pricing deck"
    assert anna.next_due == TODAY + timedelta(days=7)


async def test_no_reply_keeps_a_later_planned_date(app_factory, tmp_store: Env) -> None:
    planned = TODAY + timedelta(days=30)
    tmp_store.store.update_fields(tmp_store.uid("Anna Berg"), {"next_due": planned})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")  # Marco (due today), then Anna
        assert app.screen.current_contact.name == "Anna Berg"
        await pilot.press("t", "c", "n", "enter")
        await pilot.pause()
    assert tmp_store.other_store().contact(tmp_store.uid("Anna Berg")).next_due == planned


async def test_when_back_dates_the_touch(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "n")
        await pilot.press("tab", "tab", "tab", "tab")  # note, step, date, when
        await pilot.press("ctrl+u", *"yesterday 14:30")
        await pilot.pause()
        assert "Mon 23 Nov 14:30" in str(app.screen.query_one("#when-preview").render())
        await pilot.press("enter")
        await pilot.pause()
    touch = tmp_store.other_store().touches(tmp_store.uid("Anna Berg"))[0]
    assert touch.at == datetime(2026, 11, 23, 14, 30, tzinfo=CET)
    assert touch.outcome == "no-reply"


async def test_a_bad_when_is_refused_inline(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "n", "tab", "tab", "tab", "tab", "ctrl+u", *"blursday")
        await pilot.press("enter")
        await pilot.pause()
        assert "When: can't read" in hints(app)
        assert app.screen.query_one("#when").has_focus
    assert len(tmp_store.other_store().touches(tmp_store.uid("Anna Berg"))) == 2


async def test_a_rest_day_suggestion_rolls_to_monday_and_says_so(app_factory, tmp_store) -> None:
    tmp_store.store.update_fields(tmp_store.uid("Anna Berg"), {"cadence_days": 4})  # Sat 28 Nov
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c")
        await pilot.pause()
        assert app.screen.query_one("#next-due").preview == "Mon 30 Nov 2026 (in 6 days)"
        assert "moved off Sat 28 Nov (a rest day)" in hints(app)


async def test_snooze_starts_after_the_current_date_and_warns_before_sooner(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l", "s")  # Jonas Weber, due tomorrow (Wed 25)
        await pilot.pause()
        assert app.screen.query_one("#next-due").preview == "Thu 26 Nov 2026 (in 2 days)"
        await pilot.press("ctrl+u", *"today", "enter")
        await pilot.pause()
        assert "due sooner" in hints(app)
        assert tmp_store.other_store().contact(tmp_store.uid("Jonas Weber")).next_due == (
            TODAY + timedelta(days=1)
        )
        await pilot.press("enter")  # asked once: the second enter saves
        await pilot.pause()
    assert tmp_store.other_store().contact(tmp_store.uid("Jonas Weber")).next_due == TODAY
