"""Pausing Python's cycle collector around bulk parsing (the engine's reads, the
dashboard's rows), and through the dashboard's start-up."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Without the cycle collector: parsing 50,000 records would run it dozens of times
    over objects that hold no cycles (a third of the time of a full read)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_paused_for_start = False  # `pause_for_start` paused it and nothing has resumed it


def pause_for_start() -> None:
    """No collection until the dashboard's first frame (`resume_after_start`). Start-up
    builds objects that live as long as the program: Textual's and followup's modules,
    the styles, the first screen, the store's records. Collecting among them before the
    first frame is wasted work (30-60 ms of CPU of the first screen of the heavy
    database, Textual's import most of it); `followup` pauses before importing Textual
    (tui.entry.run), the app on load otherwise."""
    global _paused_for_start
    if gc.isenabled():
        gc.disable()
        _paused_for_start = True


def resume_after_start() -> None:
    """The first frame is out (or the app ends first): what start-up built is frozen, so
    that later collections skip it, and the collector runs again. Nothing when the
    collector was off before start-up (whoever turned it off turns it on)."""
    global _paused_for_start
    if _paused_for_start:
        _paused_for_start = False
        gc.freeze()
        gc.enable()
