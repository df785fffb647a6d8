"""The review card follows a change made in another terminal, within one poll: a step
set there shows on the card; a touch logged there that leaves the contact no longer due
moves the review on, counted as logged (the way a key on the card does)."""

from __future__ import annotations

from datetime import timedelta

from store import actions
from tests.conftest import NOW, TODAY, Env
from tests.tui.waiting import idle, until
from tui.screens.review import ReviewScreen

SIZE = (80, 24)


def card_text(app) -> str:
    return str(app.screen.query_one("#review-card").render())


def header_text(app) -> str:
    return str(app.screen.query_one("#review-header").render())


async def open_review(pilot) -> ReviewScreen:
    await idle(pilot)
    await pilot.press("R")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the review")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_a_step_set_elsewhere_shows_on_the_card(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    uid = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        assert "Send the pricing deck" in card_text(app)
        other = tmp_store.other_store()
        actions.set_next(other, other.contact(uid), "Call about the signed copy", TODAY)
        await until(pilot, lambda: "Call about the signed copy" in card_text(app), "new step")
        assert review.index == 0 and "1 / 2" in header_text(app)
    assert tmp_store.other_store().contact(uid).next_step == "Call about the signed copy"


async def test_a_touch_logged_elsewhere_moves_the_review_on(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    uid = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        assert "Anna Berg" in card_text(app)
        other = tmp_store.other_store()
        anna = other.contact(uid)
        touch = actions.new_touch(anna, at=NOW, channel="call", outcome="reached", note="Signed")
        actions.log(other, anna, touch, next_step="Send the invoice", next_due=TODAY + timedelta(7))
        await until(pilot, lambda: review.index == 1, "the next card")
        assert "Marco Rossi" in card_text(app) and "2 / 2" in header_text(app)
        await pilot.press("space")
        await until(pilot, lambda: review.finished, "the summary")
        summary = card_text(app)
        assert "Reviewed 1 of 2 contacts." in summary
        assert "Logged       1" in summary and "Skipped      1" in summary
    stored = tmp_store.other_store()
    assert stored.contact(uid).next_step == "Send the invoice"
    assert stored.touches(uid)[0].note == "Signed"


async def test_a_step_changed_elsewhere_on_a_later_card_shows_when_reached(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    uid = tmp_store.uid("Marco Rossi")
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        other = tmp_store.other_store()
        actions.set_next(other, other.contact(uid), "Bring the contract", TODAY)
        board = app.screen_stack[0].board
        await until(pilot, lambda: board.contacts[uid].next_step == "Bring the contract", "read")
        await pilot.press("space")
        await until(pilot, lambda: review.index == 1, "Marco's card")
        await until(pilot, lambda: "Bring the contract" in card_text(app), "Marco's new step")


async def test_a_contact_dropped_elsewhere_leaves_the_review(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    uid = tmp_store.uid("Anna Berg")
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        other = tmp_store.other_store()
        actions.drop(other, other.contact(uid), "went quiet", other.touches(uid))
        await until(pilot, lambda: review.index == 1, "the next card")
        assert "Marco Rossi" in card_text(app)
        await pilot.press("space")
        await until(pilot, lambda: review.finished, "the summary")
        assert "Dropped      1" in card_text(app)
    assert tmp_store.other_store().contact(uid).status == "dropped"
