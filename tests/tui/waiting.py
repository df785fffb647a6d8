"""Pilot tests wait on conditions, never on the clock: `until` lets the app run until
a predicate holds (failing after a bound), `idle` until every worker (the marker
thread, a dialog flow, a write waiting for the lock) has finished."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

BOUND = 20.0  # seconds: a loaded machine is slow, a broken feature never gets there


async def until(
    pilot: Any, check: Callable[[], object], what: str = "", bound: float = BOUND
) -> None:
    """Run the app until `check()` is true; fail (saying `what`) if it is not within `bound`."""
    deadline = time.monotonic() + bound
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what or check}")
        await pilot.pause()  # the app handles what is queued
        if not check():
            await asyncio.sleep(0.005)  # a thread's turn (the markers, a write)


async def idle(pilot: Any, bound: float = BOUND) -> None:
    """Until every worker has finished and the app has handled what they sent back."""
    await until(pilot, lambda: all(w.is_finished for w in pilot.app.workers), "idle", bound)
    await pilot.pause()


async def markers_read(pilot: Any) -> None:
    """Until the dashboard has the markers the thread read after the first paint."""
    await until(pilot, lambda: pilot.app.screen.board.markers_ready, "markers read")
    await pilot.pause()


def toasts(app: Any) -> list[str]:
    """The text of the notifications on the screen."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def palette_found(app: Any, typed: str) -> bool:
    """The command palette has highlighted a command that matches `typed`."""
    from textual.command import CommandList

    for found in app.screen.query(CommandList):
        index = found.highlighted
        if index is None or found.has_class("--populating"):
            continue
        prompt = found.get_option_at_index(index).prompt
        text = getattr(prompt, "plain", str(prompt))
        if all(word in text.casefold() for word in typed.casefold().split()):
            return True
    return False
