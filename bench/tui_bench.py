"""Dashboard benchmarks on the heavy database (5,000 contacts, 50,000 touches).

    python bench/tui_bench.py [--rounds N] [--db PATH]

1. Time to first screen, side by side in one run: FollowupApp on the heavy database
   against a bare Textual app (Header, Footer, three empty OptionLists). Method: each
   app runs in a fresh subprocess (`--child`), headless at 80x24; the child notes the
   time when its script starts (before importing Textual or the store) and again
   when the first screen has been painted (`call_after_refresh` from the screen's
   mount), prints the difference and exits at once. The two apps alternate, several
   rounds; the medians and their ratio are printed (target: at most 1.5x).
2. Logging a touch with t, c, enter on the heavy database, in-process with Pilot:
   from pressing enter in the dialog to the end of the dashboard's redraw
   (`call_after_refresh` after the change), the median of several touches.
3. Moving the cursor (j) and moving a contact to another column (+), the same way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# -- children: one app each, print seconds to first paint -------------------------


def _child(kind: str, db: str) -> None:
    from textual.app import App

    def painted() -> None:
        print(f"{time.perf_counter() - START:.6f}", flush=True)
        os._exit(0)

    if kind == "bare":
        from textual.app import ComposeResult
        from textual.containers import Horizontal
        from textual.widgets import Footer, Header, OptionList

        class Bare(App[None]):
            CSS = "OptionList { width: 1fr; height: 1fr; }"

            def compose(self) -> ComposeResult:
                yield Header()
                with Horizontal():
                    yield OptionList()
                    yield OptionList()
                    yield OptionList()
                yield Footer()

            def on_mount(self) -> None:
                self.call_after_refresh(painted)

        app: App[None] = Bare()
    else:
        from store.clock import FixedClock
        from store.store import Store
        from tui.app import FollowupApp
        from tui.dashboard import DashboardScreen

        clock = FixedClock(_now())
        store = Store(db, clock=clock)
        original = DashboardScreen.on_mount

        def on_mount(screen: DashboardScreen) -> None:
            original(screen)
            screen.call_after_refresh(painted)

        DashboardScreen.on_mount = on_mount  # type: ignore[method-assign]
        app = FollowupApp(store=store, clock=clock)
    app.run(headless=True, size=(80, 24))


def _now():  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta, timezone

    return datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def first_screen(db: Path, rounds: int) -> tuple[float, float]:
    times: dict[str, list[float]] = {"bare": [], "dashboard": []}
    for _ in range(rounds):
        for kind in ("bare", "dashboard"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", kind, "--db", str(db)],
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            )
            times[kind].append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times["bare"]), statistics.median(times["dashboard"])


# -- in-process key timings --------------------------------------------------------


async def key_timings(db: Path, rounds: int) -> dict[str, float]:
    import asyncio

    from store.clock import FixedClock
    from store.store import Store
    from tui.app import FollowupApp
    from tui.dashboard import DashboardScreen

    clock = FixedClock(_now())
    store = Store(db, clock=clock)
    app = FollowupApp(store=store, clock=clock)
    results: dict[str, list[float]] = {"log": [], "j": [], "plus": []}

    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        for _ in range(100):  # let the history thread finish first
            await pilot.pause(0.05)
            if screen.markers_ready:
                break

        async def timed(name: str, *keys: str) -> None:
            done: list[float] = []
            start = time.perf_counter()
            await pilot.press(*keys)
            app.screen.call_after_refresh(lambda: done.append(time.perf_counter()))
            while not done:
                await asyncio.sleep(0.0005)
            results[name].append(done[0] - start)

        for _ in range(rounds):
            await pilot.press("t", "c")
            await pilot.pause()
            await timed("log", "enter")
            await timed("j", "j")
            contact = screen.current_contact
            await timed("plus", "minus" if contact and contact.heat == "hot" else "plus")
    return {name: statistics.median(values) for name, values in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", help="a heavy database (made with bench/make_db.py if absent)")
    parser.add_argument("--child", choices=["bare", "dashboard"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.db)
        return
    import asyncio

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "heavy.json"
        if not db.exists():
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "make_db.py"), str(db)], check=True
            )
        bare, dashboard = first_screen(db, args.rounds)
        print(f"first screen, median of {args.rounds} alternating subprocess runs at 80x24:")
        print(f"  bare Textual app (header, footer, 3 empty OptionLists): {bare * 1000:7.1f} ms")
        print(
            f"  followup dashboard, heavy database:                      {dashboard * 1000:7.1f} ms"
        )
        print(f"  ratio: {dashboard / bare:.2f}x (target <= 1.5x)")
        work = tempfile.mkdtemp(dir=tmp)
        copy = Path(work) / db.name
        copy.write_bytes(db.read_bytes())
        touches = db.with_name(f"{db.stem}.touches{db.suffix}")
        if touches.exists():
            copy.with_name(touches.name).write_bytes(touches.read_bytes())
        timings = asyncio.run(key_timings(copy, args.rounds))
        print(f"key to redraw on the heavy database, median of {args.rounds} (Pilot, in-process):")
        print(f"  t, c, enter -> touch logged and redrawn: {timings['log'] * 1000:7.1f} ms")
        print(f"  j (cursor down):                         {timings['j'] * 1000:7.1f} ms")
        print(f"  + / - (move to another column):          {timings['plus'] * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
