"""Every limit the store enforces is checked inline in the dialog that collects it: the
dialog stays open, says what is wrong beside the field, keeps what was typed, and
nothing is written. Pilot on the real dashboard at 80x24."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from store.model import FIELD_LIMITS, NAME_MAX, TAG_MAX, TEXT_MAX
from tests.conftest import Env
from tui.modals.contact_form import ContactFormModal
from tui.modals.log_touch import LogTouchModal
from tui.modals.next_step import NextStepModal

SIZE = (80, 24)


async def paste(pilot: Pilot[Any], selector: str, text: str) -> Input:
    """Put `text` into an input as a terminal's paste would, replacing what it held."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    field.post_message(events.Paste(text))
    await pilot.pause()
    return field


# (a to add or e to edit, form field, what is pasted, words of the inline error)
FORM_LIMITS = [
    ("a", "name", "N" * (NAME_MAX + 1), f"at most {NAME_MAX} characters"),
    ("e", "name", "N" * (NAME_MAX + 1), f"at most {NAME_MAX} characters"),
    *(
        ("a", field, "x" * (limit + 1), f"at most {limit} characters")
        for field, limit in FIELD_LIMITS.items()
        if field != "drop_reason"  # set by the drop dialog itself, never typed
    ),
    ("a", "value", "2,000,000,000,000,000", "at most 1,000,000,000,000,000"),
    ("e", "value", "1000000001m", "at most 1,000,000,000,000,000"),
    ("a", "value", "12,5", "could be read two ways"),
    ("a", "tags", "ok, " + "t" * (TAG_MAX + 1), f"at most {TAG_MAX} characters"),
]


@pytest.mark.parametrize(("key", "field", "text", "message"), FORM_LIMITS)
async def test_the_contact_form_keeps_what_the_store_would_refuse(
    app_factory: Any, tmp_store: Env, key: str, field: str, text: str, message: str
) -> None:
    before = tmp_store.path.read_bytes()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        if key == "a":
            await paste(pilot, "#field-name", "Vera Lund")
        typed = await paste(pilot, f"#field-{field}", text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormModal)  # still open
        error = app.screen.query_one(f"#error-{field}", Static)
        assert error.display and message in str(error.render())
        assert typed.value == text  # kept
        assert app.focused is typed
    assert tmp_store.path.read_bytes() == before


# (dialog key, input, limit, its name in the message)
STEP_LIMITS = [
    ("t", "#note", TEXT_MAX, "note"),
    ("t", "#next-step", FIELD_LIMITS["next_step"], "next step"),
    ("n", "#next-step", FIELD_LIMITS["next_step"], "next step"),
]


@pytest.mark.parametrize(("key", "selector", "limit", "what"), STEP_LIMITS)
async def test_the_step_dialogs_keep_a_text_over_its_limit(
    app_factory: Any, tmp_store: Env, key: str, selector: str, limit: int, what: str
) -> None:
    touches_before = len(tmp_store.store.touches())
    anna_before = tmp_store.contact("Anna Berg")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, (LogTouchModal, NextStepModal))
        text = "w" * (limit + 1)
        typed = await paste(pilot, selector, text)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # still open
        error = dialog.query_one("#dialog-error", Static)
        assert error.display
        assert f"the {what} can be at most {limit} characters" in str(error.render())
        assert typed.value == text and app.focused is typed
        # Shortened to the limit, the same dialog saves.
        typed.value = "w" * limit
        await pilot.press("enter")
        if selector == "#note":  # a reached touch with no next step asks once
            await pilot.pause()
            await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not dialog
    after = tmp_store.other_store()
    anna = after.contact(tmp_store.uid("Anna Berg"))
    if key == "t":
        assert len(after.touches()) == touches_before + 1
    if selector == "#next-step":
        assert anna.next_step == "w" * limit != anna_before.next_step
    else:
        assert after.touches(anna.uid)[0].note == "w" * limit
