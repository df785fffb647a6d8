"""The dashboard's parts on their own: the header's emoji fallback, the date input,
the undo stack, and the heat column's rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from textual.app import App, ComposeResult

from store.model import Touch
from store.rules.streak import Streak
from tests.conftest import NOW, TODAY, Env
from tui.dashboard.undo import UNDO_ADD_REASON, Change, UndoStack, revert
from widgets.date_input import DateInput
from widgets.streak_header import StreakHeader, can_show_emoji, header_text


@pytest.mark.parametrize(
    ("env", "encoding", "expected"),
    [
        ({"TERM": "xterm-256color", "LANG": "en_US.UTF-8"}, "UTF-8", True),
        ({"TERM": "xterm-256color", "LANG": "de_DE.utf8"}, "UTF-8", True),
        ({"TERM": "xterm-256color", "LANG": "C"}, "UTF-8", False),
        ({"TERM": "xterm-256color", "LANG": "en_US.UTF-8", "LC_ALL": "C"}, "UTF-8", False),
        ({"TERM": "xterm-256color", "LC_CTYPE": "en_US.ISO-8859-1"}, "UTF-8", False),
        ({"TERM": "xterm-256color"}, "ANSI_X3.4-1968", False),
        ({"TERM": "xterm-256color"}, "utf-8", True),
        ({"TERM": "linux", "LANG": "en_US.UTF-8"}, "UTF-8", False),
        ({"TERM": "dumb", "LANG": "en_US.UTF-8"}, "UTF-8", False),
        ({"LANG": "en_US.UTF-8"}, "UTF-8", False),  # no TERM at all
        ({"TERM": "xterm", "LANG": "en_US.UTF-8", "FOLLOWUP_ASCII": "1"}, "UTF-8", False),
    ],
)
def test_can_show_emoji(env: dict[str, str], encoding: str, expected: bool) -> None:
    assert can_show_emoji(env, encoding) is expected


def test_header_text_emoji_and_ascii() -> None:
    streak = Streak(current=12, best=20, at_risk=False, touches_today=3)
    fancy = header_text(streak, 5, 2, emoji=True)
    plain = header_text(streak, 5, 2, emoji=False)
    assert fancy == "🔥 12-day streak (best 20) · 3 logged today · 5 due today · 2 overdue"
    assert plain == "* 12-day streak (best 20) | 3 logged today | 5 due today | 2 overdue"
    assert plain.isascii()
    risky = header_text(Streak(4, 9, True, 0), 0, 0, emoji=False)
    assert risky.startswith("! 4-day streak at risk (best 9)")
    assert header_text(Streak(0, 0, False, 0), 0, 0, emoji=False).startswith("no streak yet")
    assert header_text(Streak(0, 7, False, 0), 0, 0, emoji=True).startswith("no streak (best 7)")


class _Form(App[None]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__()
        self.kwargs = kwargs
        self.changes: list[DateInput.Changed] = []

    def compose(self) -> ComposeResult:
        yield DateInput(today=TODAY, **self.kwargs)  # type: ignore[arg-type]

    def on_date_input_changed(self, event: DateInput.Changed) -> None:
        self.changes.append(event)


async def test_date_input_previews_and_reports_errors() -> None:
    app = _Form()
    async with app.run_test(size=(60, 6)) as pilot:
        field = app.query_one(DateInput)
        assert field.date is None and field.valid
        field.focus()
        await pilot.press(*"fri")
        await pilot.pause()
        assert field.date == TODAY + timedelta(days=3)
        assert field.preview == "Fri 27 Nov 2026 (in 3 days)"
        assert str(field.query_one(".date-input--preview").render()) == field.preview
        assert app.changes[-1].date == field.date
        await pilot.press("ctrl+u", *"yesterday")
        await pilot.pause()
        assert field.date is None and field.error and "past" in field.error
        assert field.has_class("-invalid")
        assert app.changes[-1].error == field.error
        await pilot.press("ctrl+u", *"someday")
        await pilot.pause()
        assert field.error and not field.valid


async def test_date_input_options() -> None:
    app = _Form(allow_past=True, allow_empty=False, value="yesterday")
    async with app.run_test(size=(60, 6)):
        field = app.query_one(DateInput)
        assert field.date == TODAY - timedelta(days=1)
        field.value = ""
        assert field.error == "enter a date"
        field.value = "3/12"
        assert field.date is not None and (field.date.month, field.date.day) == (12, 3)


async def test_streak_header_widget() -> None:
    class _Head(App[None]):
        def compose(self) -> ComposeResult:
            yield StreakHeader(emoji=False)

    app = _Head()
    async with app.run_test(size=(80, 3)) as pilot:
        head = app.query_one(StreakHeader)
        head.show(Streak(2, 2, True, 0), 1, 1)
        head.note = "today only (T)"
        await pilot.pause()
        assert head.has_class("-at-risk")
        assert head.text.startswith("today only (T) | ")  # the view first: never cut off
        head.show(Streak(3, 3, False, 1), 0, 0)
        await pilot.pause()
        assert not head.has_class("-at-risk")


def test_undo_stack_keeps_the_last_changes() -> None:
    stack = UndoStack(limit=2)
    assert not stack and stack.pop() is None
    for n in range(3):
        stack.push(Change(f"change {n}", "uid", None))
    assert len(stack) == 2
    assert stack.peek().label == "change 2"
    assert stack.pop().label == "change 2"
    assert stack.pop().label == "change 1"
    assert stack.pop() is None


def test_revert_puts_back_what_the_change_wrote_and_removes_the_touch(tmp_store: Env) -> None:
    store = tmp_store.store
    anna = tmp_store.contact("Anna Berg")
    touch, write = store.log_fields(
        Touch(contact_uid=anna.uid, at=NOW, channel="call", outcome="reached"),
        {"next_due": TODAY + timedelta(days=7), "heat": "warm"},
    )
    assert touch is not None
    assert revert(store, Change("logged", anna.uid, write.written, touch.uid)) == []
    other = tmp_store.other_store()
    assert replace(other.contact(anna.uid), field_stamps=()) == anna  # the undo is stamped
    assert [t.uid for t in other.touches(anna.uid)] == [t.uid for t in store.touches(anna.uid)]
    assert touch.uid not in {t.uid for t in other.touches()}


def test_revert_of_an_add_takes_the_contact_back(tmp_store: Env) -> None:
    uid = tmp_store.uid("Omar Diaz")
    revert(tmp_store.store, Change("added", uid, None))
    other = tmp_store.other_store()
    assert "Omar Diaz" not in {c.name for c in other.contacts(include_dropped=True)}
    assert len(other.contacts()) == 4


def test_revert_of_an_add_that_gained_touches_archives_it(tmp_store: Env) -> None:
    uid = tmp_store.uid("Omar Diaz")
    tmp_store.other_store().log_fields(
        Touch(contact_uid=uid, at=NOW, channel="email", outcome="waiting"), {}
    )
    revert(tmp_store.store, Change("added", uid, None))
    omar = tmp_store.other_store().contact(uid)
    assert (omar.status, omar.drop_reason) == ("dropped", UNDO_ADD_REASON)
    assert len(tmp_store.other_store().touches(uid)) == 1
