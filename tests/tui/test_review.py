"""The morning review: the queue's order and cap (store), and a whole review driven
with the real keys on the fixed clock (Pilot)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from store.model import Contact, Settings
from store.rules.review import Tally, review_queue, what_was_done
from tests.conftest import CREATED, TODAY, Env
from tests.factories import make_contact
from tui.screens.review import ReviewScreen

SIZE = (80, 24)


def due(days: int, **kw) -> Contact:
    return make_contact(next_due=TODAY + timedelta(days=days), next_step="Call", **kw)


def test_queue_overdue_by_cadence_then_heat_then_today() -> None:
    settings = Settings()
    hot_3 = due(-3, name="Hot three", heat="hot")  # 3/7 of a cadence late
    warm_14 = due(-14, name="Warm fourteen", heat="warm")  # 14/21
    cool_3 = due(-3, name="Cool three", heat="cool")  # 3/75
    warm_today = due(0, name="Warm today", heat="warm")
    hot_today = due(0, name="Hot today", heat="hot")
    later = due(4, name="Later", heat="hot")
    no_step = make_contact(name="No step", heat="hot")
    quiet = due(-9, name="Do not contact", heat="hot", do_not_contact=True)
    gone = due(-9, name="Dropped", heat="hot", status="dropped")
    pool = [hot_3, warm_14, cool_3, warm_today, hot_today, later, no_step, quiet, gone]
    queue = review_queue(pool, TODAY, settings)
    assert [c.name for c in queue.contacts] == [
        "Warm fourteen", "Hot three", "Cool three", "Hot today", "Warm today",
    ]  # fmt: skip
    assert queue.more == 0


def test_queue_ties_go_hot_before_warm() -> None:
    warm = due(-21, name="A warm", heat="warm")  # one whole cadence late
    hot = due(-7, name="Z hot", heat="hot")  # one whole cadence late too
    queue = review_queue([warm, hot], TODAY, Settings())
    assert [c.name for c in queue.contacts] == ["Z hot", "A warm"]


def test_queue_capped_at_the_daily_target() -> None:
    pool = [due(-d, name=f"C{d:02}", heat="hot") for d in range(1, 10)]
    queue = review_queue(pool, TODAY, Settings(daily_target=3))
    assert [c.name for c in queue.contacts] == ["C09", "C08", "C07"]
    assert queue.more == 6
    assert queue.more_line() == "and 6 more"


def test_tally_counts_unvisited_cards_as_skipped() -> None:
    tally = Tally.of({0: "logged", 2: "snoozed"}, 4)
    assert (tally.logged, tally.snoozed, tally.skipped) == (1, 1, 2)
    assert "Skipped      2" in tally.lines()


def test_what_was_done() -> None:
    before = due(-1, name="X", heat="warm")
    assert what_was_done(before, before, logged=True) == "logged"
    assert what_was_done(before, replace(before, status="dropped"), logged=False) == "dropped"
    assert what_was_done(before, replace(before, heat="cool"), logged=False) == "cooled"
    moved = replace(before, next_due=TODAY + timedelta(days=5))
    assert what_was_done(before, moved, logged=False) == "snoozed"
    assert what_was_done(before, replace(moved, next_step="Other"), logged=False) == "rescheduled"


def add_due(env: Env, name: str, heat: str, days: int, **kw) -> None:
    env.store.add_contact(
        Contact(
            name=name,
            heat=heat,  # type: ignore[arg-type]
            next_step=f"Step for {name}",
            next_due=TODAY + timedelta(days=days),
            created_at=CREATED,
            updated_at=CREATED,
            **kw,
        )
    )


def review(app) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen), type(screen)
    return screen


def card_text(app) -> str:
    return str(app.screen.query_one("#review-card").render())


def header_text(app) -> str:
    return str(app.screen.query_one("#review-header").render())


async def test_a_whole_review(app_factory, tmp_store: Env) -> None:
    add_due(tmp_store, "Petra Novak", "warm", -10, goal="Sign the pilot", value=25000)
    add_due(tmp_store, "Quiet Quinn", "hot", -20, do_not_contact=True)
    add_due(tmp_store, "Cora Lind", "cool", 0)
    # Queue: Petra (10/21), Anna (2/7), then today: Marco (hot), Cora (cool).
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        screen = review(app)
        assert [c.name for c in screen.queue.contacts] == [
            "Petra Novak", "Anna Berg", "Marco Rossi", "Cora Lind",
        ]  # fmt: skip
        assert "1 / 4" in header_text(app)
        text = card_text(app)
        for part in ("Petra Novak", "WARM", "Sign the pilot", "25,000",
                     "Step for Petra Novak", "10d overdue", "none yet"):  # fmt: skip
            assert part in text, part
        # 1: log a no-reply call: t, c, n (no reply), enter.
        await pilot.press("t", "c", "n", "enter")
        await pilot.pause()
        assert "2 / 4" in header_text(app)
        assert "Anna Berg" in card_text(app)
        assert "Liked the pilot idea" in card_text(app)  # the last touches
        # 2: skip Anna, then go back to her and skip again.
        await pilot.press("space")
        await pilot.pause()
        assert "3 / 4" in header_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert "2 / 4" in header_text(app)
        await pilot.press("j")
        await pilot.pause()
        # 3: snooze Marco with the suggested date.
        assert "Marco Rossi" in card_text(app)
        await pilot.press("s", "enter")
        await pilot.pause()
        # 4: drop Cora (asks first: y).
        assert "Cora Lind" in card_text(app)
        await pilot.press("d", "y")
        await pilot.pause()
        summary = card_text(app)
        assert "Review done" in header_text(app)
        assert "Logged       1" in summary
        assert "Snoozed      1" in summary
        assert "Dropped      1" in summary
        assert "Skipped      1" in summary
        assert "Streak: 2-day streak" in summary  # yesterday and now today
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        # Back on the board: the focused column highlights a contact, and keys act on it.
        board = app.screen
        column = board.columns.current
        assert app.focused is column
        assert column.highlighted_uid is not None
        assert board.current_contact is not None
        detail = str(board.query_one("#detail").render())
        assert "Next:" in detail and "Goal:" in detail  # the detail line is back too
    store = tmp_store.store
    petra = tmp_store.contact("Petra Novak")
    assert [t.outcome for t in store.touches(petra.uid)] == ["no-reply"]
    assert tmp_store.contact("Marco Rossi").next_due > TODAY
    assert tmp_store.contact("Cora Lind").status == "dropped"
    assert tmp_store.contact("Anna Berg").next_due == TODAY - timedelta(days=2)  # skipped


async def test_escape_in_a_dialog_keeps_the_card(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("t", "escape")
        await pilot.pause()
        assert "1 / 2" in header_text(app)
        assert "Anna Berg" in card_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_followup_review_opens_in_review(tmp_store: Env) -> None:
    from tui.app import FollowupApp

    app = FollowupApp(tmp_store.store, tmp_store.clock, review=True, emoji=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "1 / 2" in header_text(app)


async def test_edit_form_sets_cadence_and_do_not_contact(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")  # Anna Berg
        await pilot.pause()
        await pilot.click("#field-cadence_days")
        await pilot.press(*"10")
        await pilot.click("#field-do_not_contact")
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
        assert (anna.cadence_days, anna.do_not_contact) == (10, True)
        await pilot.press("R")
        await pilot.pause()
        assert [c.name for c in review(app).queue.contacts] == ["Marco Rossi"]
    assert [c.name for c in tmp_store.other_store().due_by(TODAY)] == ["Marco Rossi"]


async def test_a_bad_cadence_is_refused_in_the_form(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#field-cadence_days")
        await pilot.press(*"often", "ctrl+s")
        await pilot.pause()
        assert "a cadence is a number of days" in str(
            app.screen.query_one("#error-cadence_days").render()
        )
    assert tmp_store.other_store().contact(tmp_store.uid("Anna Berg")).cadence_days is None


async def test_enter_opens_the_card_and_its_action_moves_on(app_factory, tmp_store) -> None:
    from tui.screens.contact import ContactScreen

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact.name == "Anna Berg"
        await pilot.press("t", "c", "n", "enter")  # log from the contact screen
        await pilot.pause()
        assert "2 / 2" in header_text(app)
        assert "Marco Rossi" in card_text(app)
    assert tmp_store.other_store().touches(tmp_store.uid("Anna Berg"))[0].outcome == "no-reply"


async def test_an_empty_queue_says_so(app_factory, tmp_store: Env) -> None:
    for name in ("Anna Berg", "Marco Rossi"):
        tmp_store.store.update_fields(tmp_store.uid(name), {"next_due": TODAY + timedelta(days=3)})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert "Nothing is overdue or due today." in card_text(app)
        assert review(app).check_action("skip", ()) is False


async def test_the_daily_target_caps_the_review(app_factory, tmp_store: Env) -> None:
    tmp_store.store.save_settings(Settings(daily_target=1))
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert "1 / 1  (and 1 more)" in header_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert "(and 1 more past the daily target)" in card_text(app)
