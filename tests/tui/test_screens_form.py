"""Pilot tests of the add / edit contact form at 80x24."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from store.errors import InputError
from tests.factories import TODAY, make_contact
from tests.tui.test_screens import NOT_DISMISSED, SIZE, Host, screen_text
from tui.modals.contact_form import ContactFormModal, parse_tags, parse_value

TOMORROW = TODAY + timedelta(days=1)


def add_form() -> ContactFormModal:
    return ContactFormModal(None, TODAY, True)


async def type_into(pilot: Pilot[Any], field: str, text: str, *, clear: bool = False) -> None:
    """Focus a field as a user would (click), optionally clear it, and type, key by key
    (only where the typing is what is tested: else `fill`)."""
    await pilot.click(f"#field-{field}")
    if clear:
        await pilot.press("home", "ctrl+k")  # delete to the end of the line
    await pilot.press(*text)


async def fill(pilot: Pilot[Any], field: str, text: str, *, clear: bool = True) -> None:
    """Focus a field and set its text at once (the form reacts as to typing: the same
    Changed message), with the cursor at the end."""
    widget = pilot.app.screen.query_one(f"#field-{field}")
    if not isinstance(widget, Input):  # a date field: a DateInput around its Input
        widget = widget.query_one(Input)
    widget.focus()
    widget.value = text if clear else widget.value + text
    widget.cursor_position = len(widget.value)
    await pilot.pause()


async def paste_into(pilot: Pilot[Any], field: str, text: str) -> None:
    """Focus a field (click) and paste into it, as a terminal delivers a paste."""
    await pilot.click(f"#field-{field}")
    focused = pilot.app.focused
    assert isinstance(focused, Input)
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def test_add_returns_every_field_ready_for_the_store() -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # The name field has the focus; enter moves on to the next field.
        assert app.focused is app.screen.query_one("#field-name")
        await pilot.press(*"Cara Lind", "enter")
        assert app.focused is app.screen.query_one("#field-company")
        await fill(pilot, "company", "Lind & Co")
        await fill(pilot, "role", "CTO")
        await paste_into(pilot, "goal", "Sign the pilot")
        await paste_into(pilot, "email", "cara@lind.test")
        await paste_into(pilot, "phone", "+1 555 0100")
        await fill(pilot, "value", "12k")
        await paste_into(pilot, "tags", "saas, pilot,, saas")
        await paste_into(pilot, "next_step", "Send the contract draft")
        await pilot.click("#field-kind")
        await pilot.press("down", "enter")  # the list opens on prospect: next is client
        await pilot.click("#field-heat")
        await pilot.press("up", "enter")  # warm -> hot
        await pilot.click("#field-channel")
        await pilot.press("down", "down", "enter")  # none -> call -> email
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [
        {
            "name": "Cara Lind",
            "company": "Lind & Co",
            "role": "CTO",
            "goal": "Sign the pilot",
            "email": "cara@lind.test",
            "phone": "+1 555 0100",
            "next_step": "Send the contract draft",
            "value": 12000.0,
            "tags": ("saas", "pilot"),
            "kind": "client",
            "heat": "hot",
            "channel": "email",
            "next_due": TOMORROW,
            "cadence_days": None,
            "do_not_contact": False,
        }
    ]


async def test_add_with_only_a_name_is_due_tomorrow_and_enter_on_the_date_saves() -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Wed 25 Nov 2026 (tomorrow)" in screen_text(app)
        await fill(pilot, "name", "  Dan   Ek  ")
        await pilot.click("#field-next_due")
        await pilot.press("enter")
        await pilot.pause()
    (values,) = app.results
    assert values["name"] == "Dan Ek"
    assert values["next_due"] == TOMORROW
    assert values["heat"] == "warm"
    assert values["kind"] == "prospect"
    assert values["channel"] is None
    assert values["value"] is None
    assert values["tags"] == ()
    assert values["company"] == ""


async def test_due_date_typed_as_words_is_previewed_and_saved() -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill(pilot, "name", "Eva")
        await fill(pilot, "next_due", "fri")
        await pilot.pause()
        assert "Fri 27 Nov 2026 (in 3 days)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0]["next_due"] == TODAY + timedelta(days=3)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "a name is required"), ("   ", "a name is required"), ("x" * 500, "at most 200")],
    ids=["empty", "blank", "500-chars"],
)
async def test_a_bad_name_is_shown_inline_and_nothing_is_dismissed(name: str, message: str) -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#field-name", Input)
        if name:
            field.post_message(events.Paste(name))  # as a terminal pastes
            await pilot.pause()
            assert field.value == name
        await fill(pilot, "goal", "Sign")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result is NOT_DISMISSED
        assert isinstance(app.screen, ContactFormModal)
        text = screen_text(app)
        assert message in text
        assert app.screen.query_one("#row-name").has_class("-invalid")
        assert app.focused is field
        # Fixing the name saves; the error is gone.
        await pilot.press("home", "ctrl+k", *"Fay")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results[0]["name"] == "Fay"
    assert app.results[0]["goal"] == "Sign"


async def test_bad_value_and_date_are_both_shown_inline() -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill(pilot, "name", "Gus")
        await fill(pilot, "value", "lots")
        await fill(pilot, "next_due", "someday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert app.result is NOT_DISMISSED
        assert app.focused is app.screen.query_one("#field-value", Input)
    assert "a value is a number, like 12000, 12,000, 12k" in text
    assert "can't read" in text


async def test_a_past_due_date_is_refused_when_adding() -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill(pilot, "name", "Hal")
        await fill(pilot, "next_due", "yesterday")
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is NOT_DISMISSED
        assert "is in the past" in screen_text(app)


async def test_the_vague_hint_follows_the_next_step_live() -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#row-vague")
        assert not hint.display
        await type_into(pilot, "next_step", "ping")  # live, as it is typed
        await pilot.pause()
        assert hint.display
        assert "A vague check-in: give a specific reason" in screen_text(app)
        await fill(pilot, "next_step", " re renewal terms", clear=False)
        await pilot.pause()
        assert not hint.display


async def test_escape_cancels_and_writes_nothing() -> None:
    app = Host(add_form)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill(pilot, "name", "Ida")
        await pilot.press("escape")  # typed changes: "discard?" first
        await pilot.pause()
        assert app.results == []
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [None]


def anna_overdue() -> Any:
    return make_contact(
        name="Anna \x1b]0;x\x07Berg",
        company="Acme",
        heat="hot",
        kind="client",
        channel="call",
        value=2500.5,
        tags=("vip", "nordics"),
        next_step="Send the deck",
        next_due=TODAY - timedelta(days=3),
    )


async def test_edit_prefills_cleaned_values_and_keeps_an_overdue_date() -> None:
    contact = anna_overdue()
    app = Host(lambda: ContactFormModal(contact, TODAY, True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Edit Anna Berg" in text
        assert "\x1b" not in text
        assert "3 days ago, in the past" in text
        await fill(pilot, "phone", "+46 8 123")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [
        {
            "name": "Anna Berg",
            "company": "Acme",
            "role": "",
            "goal": "",
            "email": "",
            "phone": "+46 8 123",
            "next_step": "Send the deck",
            "value": 2500.5,
            "tags": ("vip", "nordics"),
            "kind": "client",
            "heat": "hot",
            "channel": "call",
            "next_due": TODAY - timedelta(days=3),
            "cadence_days": None,
            "do_not_contact": False,
        }
    ]


async def test_edit_refuses_another_past_date_and_allows_clearing_it() -> None:
    app = Host(lambda: ContactFormModal(anna_overdue(), TODAY, True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill(pilot, "next_due", "yesterday")
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is NOT_DISMISSED
        assert "is in the past" in screen_text(app)
        await pilot.press("home", "ctrl+k", "enter")
        await pilot.pause()
    assert app.results[0]["next_due"] is None


async def test_every_field_fits_at_80x24() -> None:
    app = Host(lambda: ContactFormModal(anna_overdue(), TODAY, True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen.region
        for widget in app.screen.query("Input, Select, Button"):
            assert widget.region.area > 0, widget
            assert screen.contains_region(widget.region), widget


def test_parse_value_and_tags() -> None:
    assert parse_value("") is None
    assert parse_value(" 12,000 ") == 12000.0
    assert parse_value("$1.5m") == 1_500_000.0
    assert parse_value("750.25") == 750.25
    for bad in ("-5", "lots", "1e400", "nan", "12kk"):
        with pytest.raises(InputError):
            parse_value(bad)
    assert parse_tags(" a, b ,, a,c ") == ("a", "b", "c")
    assert parse_tags("") == ()
    with pytest.raises(InputError):
        parse_tags("x" * 61)
