"""No text drawn in its own background colour, on any screen, at 256 and at 16 colours
and under NO_COLOR; and no due state told by colour alone.

Each screen is exported as the app composes it (tests/tui/colour_check.py) and every
run of text is compared with the colour behind it after both are brought down to the
terminal's palette: two true colours that differ can land on the same entry (a blue
label on a blue highlight, grey on grey)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.color import ColorSystem
from textual.screen import ModalScreen

from store.clock import FixedClock
from store.store import Store
from tests.conftest import NOW, TODAY, sample_contacts
from tests.factories import make_contact
from tests.tui.colour_check import invisible
from tests.tui.test_screens import screen_text
from tests.tui.waiting import until
from widgets.heat_column import HeatColumn

# The terminals: (name, the palette it gets, the app's 16-colour theme on, NO_COLOR set).
TERMINALS = {
    "256": (ColorSystem.EIGHT_BIT, False, False),
    "16": (ColorSystem.STANDARD, True, False),
    "no-color": (ColorSystem.EIGHT_BIT, False, True),
}

# Each kind of row on the board, highlighted: (column, row index, its due label's words).
ROWS = {
    "overdue": ("hot", 0, "2d overdue"),
    "today": ("hot", 1, "today"),
    "soon": ("warm", 0, "tomorrow"),
    "none": ("warm", 1, "no next step"),
    "later": ("cool", 0, "in 4w"),
}

# The other screens: the keys that open them from the board (the highlight on the first
# hot row) and the name of the screen they open.
SCREENS = {
    "contact": (["enter"], "ContactScreen"),
    "review": (["R"], "ReviewScreen"),
    "log": (["t"], "LogTouchModal"),
    "next-step": (["n"], "NextStepModal"),
    "drop": (["d"], "DropModal"),
    "add": (["a"], "ContactFormModal"),
    "help": (["question_mark"], "HelpScreen"),
    "stats": (["S"], "StatsScreen"),
    "settings": (["comma"], "SettingsScreen"),
    "archive": (["A"], "ArchiveScreen"),
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    clock = FixedClock(NOW)
    store = Store(tmp_path / "followup.json", clock=clock)
    gone = replace(
        make_contact(name="Old Lead", company="Acme", uid="uid-old-lead"),
        status="dropped",
        dropped_on=TODAY - timedelta(days=3),
        drop_reason="hired someone else",
    )
    store.add_many([*sample_contacts(), gone], [])
    yield store


def make_app(store: Store, terminal: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    from tui.app import FollowupApp

    _, sixteen, no_color = TERMINALS[terminal]
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return FollowupApp(store=store, clock=FixedClock(NOW), emoji=True, sixteen=sixteen)


def shows(app: Any, terminal: str) -> list[str]:
    """What is invisible on the active screen; for a dialog, inside the dialog (the
    screen behind it is faded on purpose)."""
    screen = app.screen
    within = []
    if isinstance(screen, ModalScreen):
        within = [child.region for child in screen.children if child.display]
    return invisible(app.export_screenshot(), TERMINALS[terminal][0], within)


@pytest.mark.parametrize("terminal", TERMINALS)
@pytest.mark.parametrize("kind", ROWS)
async def test_the_board_shows_every_highlighted_row(
    store: Store, terminal: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    heat, index, label = ROWS[kind]
    app = make_app(store, terminal, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        column = app.screen.query_one(f"#col-{heat}", HeatColumn)
        await until(pilot, lambda: column.option_count > index, "the rows")
        column.focus()
        column.highlighted = index
        await until(pilot, lambda: column.has_focus and column.highlighted == index, "highlight")
        await pilot.pause()
        assert shows(app, terminal) == []
        # The due state in words on the highlighted row, not by its colour alone.
        line = column.render_line(index * 2 + 1)
        assert label in line.text


@pytest.mark.parametrize("terminal", TERMINALS)
@pytest.mark.parametrize("screen", SCREENS)
async def test_every_screen_shows_all_its_text(
    store: Store, terminal: str, screen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys, name = SCREENS[screen]
    app = make_app(store, terminal, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        column = app.screen.query_one("#col-hot", HeatColumn)
        await until(pilot, lambda: column.option_count > 0, "the rows")
        await pilot.press(*keys)
        await until(pilot, lambda: type(app.screen).__name__ == name, name)
        await pilot.pause()
        if screen == "archive":  # the highlight on a dropped contact
            await until(pilot, lambda: "Old Lead" in screen_text(app), "archive rows")
        assert shows(app, terminal) == []
