"""Escape then a letter, typed quickly, arrive as one read that Textual takes for
alt+letter (tui/escape_keys.py): the app reads them as the two keys that were typed."""

from __future__ import annotations

from textual import events
from textual._xterm_parser import XTermParser
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode

from tests.conftest import Env
from tests.tui.waiting import until
from tui.dashboard.screen import DashboardScreen
from tui.escape_keys import split_alt_key
from tui.modals.contact_form import ContactFormModal
from tui.modals.log_touch import LogTouchModal
from widgets.textual_compat import keep_alt_on_punctuation

SIZE = (80, 24)


def escape_then(app, character: str) -> None:
    """What Textual's parser makes of ESC and a character in one read."""
    key = f"alt+shift+{character.lower()}" if character.isupper() else f"alt+{character}"
    app.post_message(events.Key(key, character))


async def test_escape_then_t_leaves_the_form_and_logs(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ContactFormModal), "the form")
        name = app.screen.query_one("#field-name").value
        escape_then(app, "t")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        assert len(app.screen_stack) == 2  # the form is gone
        app.screen.dismiss(None)
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the board")
        assert app.store.contact(app.screen.current_contact.uid).name == name


async def test_escape_then_a_letter_clears_the_filter_and_moves(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"fis")
        escape_then(app, "t")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        assert app.screen_stack[0].query_one("#filter").value == ""


async def test_an_alt_key_the_app_binds_stays_itself(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"fis", "home")
        app.post_message(events.Key("alt+backspace", None))  # the field's: the word after
        await until(pilot, lambda: app.screen.query_one("#filter").value == "", "word deleted")
        assert app.screen.query_one("#filter").display  # no escape: the filter stays open


def test_only_an_alt_character_nothing_binds_is_split() -> None:
    typed = split_alt_key(events.Key("alt+shift+t", "T"), {})
    assert typed is not None and (typed.key, typed.character) == ("T", "T")
    slash = split_alt_key(events.Key("alt+slash", "/"), {})
    assert slash is not None and (slash.key, slash.character) == ("slash", "/")
    bound = {"alt+t": ActiveBinding(DOMNode(), Binding("alt+t", "x"), True)}
    assert split_alt_key(events.Key("alt+t", "t"), bound) is None
    assert split_alt_key(events.Key("t", "t"), {}) is None
    assert split_alt_key(events.Key("alt+up", None), {}) is None


def _read(data: str) -> list[tuple[str, str | None]]:
    """The keys Textual's parser makes of `data` arriving in one read."""
    parser = XTermParser()
    keys = [m for m in parser.feed(data) if isinstance(m, events.Key)]
    keys += [m for m in parser.feed("") if isinstance(m, events.Key)]  # the end of input
    return [(k.key, k.character) for k in keys]


def test_escape_then_a_punctuation_key_in_one_read_keeps_the_escape() -> None:
    keep_alt_on_punctuation()
    assert _read("\x1bt") == [("alt+t", "t")]
    assert _read("\x1b/") == [("alt+slash", "/")]  # Textual alone: ("slash", "/")
    assert _read("\x1b\x1b[A") == [("escape", "\x1b"), ("up", None)]


async def test_escape_then_slash_leaves_a_dialog_and_filters(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        app.post_message(events.Key("alt+slash", "/"))
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the board")
        await until(pilot, lambda: app.screen.query_one("#filter").has_focus, "the filter")
