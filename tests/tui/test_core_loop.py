"""The core loop typed as people type (keys sent together, phrases into the focused
field), at 80x24 on the fixture store (conftest.py: today is Tuesday 24 Nov 2026)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import TODAY, Env, _contact
from tests.tui.waiting import idle, until

SIZE = (80, 24)


async def test_after_no_next_step_the_typing_is_the_step(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("t", "c", "enter")
        await until(pilot, lambda: "no next step?" in str(app.screen.query_one("#hints").render()))
        assert app.screen.focused is app.screen.query_one("#next-step")
        await pilot.press(*"send the signed copy", "enter")
        await idle(pilot)
        assert app.screen.current_contact is not None
    stored = tmp_store.other_store()
    anna = stored.contact(tmp_store.uid("Anna Berg"))
    assert anna.next_step == "send the signed copy"
    touch = stored.touches(anna.uid)[0]
    assert (touch.channel, touch.outcome, touch.direction) == ("call", "reached", "out")


def said(app) -> list[str]:
    """Every note the app has shown and still holds (a toast may not be drawn yet)."""
    return [n.message for n in app._notifications]


def _more_hot(env: Env) -> None:
    """Hot: Anna (-2), Marco (0), Zoë (+5), Kim (+10), Pia (+20)."""
    env.store.add_many(
        [
            _contact("Zoë Adler", "Adler AG", "hot", "Send the offer", 5),
            _contact("Kim Park", "Parkside", "hot", "Ask for the intro", 10),
            _contact("Pia Holm", "Holm & Co", "hot", "Check the budget", 20),
        ],
        [],
    )


def _highlighted(app) -> str:
    contact = app.screen.current_contact
    return contact.name if contact is not None else ""


async def test_a_row_moving_up_hands_the_highlight_to_the_next(app_factory, tmp_store: Env) -> None:
    _more_hot(tmp_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press(*"jjj")
        assert _highlighted(app) == "Kim Park"
        await pilot.press("n", "tab", "ctrl+u", *"tomorrow", "enter")
        await idle(pilot)
        hot = app.screen.columns.current
        assert [row.uid for row in hot.rows].index(tmp_store.uid("Kim Park")) == 2  # moved up
        assert _highlighted(app) == "Pia Holm"  # came after Kim, not row 3 (Zoë)
    kim = tmp_store.other_store().contact(tmp_store.uid("Kim Park"))
    assert kim.next_due == TODAY + timedelta(days=1)


async def test_a_row_leaving_its_column_hands_the_highlight_to_the_next(
    app_factory, tmp_store: Env
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("tab")  # warm: Jonas, Lena
        assert _highlighted(app) == "Jonas Weber"
        await pilot.press("+")
        await idle(pilot)
        assert _highlighted(app) == "Lena Fischer"
        assert app.screen.columns.current.heat == "warm"
    assert tmp_store.other_store().contact(tmp_store.uid("Jonas Weber")).heat == "hot"


async def test_u_asks_first_when_the_contact_changed_elsewhere(app_factory, tmp_store: Env) -> None:
    from tui.modals.confirm import ConfirmModal

    uid = tmp_store.uid("Anna Berg")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("t", "c", "n", "enter")  # a call, no reply
        await idle(pilot)
        assert len(tmp_store.other_store().touches(uid)) == 3
        tmp_store.other_store().update_fields(
            uid, {"next_step": "Call back on Friday"}
        )  # elsewhere
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Undo: logged call (no-reply) with Anna Berg?" in text
        assert "next step changed since" in text
        await pilot.press("n")
        await idle(pilot)
        assert len(tmp_store.other_store().touches(uid)) == 3  # nothing undone
        await pilot.press("u", "y")
        await idle(pilot)
    other = tmp_store.other_store()
    assert len(other.touches(uid)) == 2  # the dashboard's touch, and only it, taken back
    assert other.contact(uid).next_step == "Call back on Friday"  # theirs kept


async def test_u_asks_first_when_a_touch_with_the_contact_was_logged_elsewhere(
    app_factory, tmp_store: Env
) -> None:
    """A touch with another contact logged elsewhere is no reason to ask; one with this
    contact is, though it changed none of the contact's fields."""
    from store.model import Touch
    from tui.modals.confirm import ConfirmModal

    uid, omar = tmp_store.uid("Anna Berg"), tmp_store.uid("Omar Diaz")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("t", "c", "n", "enter")  # a call, no reply
        await idle(pilot)
        assert len(tmp_store.other_store().touches(uid)) == 3
        elsewhere = tmp_store.other_store()
        for who in (omar, uid):
            elsewhere.log_fields(
                Touch(
                    contact_uid=who, at=tmp_store.clock.now(), channel="email", outcome="waiting"
                ),
                {},
            )
            if who == omar:  # another contact's touch: named, and asked about first
                await pilot.press("u")
                await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
                text = " ".join(str(s.render()) for s in app.screen.query("Static"))
                assert "Changed elsewhere since: Omar Diaz" in text
                assert "touch with Anna Berg logged since" not in text
                await pilot.press("y")
                await until(pilot, lambda: len(tmp_store.other_store().touches(uid)) == 2)
                await pilot.press("t", "c", "n", "enter")  # the call logged again
                await until(pilot, lambda: len(tmp_store.other_store().touches(uid)) == 3)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "1 touch with Anna Berg logged since" in text
        await pilot.press("y")
        await until(pilot, lambda: len(tmp_store.other_store().touches(uid)) == 3)
    touches = tmp_store.other_store().touches(uid)
    assert (touches[0].channel, touches[0].outcome) == ("email", "waiting")  # theirs kept


async def test_u_with_nothing_to_undo_and_d_on_a_full_database_say_so(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("u")
        await until(pilot, lambda: any("Nothing to undo" in t for t in said(app)), "said")
        await pilot.press("D")
        await until(pilot, lambda: any("empty database" in t for t in said(app)), "said")
        assert sum(len(c.rows) for c in app.screen.columns.all) == 5  # no samples


async def test_the_filter_folds_accents_as_names_do(app_factory, tmp_store: Env) -> None:
    _more_hot(tmp_store)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("slash", *"zoe")
        await until(pilot, lambda: len(app.screen.columns.of("hot").rows) == 1, "filtered")
        await pilot.press("enter", "n", "ctrl+u", *"Send the revised offer", "enter")
        await idle(pilot)
    zoe = tmp_store.other_store().contact(tmp_store.uid("Zoë Adler"))
    assert zoe.next_step == "Send the revised offer"


def _marker(app, name: str) -> str:
    rows = [row for column in app.screen.columns.all for row in column.rows]
    return next(row.marker for row in rows if row.contact.name == name)


async def test_markers_follow_every_change(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await until(pilot, lambda: app.screen.board.markers_ready, "markers read")
        assert _marker(app, "Jonas Weber") == ""
        await pilot.press("l", "n", "tab", "ctrl+u", "enter")  # Jonas: the date cleared
        await idle(pilot)
        assert tmp_store.other_store().contact(tmp_store.uid("Jonas Weber")).next_due is None
        await until(pilot, lambda: _marker(app, "Jonas Weber") == "!", "! after the date")
        await pilot.press("n", "ctrl+u", *"Send the vendor form", "tab", *"friday", "enter")
        await idle(pilot)
        await until(pilot, lambda: _marker(app, "Jonas Weber") == "", "! gone")
    jonas = tmp_store.other_store().contact(tmp_store.uid("Jonas Weber"))
    assert jonas.next_step == "Send the vendor form" and jonas.next_due is not None


def test_no_next_step_means_no_step_or_no_date() -> None:
    from store.rules.nudges import has_next_step

    assert not has_next_step(_contact("A", "", "warm", "", 3))  # a date, nothing to do
    assert not has_next_step(_contact("B", "", "warm", "Call", None))  # never due
    assert has_next_step(_contact("C", "", "warm", "Call", 3))


async def test_escape_on_a_filled_form_asks_and_errors_clear_when_fixed(
    app_factory, tmp_store: Env
) -> None:
    from tui.modals.confirm import ConfirmModal
    from tui.modals.contact_form import ContactFormModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("a", "escape")  # untouched: closes
        await until(pilot, lambda: not isinstance(app.screen, ContactFormModal), "closed")
        await pilot.press("a", "tab", *"Acme", "ctrl+s")  # no name
        await until(pilot, lambda: app.screen.query_one("#error-name").display, "error")
        assert app.screen.focused is app.screen.query_one("#field-name")
        await pilot.press(*"Dave")
        await until(pilot, lambda: not app.screen.query_one("#error-name").display, "cleared")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked")
        await pilot.press("n")  # keep editing
        await until(pilot, lambda: isinstance(app.screen, ContactFormModal), "back")
        assert app.screen.query_one("#field-name").value == "Dave"
        await pilot.press("escape", "y")  # discard
        await until(pilot, lambda: not isinstance(app.screen, ContactFormModal), "closed")
        await idle(pilot)
    assert len(tmp_store.other_store().contacts()) == 5  # nothing added


async def test_the_form_selects_take_their_letters(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("a", *"Dave Kim", "tab", "tab", "tab")  # name, company, role: Kind
        await pilot.press("c", "tab", "h", "tab", "tab", "e")  # client, hot, (goal), email
        screen = app.screen
        assert screen.query_one("#field-kind").value == "client"
        assert screen.query_one("#field-heat").value == "hot"
        assert screen.query_one("#field-channel").value == "email"
        assert screen.query_one("#field-company").value == ""  # no letter went astray
        await pilot.press("ctrl+s")
        await idle(pilot)
    dave = tmp_store.other_store().contact(tmp_store.uid("Dave Kim"))
    assert (dave.kind, dave.heat, dave.channel) == ("client", "hot", "email")


async def test_review_stays_on_a_card_still_due_and_counts_right(
    app_factory, tmp_store: Env
) -> None:
    from tui.screens.review import ReviewScreen

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review")
        review = app.screen
        assert review.uids == [tmp_store.uid("Anna Berg"), tmp_store.uid("Marco Rossi")]
        await pilot.press("e", "tab", *" Ltd", "ctrl+s")  # an edit: Anna is still due
        await until(pilot, lambda: any("still due" in t for t in said(app)), "said why")
        assert app.screen is review and review.index == 0
        await pilot.press("s", "enter")  # snoozed: no longer due, the next card
        await until(pilot, lambda: review.index == 1, "moved on")
        await pilot.press("space")
        await until(pilot, lambda: review.finished, "finished")
        card = str(review.query_one("#review-card").render())
        assert "Reviewed 1 of 2 contacts." in card
        assert "Skipped      1" in card
    anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert anna.company == "Northwind Traders Ltd" and anna.next_due > TODAY


async def test_the_drop_dialog_takes_a_reason(app_factory, tmp_store: Env) -> None:
    from tui.modals.drop import DropModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("d", "r", *"went with a competitor", "enter")
        assert isinstance(app.screen, DropModal)  # letters typed there picked nothing
        assert app.screen.query_one("#drop-reason").value == "went with a competitor"
        await pilot.press("enter")
        await idle(pilot)
        assert "Anna Berg" not in [c.name for c in app.screen.board.contacts.values()]
    anna = tmp_store.other_store().contact(tmp_store.uid("Anna Berg"))
    assert (anna.status, anna.drop_reason) == ("dropped", "went with a competitor")


async def test_help_says_the_cadence_as_set(app_factory, tmp_store: Env) -> None:
    from dataclasses import replace

    from tui.screens.help import HelpScreen

    settings = tmp_store.store.settings
    tmp_store.store.save_settings(replace(settings, cadence={**settings.cadence, "hot": 3}))
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "hot  every 3 days: people in an active conversation." in text
        assert "weekly" not in text
    assert tmp_store.other_store().settings.cadence["hot"] == 3
