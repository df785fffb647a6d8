"""A database the dashboard can't use is a screen that says what is wrong and what to
run, not an empty board with a toast; a swap under an open dashboard is noticed by its
poll, and the board comes back once the files are put right."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Static

from tests.conftest import Env
from tui.dashboard.screen import POLL_SECONDS, DashboardScreen
from tui.screens.unusable import UnusableScreen

SIZE = (80, 24)


async def until(done: Callable[[], bool], timeout: float = 15.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


def shown_text(app: Any) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def unusable_shown(app: Any) -> bool:
    """The screen is up and drawn (its text composed), not only pushed."""
    return isinstance(app.screen, UnusableScreen) and "followup check" in shown_text(app)


def rows(app: Any) -> int:
    screen = app.screen
    return len(screen.board.contacts) if isinstance(screen, DashboardScreen) else -1


def swap_in(journal: Path, data: bytes) -> None:
    """Another program renames a file over the journal (a sync tool, a restore)."""
    other = journal.with_name("incoming.tmp")
    other.write_bytes(data)
    os.replace(other, journal)


async def test_a_journal_damaged_before_start_is_a_screen_naming_it_and_what_to_run(
    tmp_store: Env, app_factory: Callable[..., Any]
) -> None:
    journal = tmp_store.store.touches_path
    kept = journal.read_bytes()
    store = tmp_store.other_store()
    swap_in(journal, b"this is not a journal\n")
    app = app_factory(store)
    async with app.run_test(size=SIZE) as pilot:
        assert await until(lambda: unusable_shown(app))
        text = shown_text(app)
        assert "followup check" in text and str(journal) in text
        assert "No contacts" not in text
        swap_in(journal, kept)  # put back: `r` tries again and the board returns
        await pilot.press("r")
        assert await until(lambda: rows(app) == 5)
        assert isinstance(app.screen, DashboardScreen)


async def test_a_journal_swapped_under_the_dashboard_is_noticed_by_its_poll(
    tmp_store: Env, app_factory: Callable[..., Any]
) -> None:
    journal = tmp_store.store.touches_path
    kept = journal.read_bytes()
    app = app_factory(tmp_store.other_store())
    async with app.run_test(size=SIZE):
        assert await until(lambda: rows(app) == 5)
        swap_in(journal, b'{"garbage": true}\n')
        swapped = time.monotonic()
        assert await until(lambda: unusable_shown(app))
        noticed = time.monotonic() - swapped
        assert POLL_SECONDS <= 1.0  # a poll a second: noticed within 2 s on an idle machine
        assert noticed < 5.0, f"noticed after {noticed:.1f} s"
        assert "followup check" in shown_text(app)
        swap_in(journal, kept)  # the screen tries again on its own and goes
        assert await until(lambda: rows(app) == 5)


async def test_a_fifo_swapped_in_for_the_journal_is_the_screen_not_a_hang(
    tmp_store: Env, app_factory: Callable[..., Any]
) -> None:
    journal = tmp_store.store.touches_path
    app = app_factory(tmp_store.other_store())
    async with app.run_test(size=SIZE):
        assert await until(lambda: rows(app) == 5)
        journal.unlink()
        os.mkfifo(journal)
        assert await until(lambda: unusable_shown(app))
        assert "is a pipe" in shown_text(app)


async def test_a_journal_removed_before_start_is_the_screen_not_an_empty_history(
    tmp_store: Env, app_factory: Callable[..., Any]
) -> None:
    store = tmp_store.other_store()
    tmp_store.store.touches_path.unlink()
    app = app_factory(store)
    async with app.run_test(size=SIZE):
        assert await until(lambda: unusable_shown(app), timeout=5)
