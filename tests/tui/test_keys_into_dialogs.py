"""Keys typed right after `t` go to the dialog it opens, not to the board (they
arrive together when typed fast: one read of the terminal holds them all): `t` waits
for its dialog before the app takes the next key."""

from __future__ import annotations

from textual import events

from tests.conftest import Env
from tests.tui.waiting import until
from tui.modals.log_touch import Choices, LogTouchModal

SIZE = (80, 24)


def type_at_once(app, keys: str) -> None:
    """Queue every key before the app handles the first, as a fast typist's do."""
    for key in keys:
        app.post_message(events.Key(key, key))


async def test_a_channel_typed_with_t_goes_to_the_log_dialog(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "te")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        await pilot.pause()
        assert app.screen.query_one(Choices).channel == "email"


async def test_keys_typed_together_keep_their_order(app_factory, tmp_store: Env) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "jte")  # down to Marco, then log an email with him
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        await pilot.pause()
        assert app.screen.contact.name == "Marco Rossi"
        assert app.screen.query_one(Choices).channel == "email"


async def test_t_and_a_are_letters_in_the_filter_line(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"tat")
        assert app.screen.query_one("#filter").value == "tat"
        assert len(app.screen_stack) == 1  # no dialog opened


# -- text typed right after the key that opens a dialog: into its focused field ----------


async def test_a_name_typed_with_a_goes_to_the_add_form(app_factory) -> None:
    from tui.modals.contact_form import ContactFormModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", *"Dave")
        await until(pilot, lambda: isinstance(app.screen, ContactFormModal), "the add form")
        await until(pilot, lambda: app.screen.query_one("#field-name").value == "Dave", "Dave")
        assert app.screen.query_one("#field-name").value == "Dave"


async def test_a_name_queued_with_a_goes_to_the_add_form(app_factory) -> None:
    from tui.modals.contact_form import ContactFormModal

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "aZoe")  # one read of the terminal
        await until(pilot, lambda: isinstance(app.screen, ContactFormModal), "the add form")
        await until(pilot, lambda: app.screen.query_one("#field-name").value == "Zoe", "Zoe")
        assert len(app.screen_stack) == 2  # Z (sample data) did nothing on the board


async def test_t_c_enter_typed_together_reach_the_log_dialog(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "c", "enter")
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        modal = app.screen
        assert modal.query_one(Choices).channel == "call"
        # enter reached the dialog: it saved, or it asked about the missing next step
        await until(
            pilot,
            lambda: (
                modal not in app.screen_stack or any("no next step" in text for text in _notes(app))
            ),
            "enter handled by the log dialog",
        )


async def test_t_c_enter_queued_together_reach_the_log_dialog(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key, character in (("t", "t"), ("c", "c"), ("enter", "\r")):
            app.post_message(events.Key(key, character))
        await until(pilot, lambda: isinstance(app.screen, LogTouchModal), "the log dialog")
        modal = app.screen
        await until(
            pilot,
            lambda: (
                modal not in app.screen_stack or any("no next step" in text for text in _notes(app))
            ),
            "enter handled by the log dialog",
        )
        assert modal.query_one(Choices).channel == "call"


def _notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_keys_typed_with_a_wait_for_a_slow_form(app_factory, monkeypatch) -> None:
    """A first form, on a loaded machine, took 1.7 s to open: the keys wait for it."""
    import time

    from tui.modals.contact_form import ContactFormModal

    compose = ContactFormModal.compose

    def slow_compose(self):
        time.sleep(2.5)  # the whole app held up, as by a busy machine
        yield from compose(self)

    monkeypatch.setattr(ContactFormModal, "compose", slow_compose)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "aZoe")
        await until(pilot, lambda: isinstance(app.screen, ContactFormModal), "the add form")
        await until(pilot, lambda: [f.value for f in app.screen.query("#field-name")] == ["Zoe"])
        assert len(app.screen_stack) == 2


# -- text typed right after `/`: into the filter line -----------------------------------


async def test_a_name_queued_with_slash_goes_to_the_filter(app_factory, tmp_store: Env) -> None:
    from tests.conftest import _contact

    tmp_store.store.add_many([_contact("Zoë Adler", "Adler AG", "hot", "Send the offer", 5)], [])
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.post_message(events.Key("slash", "/"))
        type_at_once(app, "zoe")  # one read of the terminal: "/zoe"
        await until(pilot, lambda: [f.value for f in app.screen.query("#filter")] == ["zoe"])
        await until(pilot, lambda: len(app.screen.columns.of("hot").rows) == 1, "filtered")
        assert app.screen.columns.of("hot").rows[0].contact.name == "Zoë Adler"
        assert len(app.screen_stack) == 1  # e (edit) opened nothing
        await pilot.press("enter", "n", "ctrl+u", *"Send the revised offer", "enter")
        await until(pilot, lambda: len(app.screen_stack) == 1 and not app.workers, "saved")
    zoe = tmp_store.other_store().contact(tmp_store.uid("Zoë Adler"))
    assert zoe.next_step == "Send the revised offer"


# -- keys a browser sends one by one: in the order typed ---------------------------------


async def test_a_key_the_board_took_keeps_its_place_before_a_later_key(
    app_factory, tmp_store: Env, monkeypatch
) -> None:
    """`t`, `e` and, while the dialog is still mounting, `enter` (keys a browser sends one
    by one over `followup web`): `e` went to the board's column before `t` opened the
    dialog, `enter` arrived after. The dialog takes `e` first, then `enter`: an email."""
    import asyncio

    from tui.modals.log_touch import LogTouchModal

    async def slow_mount(self) -> None:
        await asyncio.sleep(0.3)  # a loaded machine: the dialog is on the stack, not yet up

    monkeypatch.setattr(Choices, "on_mount", slow_mount, raising=False)
    anna = tmp_store.uid("Anna Berg")
    before = len(tmp_store.store.touches(anna))
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "te")
        await until(pilot, lambda: isinstance(app.screen_stack[-1], LogTouchModal), "pushed")
        app.post_message(events.Key("enter", "\r"))
        await until(pilot, lambda: len(app.screen_stack) == 1, "the dialog saved and closed")
        await until(pilot, lambda: _logged(tmp_store, anna) > before, "the touch written")
        touches = tmp_store.store.touches(anna)
        assert len(touches) == before + 1
        assert touches[-1].channel == "email"


async def test_a_key_arriving_while_one_is_on_its_way_back_waits_behind_it(
    app_factory, tmp_store: Env, monkeypatch
) -> None:
    """As above, but `enter` arrives once the dialog is up while `e` is still on its way
    back from the board's column (a busy board): `enter` waits for `e`."""
    import asyncio

    from tui.modals.log_touch import LogTouchModal
    from widgets.heat_column import HeatColumn

    async def slow_e(self, event: events.Key) -> None:
        if event.key == "e":
            await asyncio.sleep(0.5)

    monkeypatch.setattr(HeatColumn, "on_key", slow_e, raising=False)
    anna = tmp_store.uid("Anna Berg")
    before = len(tmp_store.store.touches(anna))
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_at_once(app, "te")
        await until(
            pilot,
            lambda: isinstance(app.screen, LogTouchModal) and app.screen.focused is not None,
            "the dialog up",
        )
        app.post_message(events.Key("enter", "\r"))
        await until(pilot, lambda: len(app.screen_stack) == 1, "the dialog saved and closed")
        await until(pilot, lambda: _logged(tmp_store, anna) > before, "the touch written")
        touches = tmp_store.store.touches(anna)
        assert len(touches) == before + 1
        assert touches[-1].channel == "email"


def _logged(env: Env, uid: str) -> int:
    env.store.sync()
    return len(env.store.touches(uid))
