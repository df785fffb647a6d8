"""Pilot tests of the secondary screens and the drop dialog at 80x24.

Each screen is pushed by a tiny host App with a callback that records the dismissed
value; the tests press the real keys and check that value and the rendered text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import OptionList

from store.model import Contact, Settings, Touch
from store.rules.nudges import nudges_for
from store.rules.stats import ChannelStats, summarize
from store.rules.streak import Streak
from tests.factories import TODAY, at, make_contact, make_touch
from tests.paths import ROOT
from tui.modals.drop import DropModal
from tui.screens.archive import ArchiveScreen
from tui.screens.contact import ContactScreen
from tui.screens.help import HelpScreen
from tui.screens.stats import StatsScreen
from widgets.timeline import Timeline

SIZE = (80, 24)
CSS = ROOT / "tui" / "screens.tcss"
HOSTILE = "Sent the deck \x1b[2J\x1b]0;pwned\x07 then waited"

NOT_DISMISSED = object()


class Host(App[None]):
    """Pushes one screen and records what it dismisses with."""

    CSS_PATH = [CSS]

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)

    @property
    def result(self) -> Any:
        return self.results[-1] if self.results else NOT_DISMISSED


def screen_text(app: App[Any]) -> str:
    """The active screen as text: each visible widget's rendered lines painted at its
    place on the screen (parents first, so children draw over them)."""
    width, height = app.size
    canvas = [[" "] * width for _ in range(height)]
    for widget in app.screen.query("*"):
        region = widget.region
        if not widget.display or not region.area:
            continue
        strips = widget.render_lines(Region(0, 0, region.width, region.height))
        for dy, strip in enumerate(strips):
            y = region.y + dy
            if not 0 <= y < height:
                continue
            for dx, char in enumerate(strip.text[: region.width]):
                if 0 <= region.x + dx < width:
                    canvas[y][region.x + dx] = char
    return "\n".join("".join(row).rstrip() for row in canvas)


def anna() -> tuple[Contact, list[Touch]]:
    contact = make_contact(
        name="Anna Berg",
        company="Acme Corp",
        role="Head of Sales",
        heat="hot",
        goal="Book a demo of the platform",
        channel="email",
        email="anna@acme.test",
        phone="+46 70 123 45 67",
        value=12000.0,
        tags=("saas", "nordics"),
        next_step="Send the pricing deck",
        next_due=TODAY - timedelta(days=3),
    )
    touches = [
        make_touch(contact=contact, at=at(TODAY - timedelta(days=4 * i)), note=note)
        for i, note in enumerate([HOSTILE, "", "Asked for a case study", ""])
    ]
    touches.append(
        make_touch(
            contact=contact,
            at=at(TODAY - timedelta(days=40)),
            channel="call",
            outcome="reached",
            note="Good first call",
        )
    )
    return contact, touches


def contact_screen() -> ContactScreen:
    contact, touches = anna()
    nudges = nudges_for(contact, touches, Settings(), TODAY)
    return ContactScreen(contact, touches, nudges, summarize(touches), TODAY)


# -- contact screen -------------------------------------------------------------------


async def test_contact_screen_shows_goal_nudges_numbers_and_history() -> None:
    app = Host(contact_screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "Anna Berg" in text
    assert "Head of Sales, Acme Corp" in text
    assert "Book a demo of the platform" in text
    assert "Send the pricing deck" in text
    assert "3d overdue (Sat 21 Nov)" in text
    assert "4 unanswered emails in a row: try a call instead." in text
    assert "5 touches" in text
    assert "last reply Thu 15 Oct" in text
    assert "4 unanswered in a row" in text
    assert "anna@acme.test" in text
    assert "value 12,000" in text
    assert "Asked for a case study" in text
    assert "Tue 24 Nov" in text
    assert "Sent the deck  then waited" in text
    assert app.result is NOT_DISMISSED


async def test_contact_screen_shows_hostile_note_without_escape_bytes() -> None:
    app = Host(contact_screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        svg = app.export_screenshot()
    assert "Sent the deck" in text
    for bad in ("\x1b", "\x07", "[2J", "pwned"):
        assert bad not in text
        assert bad not in svg


async def test_contact_screen_names_a_missing_goal_and_next_step() -> None:
    contact = make_contact(name="Bo", goal="", next_step="", next_due=None)
    nudges = nudges_for(contact, [], Settings(), TODAY)
    app = Host(lambda: ContactScreen(contact, [], nudges, summarize([]), TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "no goal set" in text
    assert "no next step" in text
    assert "No next step: set one so this contact is not lost." in text
    assert "No touches yet: press t to log the first one." in text
    assert "last reply never" in text


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("t", "log"),
        ("n", "next"),
        ("s", "snooze"),
        ("d", "drop"),
        ("e", "edit"),
        ("escape", None),
        ("q", None),
    ],
)
async def test_contact_screen_keys_dismiss_with_the_action(key: str, expected: str | None) -> None:
    app = Host(contact_screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert app.result == expected
        assert not isinstance(app.screen, ContactScreen)


async def test_timeline_is_one_virtualised_list_newest_first() -> None:
    contact = make_contact(name="Busy")
    touches = [
        make_touch(contact=contact, at=at(TODAY - timedelta(days=i)), note=f"note {i}")
        for i in range(3000)
    ]
    app = Host(lambda: ContactScreen(contact, touches, [], summarize(touches), TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        assert timeline.option_count == 3000
        assert len(timeline.children) == 0
        assert timeline.get_option_at_index(0).id == touches[0].uid
        await pilot.press("end")
        await pilot.pause()
        assert timeline.highlighted == 2999
        assert "note 2999" in screen_text(app)


# -- drop dialog ------------------------------------------------------------------------


def drop_modal() -> DropModal:
    contact, touches = anna()
    return DropModal(contact, summarize(touches))


async def test_drop_dialog_shows_the_history_that_matters() -> None:
    app = Host(drop_modal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "Stop following up with Anna Berg?" in text
    assert "5 touches, the last on Tue 24 Nov 2026." in text
    assert "Last reply: Thu 15 Oct 2026." in text
    assert "4 unanswered in a row." in text
    assert "Value: 12,000." in text
    assert "Nothing is deleted" in text
    assert "restore it there with A" in text
    for label in ("y Stop (archive)", "c Cool down instead", "n Keep"):
        assert label in text


@pytest.mark.parametrize(
    ("key", "expected"), [("y", "stop"), ("c", "cool"), ("n", None), ("escape", None)]
)
async def test_drop_dialog_keys(key: str, expected: str | None) -> None:
    app = Host(drop_modal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert app.result == expected
        assert not isinstance(app.screen, DropModal)


@pytest.mark.parametrize(
    ("button", "expected"), [("#drop-stop", "stop"), ("#drop-cool", "cool"), ("#drop-keep", None)]
)
async def test_drop_dialog_buttons(button: str, expected: str | None) -> None:
    app = Host(drop_modal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click(button)
        await pilot.pause()
        assert app.result == expected


async def test_drop_dialog_does_not_offer_cooling_a_cool_contact() -> None:
    contact, touches = anna()
    cool = replace(contact, heat="cool")
    app = Host(lambda: DropModal(cool, summarize(touches)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Cool down instead" not in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, DropModal), "c does nothing here"
        await pilot.press("y")
        await pilot.pause()
        assert app.result == "stop"


async def test_drop_dialog_enter_on_the_default_button_keeps() -> None:
    app = Host(drop_modal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [None]


async def test_drop_dialog_without_touches_or_value() -> None:
    contact = make_contact(name="New Person")
    app = Host(lambda: DropModal(contact, summarize([])))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "No touches logged yet." in text
    assert "Never replied." in text
    assert "No value set." in text


# -- archive ----------------------------------------------------------------------------


def dropped_contacts() -> list[Contact]:
    return [
        replace(
            make_contact(name=name, company=company, uid=f"uid-{name}"),
            status="dropped",
            dropped_on=TODAY - timedelta(days=days),
            drop_reason=reason,
        )
        for name, company, days, reason in [
            ("Old Lead", "", 200, "went quiet \x1b[31mred"),
            ("Recent Lead", "Acme", 2, "hired someone else"),
            ("Middle Lead", "Beta", 30, ""),
        ]
    ]


async def test_archive_lists_dropped_contacts_most_recent_first() -> None:
    app = Host(lambda: ArchiveScreen(dropped_contacts(), TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert ids == ["uid-Recent Lead", "uid-Middle Lead", "uid-Old Lead"]
    assert "Archive (3)" in text
    assert "Recent Lead  Acme" in text
    assert "dropped Sun 22 Nov  hired someone else" in text
    assert "dropped Fri 8 May  went quiet red" in text
    assert "\x1b" not in text


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["enter"], "uid-Recent Lead"),
        (["down", "enter"], "uid-Middle Lead"),
        (["down", "down", "r"], "uid-Old Lead"),
        (["r"], "uid-Recent Lead"),
        (["escape"], None),
    ],
)
async def test_archive_restores_the_chosen_contact(keys: list[str], expected: str | None) -> None:
    app = Host(lambda: ArchiveScreen(dropped_contacts(), TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        assert app.results == [expected]


async def test_archive_empty_state_is_friendly_and_restores_nothing() -> None:
    app = Host(lambda: ArchiveScreen([], TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        await pilot.press("r", "enter")
        await pilot.pause()
        assert app.result is NOT_DISMISSED
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
    assert "The archive is empty." in text
    assert "lands here" in text


# -- stats and help ---------------------------------------------------------------------


CHANNELS = [
    ChannelStats("call", 24, 15),
    ChannelStats("email", 40, 10),
    ChannelStats("text", 5, 4),
    ChannelStats("meeting", 3, 3),
    ChannelStats("letter", 0, 0),
    ChannelStats("social", 2, 0),
    ChannelStats("other", 0, 0),
]


async def test_stats_shows_rates_bars_and_the_streak() -> None:
    app = Host(lambda: StatsScreen(CHANNELS, Streak(5, 12, True, 0)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
    assert "call         24        15    62%  43-79%  ########...." in text
    assert "email        40        10    25%  14-40%  ###........." in text
    assert "letter        0         0      -       -" in text
    assert "all          74        32    43%  33-55%" in text
    # 4 of 5 texts and 3 of 3 meetings prove nothing: no range clears the others'.
    assert "Best channel: too few to tell" in text
    assert "Best so far" not in text
    assert "Current streak: 5 days" in text
    assert "Best streak: 12 days" in text
    assert "At risk: log a touch today" in text


async def test_stats_names_a_channel_whose_range_clears_the_others() -> None:
    channels = [ChannelStats("call", 60, 45), ChannelStats("email", 60, 10)]
    app = Host(lambda: StatsScreen(channels, Streak(0, 0, False, 0)))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "Best channel: call, answered 63-84% of the time" in text
    assert "call         60        45    75%  63-84%  #########..." in text


async def test_stats_without_touches() -> None:
    empty = [ChannelStats(c.channel, 0, 0) for c in CHANNELS]
    app = Host(lambda: StatsScreen(empty, Streak(0, 0, False, 0)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "No streak going" in text
    assert "too few to tell" in text
    assert not any(line.strip().startswith("all") for line in text.split("\n"))


HELP_KEYS = [
    ("t", "log a touch"),
    ("d", "drop (asks first)"),
    ("A", "the archive"),
    ("ctrl+p", "command palette"),
]


@pytest.mark.parametrize("key", ["escape", "question_mark"])
async def test_help_lists_keys_and_explains_cadence(key: str) -> None:
    app = Host(lambda: HelpScreen(HELP_KEYS))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [None]
    for shortcut, description in HELP_KEYS:
        # The key, then its description on the same line.
        pattern = rf"(^|\s){re.escape(shortcut)}\s+{re.escape(description)}"
        assert re.search(pattern, text, re.MULTILINE), shortcut
    assert "t, then a channel letter, then enter: saved." in text
    assert "c call  e email  x text" in text
    assert "hot  every week:" in text
    assert "every 75 days" in text


async def test_help_gives_the_users_own_cadence() -> None:
    app = Host(lambda: HelpScreen(HELP_KEYS, {"hot": 5, "warm": 14, "cool": 60}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "every 5 days" in text and "every 2 weeks" in text and "every 60 days" in text
