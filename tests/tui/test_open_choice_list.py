"""An open choice list (Kind, Heat, Prefers, Contact in the add / edit form) opens
inside the form under its field and pushes the rows below down: it covers no other
field, so no choice sits beside another field's label ("Email  email")."""

from __future__ import annotations

import pytest
from textual.errors import NoWidget
from textual.widget import Widget

from tests.conftest import Env
from tests.tui.waiting import idle, until
from tui.modals.contact_form import ContactFormModal


def seen_at(app, widget: Widget) -> Widget | None:
    """The widget drawn where `widget`'s first cell is (itself or one of its children
    when nothing covers it)."""
    region = widget.region
    try:
        found, _ = app.screen.get_widget_at(region.x, region.y)
    except NoWidget:
        return None
    return found


def shows(app, widget: Widget) -> bool:
    found = seen_at(app, widget)
    return found is not None and (found is widget or widget in found.ancestors)


@pytest.mark.parametrize(
    ("size", "tabs", "field", "below"),
    [
        ((80, 24), 3, "kind", "heat"),
        ((80, 24), 6, "channel", "cadence_days"),
        ((60, 20), 4, "heat", "goal"),
        ((60, 20), 8, "do_not_contact", "email"),
    ],
)
async def test_the_open_list_covers_no_field_below(
    app_factory, tmp_store: Env, size, tabs, field, below
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await idle(pilot)
        await pilot.press("a", *"Dave Kim", *["tab"] * tabs, "enter")
        await until(pilot, lambda: isinstance(app.screen, ContactFormModal), "the form")
        form = app.screen
        select = form.query_one(f"#field-{field}")
        await until(pilot, lambda: select.expanded, "the list open")
        await pilot.pause()
        row = form.query_one(f"#row-{below}")
        label, value = row.query_one(".form-label"), form.query_one(f"#field-{below}")
        await until(pilot, lambda: shows(app, label) and shows(app, value), f"{below} in sight")
        await pilot.press("down", "enter")  # the second choice
        await until(pilot, lambda: not select.expanded, "the list closed")
        chosen = select.value
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert not isinstance(app.screen, ContactFormModal)
    dave = tmp_store.other_store().contact(tmp_store.uid("Dave Kim"))
    stored = {
        "kind": dave.kind,
        "heat": dave.heat,
        "channel": dave.channel,
        "do_not_contact": "do not contact" if dave.do_not_contact else "ok to contact",
    }
    assert stored[field] == chosen
