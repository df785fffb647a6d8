"""`u` names the change it will undo and asks first when changes were made elsewhere
since (another terminal), to any contact: the person who just worked there means that
change, which the dashboard can't take back. The dashboard's own later changes are
undone first, unasked."""

from __future__ import annotations

from datetime import timedelta

from store import actions
from tests.conftest import TODAY, Env
from tests.tui.waiting import idle, until
from tui.modals.confirm import ConfirmModal

SIZE = (80, 24)


def said(app) -> str:
    return " ".join(str(s.render()) for s in app.screen.query("Static"))


async def test_u_asks_first_after_a_change_to_another_contact_elsewhere(
    app_factory, tmp_store: Env
) -> None:
    anna, jonas = tmp_store.uid("Anna Berg"), tmp_store.uid("Jonas Weber")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("t", "c", "n", "enter")  # Anna: a call, no reply
        await idle(pilot)
        assert len(tmp_store.other_store().touches(anna)) == 3
        other = tmp_store.other_store()  # another terminal: Jonas's next step
        actions.set_next(other, other.contact(jonas), "Send the vendor form", TODAY)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        text = said(app)
        assert "Undo: logged call (no-reply) with Anna Berg?" in text
        assert "Changed elsewhere since: Jonas Weber" in text
        await pilot.press("n")
        await idle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert len(tmp_store.other_store().touches(anna)) == 3  # nothing undone
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked again")
        await pilot.press("y")
        await idle(pilot)
    stored = tmp_store.other_store()
    assert len(stored.touches(anna)) == 2  # the dashboard's touch taken back
    assert stored.contact(jonas).next_step == "Send the vendor form"  # theirs kept


async def test_u_undoes_at_once_when_only_the_dashboard_changed_things(
    app_factory, tmp_store: Env
) -> None:
    anna, marco = tmp_store.uid("Anna Berg"), tmp_store.uid("Marco Rossi")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("t", "c", "n", "enter")  # Anna
        await idle(pilot)
        app.screen.poll()  # a poll between the two changes reads nothing new
        await pilot.press("s", "enter")  # the highlight went to Marco: snoozed
        await idle(pilot)
        assert tmp_store.other_store().contact(marco).next_due > TODAY
        app.screen.poll()
        await pilot.press("u")
        await idle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert tmp_store.other_store().contact(marco).next_due == TODAY
        await pilot.press("u")
        await idle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
    assert len(tmp_store.other_store().touches(anna)) == 2


async def test_a_change_elsewhere_before_the_last_undone_one_still_asks(
    app_factory, tmp_store: Env
) -> None:
    """Changes made elsewhere after an older change of the dashboard are still after it
    once the newer change is undone."""
    anna, omar = tmp_store.uid("Anna Berg"), tmp_store.uid("Omar Diaz")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("t", "c", "n", "enter")  # Anna
        await idle(pilot)
        other = tmp_store.other_store()
        actions.set_next(
            other, other.contact(omar), "Ask about the Q1 budget", TODAY + timedelta(9)
        )
        app.screen.poll()
        await pilot.press("minus")  # Marco (highlighted after Anna moved) to warm
        await idle(pilot)
        assert tmp_store.other_store().contact(tmp_store.uid("Marco Rossi")).heat == "warm"
        await pilot.press("u")  # undoes the move at once
        await idle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert tmp_store.other_store().contact(tmp_store.uid("Marco Rossi")).heat == "hot"
        await pilot.press("u")  # Anna's call: Omar was changed elsewhere since
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        assert "Changed elsewhere since: Omar Diaz" in said(app)
        await pilot.press("y")
        await idle(pilot)
    assert len(tmp_store.other_store().touches(anna)) == 2


async def test_a_change_that_waited_for_the_lock_is_not_one_made_elsewhere(
    app_factory, tmp_store: Env
) -> None:
    from tests.helpers_proc import kill, start, wait_for

    anna, marco = tmp_store.uid("Anna Berg"), tmp_store.uid("Marco Rossi")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("minus")  # Anna to warm, at once; Marco is highlighted next
        await idle(pilot)
        holder = start("hold-lock", str(tmp_store.path), "120")
        try:
            wait_for(holder, "locked")
            await pilot.press("minus")  # Marco to warm: waits for the lock in a thread
            await until(pilot, lambda: app.screen.board.waiting, "waiting")
        finally:
            kill(holder)
        await until(pilot, lambda: not app.screen.board.waiting, "written")
        await idle(pilot)
        assert tmp_store.other_store().contact(marco).heat == "warm"
        await pilot.press("u")  # Marco back, unasked
        await idle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        await pilot.press("u")  # Anna back, unasked: Marco was changed here
        await idle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
    stored = tmp_store.other_store()
    assert (stored.contact(anna).heat, stored.contact(marco).heat) == ("hot", "hot")


def test_elsewhere_follows_the_stack() -> None:
    from tui.dashboard.elsewhere import Elsewhere

    names = {"a": "Anna", "b": "Bea", "c": "Cy", "d": "Dee", "e": "Eve"}
    first, second = object(), object()
    seen = Elsewhere()
    seen.noted(None, {"a"}, 0)  # nothing to undo: nothing to say
    seen.noted(first, {"b"}, 1)
    seen.noted(second, set(), 2)  # a poll that read nothing
    assert seen.lines(second, "a", names.get) == []
    with seen.own("c"):  # written here by a thread
        seen.noted(second, {"c"}, 2)
    assert seen.lines(second, "a", names.get) == []
    seen.noted(second, {"d", "a"}, 2)  # a: the change's own contact, said elsewhere
    assert seen.lines(second, "a", names.get) == ["Changed elsewhere since: Dee"]
    seen.popped(second, first, 1)  # undone: a and d were changed after first too
    assert seen.lines(first, "x", names.get) == ["Changed elsewhere since: Anna, Bea, Dee"]
    seen.noted(first, {"a", "e", "gone"}, 1)
    assert seen.lines(first, "x", names.get) == [
        "Changed elsewhere since: Anna, Bea, Dee and 1 more"
    ]
    seen.noted(first, None, 1)
    assert seen.lines(first, "x", names.get) == ["The database was changed elsewhere since"]
