"""Nothing lost between live views: a dashboard and the command line (or a second
Store, as another process) on one database. Every write changes only the fields it
means to, decided in the lock on what is on disk; a field changed elsewhere since a
dialog opened is the user's choice; undo is a compare-and-set of what its change wrote
and never brings back a contact dropped elsewhere; dialogs act on their contact by uid."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store.model import Touch
from store.store import GoneError
from tests.conftest import NOW, TODAY, Env
from tests.faults import WriteBeforeTheLock
from tests.helpers_proc import kill, start, wait_for
from tests.tui.waiting import markers_read, toasts, until
from tui.cli.run import main
from tui.dashboard.screen import DashboardScreen
from tui.modals.conflict import ConflictModal
from tui.screens.contact import ContactScreen
from widgets.streak_header import StreakHeader

SIZE = (80, 24)
IN_5_DAYS = TODAY + timedelta(days=5)


def cli(env: Env, *argv: str) -> int:
    """The command line, as another terminal runs it (its own Store on the file)."""
    return main([*argv, "--db", str(env.path)], clock=env.clock)


async def ready(pilot) -> DashboardScreen:
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await markers_read(pilot)
    return screen


def highlighted(app) -> str | None:
    contact = app.screen.current_contact
    return contact.name if contact else None


# -- the store: two Stores on one file ----------------------------------------------


def test_update_fields_writes_only_its_fields_and_reports_a_conflict(tmp_store: Env) -> None:
    mine, other = tmp_store.store, tmp_store.other_store()
    anna = tmp_store.contact("Anna Berg")  # as a dialog opened on her
    other.update_fields(anna.uid, {"heat": "cool", "next_step": "CLI step"})
    result = mine.update_fields(anna.uid, {"company": "Acme"}, {"company": anna.company})
    assert result.conflicts == {}
    stored = tmp_store.other_store().contact(anna.uid)
    assert (stored.company, stored.heat, stored.next_step) == ("Acme", "cool", "CLI step")
    assert set(result.written) == {"company", "updated_at"}

    clash = mine.update_fields(anna.uid, {"heat": "warm"}, {"heat": "hot"})
    assert clash.conflicts == {"heat": ("hot", "cool")}
    assert tmp_store.other_store().contact(anna.uid).heat == "cool"  # nothing written
    kept = mine.update_fields(
        anna.uid,
        {"heat": "warm", "goal": "Pilot"},
        {"heat": "hot", "goal": ""},
        on_conflict="keep",
    )
    assert (kept.contact.heat, kept.contact.goal) == ("cool", "Pilot")
    forced = mine.update_fields(
        anna.uid, {"heat": "warm"}, {"heat": "hot"}, on_conflict="overwrite"
    )
    assert forced.contact.heat == "warm"


def test_a_contact_dropped_elsewhere_gets_nothing_written(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    tmp_store.other_store().update_fields(anna.uid, {"status": "dropped", "dropped_on": TODAY})
    with pytest.raises(GoneError):
        tmp_store.store.update_fields(anna.uid, {"heat": "warm"}, {"heat": "hot"})
    with pytest.raises(GoneError):
        tmp_store.store.log_fields(
            Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"), {}
        )
    assert tmp_store.other_store().touches(anna.uid) == tmp_store.store.touches(anna.uid)
    assert len(tmp_store.other_store().touches(anna.uid)) == 2


def test_revert_fields_puts_back_only_what_still_holds(tmp_store: Env) -> None:
    anna = tmp_store.contact("Anna Berg")
    write = tmp_store.store.update_fields(anna.uid, {"heat": "warm", "goal": "Pilot"})
    tmp_store.other_store().update_fields(anna.uid, {"heat": "cool"})
    assert tmp_store.store.revert_fields(anna.uid, write.written) == ["heat"]
    stored = tmp_store.other_store().contact(anna.uid)
    assert (stored.heat, stored.goal) == ("cool", "")


def test_cli_log_without_next_keeps_the_next_step_set_while_it_waited(
    tmp_store: Env, capsys
) -> None:
    """`followup log` reads the contact, then waits for the lock; meanwhile another
    process sets a next step. Without --next, that step stays."""
    anna = tmp_store.contact("Anna Berg")
    elsewhere = WriteBeforeTheLock(
        lambda: tmp_store.other_store().update_fields(anna.uid, {"next_step": "Set elsewhere"})
    )
    argv = ["log", "anna", "--via", "email", "--db", str(tmp_store.path)]
    assert main(argv, clock=tmp_store.clock, faults=elsewhere) == 0
    assert elsewhere.write_first is None, "the other write came before the lock"
    stored = tmp_store.other_store().contact(anna.uid)
    assert stored.next_step == "Set elsewhere"
    assert len(tmp_store.other_store().touches(anna.uid)) == 3
    assert "Set elsewhere" in capsys.readouterr().out


# -- the dashboard and the command line ---------------------------------------------


async def test_edit_saving_only_the_company_keeps_what_the_cli_changed(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    anna = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert highlighted(app) == "Anna Berg"
        await pilot.press("e")
        await pilot.pause()
        assert cli(tmp_store, "next", "anna", "CLI step", "--due", "in 5 days") == 0
        assert cli(tmp_store, "heat", "anna", "cool") == 0
        await pilot.press("enter", "home", "ctrl+k", *"Acme", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    stored = tmp_store.other_store().contact(anna)
    assert (stored.company, stored.heat) == ("Acme", "cool")
    assert (stored.next_step, stored.next_due) == ("CLI step", IN_5_DAYS)


async def test_log_dialog_open_while_the_cli_sets_a_next_step_asks_first(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    anna = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert cli(tmp_store, "next", "anna", "CLI step", "--due", "in 5 days") == 0
        # a reached call: the step is presumed done, and saving with none asks once
        await pilot.press("c", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictModal)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Next date was changed elsewhere to" in text
        assert len(tmp_store.other_store().touches(anna)) == 2  # nothing yet
        await pilot.press("n")  # keep theirs: the touch is logged, their step stays
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    stored = tmp_store.other_store()
    assert (stored.contact(anna).next_step, stored.contact(anna).next_due) == (
        "CLI step",
        IN_5_DAYS,
    )
    assert len(stored.touches(anna)) == 3


async def test_undo_after_another_process_changed_the_contact_keeps_that_change(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    anna = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("minus")  # Anna: hot -> warm
        await pilot.pause()
        assert tmp_store.other_store().contact(anna).heat == "warm"
        assert cli(tmp_store, "next", "anna", "CLI step", "--due", "in 5 days") == 0
        await pilot.press("u", "y")  # changed elsewhere since: u asks first
        await pilot.pause()
    stored = tmp_store.other_store().contact(anna)
    assert stored.heat == "hot"  # what the move wrote is undone
    assert (stored.next_step, stored.next_due) == ("CLI step", IN_5_DAYS)  # theirs stays


async def test_undo_says_what_it_could_not_undo(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    anna = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("minus")  # hot -> warm
        await pilot.pause()
        assert cli(tmp_store, "heat", "anna", "cool") == 0
        await pilot.press("u", "y")  # changed elsewhere since: u asks first
        await until(pilot, lambda: "except heat" in " ".join(toasts(app)), "the undo's note")
    assert tmp_store.other_store().contact(anna).heat == "cool"


async def test_undo_never_brings_back_a_contact_dropped_elsewhere(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    anna = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("minus")
        await pilot.pause()
        assert cli(tmp_store, "drop", "anna", "--yes") == 0
        await pilot.press("u")
        await pilot.pause()
    assert tmp_store.other_store().contact(anna).status == "dropped"


async def test_the_contact_screen_acts_on_its_contact_even_when_dropped_meanwhile(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        before = {t.uid for t in tmp_store.other_store().touches()}
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact.name == "Anna Berg"
        assert cli(tmp_store, "drop", "anna", "--yes") == 0
        await pilot.press("t", "c", "enter")
        await until(pilot, lambda: "Anna Berg was dropped elsewhere" in " ".join(toasts(app)))
        if isinstance(app.screen, ContactScreen):
            await pilot.press("escape")
    after = {t.uid for t in tmp_store.other_store().touches()}
    assert after == before  # no touch went to anyone


async def test_a_dialog_whose_contact_is_dropped_meanwhile_writes_nothing(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    anna = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert cli(tmp_store, "drop", "anna", "--yes") == 0
        await pilot.press("ctrl+a", *"Call her", "enter")
        await until(pilot, lambda: "dropped elsewhere" in " ".join(toasts(app)), "the note")
    stored = tmp_store.other_store().contact(anna)
    assert stored.status == "dropped"
    assert stored.next_step == "Send the pricing deck"


# -- the lock held by another process -------------------------------------------------


async def test_a_write_waits_for_the_lock_in_a_thread_and_keys_stay_live(
    app_factory, tmp_store: Env
) -> None:
    anna = tmp_store.uid("Anna Berg")
    holder = start("hold-lock", str(tmp_store.path), "120")
    try:
        wait_for(holder, "locked")
        app = app_factory()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = await ready(pilot)
            assert highlighted(app) == "Anna Berg"
            await pilot.press("minus")  # Anna: hot -> warm, while the lock is held
            await pilot.pause()
            header = app.screen.query_one(StreakHeader)
            assert "waiting for another followup process" in header.note
            toasts = " ".join(str(t.render()) for t in app.screen.query("Toast"))
            assert "Waiting for another followup process" in toasts
            await pilot.press("j")  # the keys stay live
            await pilot.pause()
            assert highlighted(app) == "Marco Rossi"
            assert tmp_store.other_store().contact(anna).heat == "hot"  # not yet
            kill(holder)
            await until(pilot, lambda: not screen.board.waiting, "the write went through")
            await pilot.pause()
            assert tmp_store.other_store().contact(anna).heat == "warm"
            assert "waiting" not in header.note
            assert screen.undo_stack.peek() is not None
            await pilot.press("u")
            await pilot.pause()
        assert tmp_store.other_store().contact(anna).heat == "hot"
    finally:
        if holder.poll() is None:
            kill(holder)
