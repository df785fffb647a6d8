"""The cycle collector through the dashboard's start-up (store/collector.py): paused by
`followup` before Textual is imported when the command opens the dashboard, and by the
app on load otherwise; running again once the first frame is out, with what start-up
built frozen. A quick command never pauses it; whoever turned it off turns it on."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from store.collector import pause_for_start, resume_after_start
from tests.conftest import Env
from tests.tui.waiting import idle, until
from widgets.heat_column import HeatColumn

SIZE = (80, 24)

# `followup ARGS` as the console script runs it (tui.entry.run), its `main` replaced by
# one that says whether the collector runs and whether Textual is imported yet.
PROBE = """
import gc, sys
import tui.entry as entry
def main():
    print(gc.isenabled(), "textual" in sys.modules)
    return 0
entry.main = main
sys.argv = ["followup", *sys.argv[1:]]
entry.run()
"""


@pytest.mark.parametrize(
    ("args", "enabled"),
    [([], False), (["review"], False), (["log", "anna"], True), (["today"], True)],
)
def test_only_the_dashboard_starts_with_the_collector_paused(
    args: list[str], enabled: bool
) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [str(enabled), "False"]  # decided before Textual loads


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as a test found it, whatever the test did to it."""
    enabled = gc.isenabled()
    try:
        yield
    finally:
        resume_after_start()
        (gc.enable if enabled else gc.disable)()


@pytest.mark.usefixtures("collector")
@pytest.mark.parametrize("paused_by_entry", [True, False])
async def test_the_collector_runs_again_after_the_first_frame(
    app_factory, tmp_store: Env, paused_by_entry: bool
) -> None:
    gc.enable()
    if paused_by_entry:
        pause_for_start()  # as tui.entry.run does
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, gc.isenabled, "the collector running again")
        await idle(pilot)
        assert gc.get_freeze_count() > 0  # what start-up built is not walked again
        column = app.screen.query_one("#col-hot", HeatColumn)
        assert [row.name for row in column.rows][:1] == ["Anna Berg"]  # the board is up


@pytest.mark.usefixtures("collector")
async def test_a_collector_turned_off_before_stays_off(app_factory, tmp_store: Env) -> None:
    gc.disable()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await idle(pilot)
        assert not gc.isenabled()
    assert not gc.isenabled()
