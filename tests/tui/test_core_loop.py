"""The core loop typed as people type (keys sent together, phrases into the focused
field), at 80x24 on the fixture store (conftest.py: today is Tuesday 24 Nov 2026)."""

from __future__ import annotations

from tests.conftest import Env
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
