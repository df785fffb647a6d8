"""The "try another channel" nudge says the same sentence on the dashboard (the contact
screen, the review card) as `followup show`: on the stats' evidence when one channel's
range clears the others' (here email: 18 of 20 answered, calls 2 of 20)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store.model import Contact, Touch
from tests.conftest import CREATED, NOW, TODAY, Env
from tests.tui.waiting import idle, until
from tui.cli.run import main
from tui.screens.contact import ContactScreen
from tui.screens.review import ReviewScreen

SIZE = (80, 24)
SENTENCE = "3 unanswered calls in a row: try an email instead (email gets answered"


def proven_email(env: Env) -> str:
    """Email proven on other contacts; Tara (prefers text) with 3 unanswered calls."""
    others = [
        Contact(name=f"Past {n}", heat="cool", created_at=CREATED, updated_at=CREATED)
        for n in range(4)
    ]
    tara = Contact(
        name="Tara Quist",
        heat="hot",
        channel="text",
        next_step="Call about the quote",
        next_due=TODAY - timedelta(days=3),
        created_at=CREATED,
        updated_at=CREATED,
    )
    touches = []
    for n in range(20):
        who = others[n % 4].uid
        at = NOW - timedelta(days=60 + n)
        touches.append(
            Touch(contact_uid=who, at=at, channel="email",
                  outcome="reached" if n < 18 else "no-reply")
        )  # fmt: skip
        touches.append(
            Touch(contact_uid=who, at=at, channel="call",
                  outcome="reached" if n < 2 else "no-reply")
        )  # fmt: skip
    for n in range(3):
        touches.append(
            Touch(contact_uid=tara.uid, at=NOW - timedelta(days=3 + 8 * n),
                  channel="call", outcome="no-reply")
        )  # fmt: skip
    env.store.add_many([*others, tara], touches)
    return tara.uid


def shown_nudges(app) -> str:
    return str(app.screen.query_one("#contact-nudges").render())


def cli_show(env: Env, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["show", "Tara Quist", "--db", str(env.path)], clock=env.clock) == 0
    return capsys.readouterr().out


async def test_the_contact_screen_says_what_show_says(
    app_factory, tmp_store: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    uid = proven_email(tmp_store)
    said = cli_show(tmp_store, capsys)
    line = next(line for line in said.splitlines() if SENTENCE in line)
    sentence = line[line.index(SENTENCE) :]
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await until(pilot, lambda: app.screen.current_contact is not None, "a contact")
        while app.screen.current_contact.uid != uid:  # Tara: first in HOT (most overdue)
            await pilot.press("j")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ContactScreen), "the contact screen")
        shown = " ".join(shown_nudges(app).split())
        assert " ".join(sentence.split()) in shown
        assert "try a text" not in shown
    assert len(tmp_store.other_store().touches(uid)) == 3


async def test_the_review_card_says_it_too(app_factory, tmp_store: Env) -> None:
    uid = proven_email(tmp_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        assert app.screen.current_uid == uid
        card = " ".join(str(app.screen.query_one("#review-card").render()).split())
        assert SENTENCE in card
    assert tmp_store.other_store().contact(uid).next_step == "Call about the quote"
