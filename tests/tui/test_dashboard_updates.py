"""The dashboard updates one row per change and keeps the touch histories it read in a
thread in step with the store: after any sequence of changes, what it shows is what a
fresh read of the store would show."""

from __future__ import annotations

import random
from datetime import timedelta

from store.model import HEATS, Contact, Touch
from store.rules.cadence import column_order
from tests.conftest import CREATED, NOW, TODAY, Env
from tests.tui.waiting import markers_read, until
from tui.dashboard.screen import DashboardScreen
from widgets.heat_column import HeatColumn

SIZE = (80, 24)


def dashboard(app) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


async def settle(pilot) -> None:
    await markers_read(pilot)


async def all_rows_drawn(pilot) -> None:
    """Wait for the rows a long column adds right after a paint (HeatColumn.set_rows
    draws the first FIRST_ROWS at once, the rest after the next refresh)."""
    columns = list(pilot.app.screen.query(HeatColumn).results(HeatColumn))
    await until(pilot, lambda: all(c.option_count == max(1, len(c.rows)) for c in columns))


def assert_columns_match_the_store(app, env: Env) -> None:
    fresh = env.other_store()
    active = fresh.contacts()
    for heat in HEATS:
        column = app.screen.query_one(f"#col-{heat}", HeatColumn)
        expected = column_order([c for c in active if c.heat == heat], TODAY, fresh.settings)
        assert [row.contact for row in column.rows] == expected, heat
        assert column.option_count == max(1, len(expected))
        assert column.border_title == f"{heat.upper()} {len(expected)}"


def add_many(env: Env, count: int, seed: int) -> None:
    rng = random.Random(seed)
    contacts = [
        Contact(
            name=f"Person {rng.randint(0, 99):02d}",
            heat=rng.choice(HEATS),
            next_step="Send the proposal",
            next_due=rng.choice([None, *(TODAY + timedelta(days=d) for d in range(-20, 40))]),
            created_at=CREATED,
            updated_at=CREATED,
        )
        for _ in range(count)
    ]
    env.store.add_many(contacts)


async def test_moves_and_next_steps_keep_every_column_in_order(app_factory, tmp_store) -> None:
    add_many(tmp_store, 60, seed=3)
    app = app_factory()
    rng = random.Random(7)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await all_rows_drawn(pilot)
        assert_columns_match_the_store(app, tmp_store)
        for _ in range(12):
            await pilot.press(*rng.choice([["j"], ["j", "j"], ["l"], ["k"]]))
            await pilot.press(rng.choice(["plus", "minus", "s"]))
            if isinstance(app.screen, DashboardScreen):
                continue
            await pilot.press("enter")  # snooze to the suggested date
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
        await pilot.pause()
        await all_rows_drawn(pilot)
        assert_columns_match_the_store(app, tmp_store)
        while dashboard(app).undo_stack:
            await pilot.press("u")
        await pilot.pause()
        await all_rows_drawn(pilot)
        assert_columns_match_the_store(app, tmp_store)


async def test_the_histories_follow_touches_logged_and_undone(app_factory, tmp_store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        anna = tmp_store.uid("Anna Berg")
        assert screen.board.histories[anna] == tmp_store.other_store().touches(anna)
        await pilot.press("t", "c", "enter", "enter")
        await pilot.pause()
        fresh = tmp_store.other_store().touches(anna)
        assert len(fresh) == 3
        assert screen.view.history(anna) == fresh
        await pilot.press("u")
        await pilot.pause()
        assert screen.view.history(anna) == tmp_store.other_store().touches(anna)
        assert len(screen.view.history(anna)) == 2


async def test_a_touch_logged_elsewhere_reaches_the_histories(app_factory, tmp_store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        omar = tmp_store.uid("Omar Diaz")
        assert screen.view.history(omar) == []
        tmp_store.other_store().log_fields(
            Touch(contact_uid=omar, at=NOW, channel="email", outcome="waiting"), {}
        )
        await until(
            pilot, lambda: screen.board.markers_ready and screen.view.history(omar), "the poll"
        )
        assert [t.channel for t in screen.view.history(omar)] == ["email"]
        assert screen.board.histories.get(omar) in (None, screen.view.history(omar))
