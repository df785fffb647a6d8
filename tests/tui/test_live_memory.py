"""A dashboard that runs all day: changes made by other processes, and screens opened
and closed, leave no memory or open file behind."""

from __future__ import annotations

import gc
import os
import weakref
from datetime import timedelta

import tui.screens.stats as stats_module
from store.model import Touch
from tests.conftest import NOW, Env
from tests.tui.waiting import idle, markers_read
from tui.dashboard.screen import DashboardScreen

SIZE = (80, 24)


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_store_is_freed_by_its_last_reference(tmp_store: Env) -> None:
    """No reference cycle: a Store goes as soon as nothing refers to it, collector or not."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        store = tmp_store.other_store()
        store.contacts()
        store.touches()
        with store.transaction():
            store.update_fields(tmp_store.uid("Anna Berg"), {"goal": "Pilot"})
        ref = weakref.ref(store)
        del store
        assert ref() is None
    finally:
        if enabled:
            gc.enable()


async def test_twenty_external_changes_leave_no_descriptor_or_frozen_object(
    app_factory, tmp_store: Env
) -> None:
    """What the first full read built (the rows, the histories) lives as long as the
    dashboard: once the markers are read it is frozen (a full collection would walk it
    again every time, 80-130 ms on the heavy database); no later change freezes more."""
    other = tmp_store.other_store()
    anna = tmp_store.uid("Anna Berg")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await markers_read(pilot)
        await idle(pilot)
        history = screen.board.histories[anna]
        rows = screen.columns.of(screen.board.contacts[anna].heat).rows
        walked = {id(o) for o in gc.get_objects()}  # the generations the collector walks
        assert id(history) not in walked and id(rows[0]) not in walked
        del walked, history, rows

        async def external(n: int) -> None:
            other.log_fields(Touch(contact_uid=anna, at=NOW - timedelta(minutes=n), channel="email",
                      outcome="waiting", note=f"elsewhere {n}"), {})  # fmt: skip
            screen.poll()
            await idle(pilot)

        await external(0)
        descriptors, frozen = open_descriptors(), gc.get_freeze_count()
        for n in range(1, 21):
            await external(n)
        assert len(screen.view.history(anna)) == 2 + 21  # it did see every change
        assert open_descriptors() <= descriptors + 2
        assert gc.get_freeze_count() <= frozen


async def test_stats_screens_closed_are_released(app_factory, tmp_store: Env, monkeypatch) -> None:
    alive: weakref.WeakSet[object] = weakref.WeakSet()
    real_init = stats_module.StatsScreen.__init__

    def tracked(self, *args, **kwargs) -> None:
        real_init(self, *args, **kwargs)
        alive.add(self)

    monkeypatch.setattr(stats_module.StatsScreen, "__init__", tracked)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        for _ in range(10):
            await pilot.press("S")
            await pilot.pause()
            assert isinstance(app.screen, stats_module.StatsScreen)
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await idle(pilot)
        gc.collect()
        assert len(alive) <= 1
