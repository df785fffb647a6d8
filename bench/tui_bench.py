"""Dashboard benchmarks on the heavy database (5,000 contacts, 50,000 touches).

    python bench/tui_bench.py [--rounds N] [--db PATH] [--first-only | --keys-only]
                              [--against CHECKOUT]

1. First screen, side by side in one run: FollowupApp on the heavy database against a
   bare Textual app (Header, Footer, three empty OptionLists). Each app runs in a fresh
   subprocess (`--child`), headless at 80x24. The child notes the time when its script
   starts (before importing Textual or the store; the dashboard's child then starts as
   `followup` does, tui.entry.run: the cycle collector paused until the first frame,
   store/collector.py), then
   - "first frame": when the first frame has been composed and handed to the driver
     (the end of the app's first `_display` call; headless, so nothing is written; the
     process's CPU time then is noted too: on a busy machine it moves less), and
   - "after refresh": when the callbacks scheduled with `call_after_refresh` from the
     screen's mount have run (work queued for "right after the first paint" included).
   The two apps alternate, several rounds; medians and ratios (target: at most 1.5x).
   With --against, the dashboard of another checkout (an older commit, say) runs in the
   same alternation, started by that checkout's own copy of this bench.
   Both start from compiled bytecode, as an installed app does (pip compiles it at
   install): the children write and read it in a cache folder of their own
   (PYTHONPYCACHEPREFIX, even where PYTHONDONTWRITEBYTECODE is set), filled by one
   unmeasured run of each first. Without it every start compiled followup's ~130
   modules from source (Textual's own came compiled from site-packages): 2.2x.
2. Key to redraw, in-process with Pilot on a copy of the heavy database. For each key the
   bench notes the main thread's CPU time (`time.thread_time`, so Pilot's sleeps and the
   history thread do not count) and the wall time just before the key is sent, and again
   at the end of the first frame drawn after it ("first frame": what the user waits for)
   and of the last frame before the app falls idle ("all work": everything the key set
   off, e.g. rows added after the paint). Medians over the rounds; the baseline is the same
   measurement of `j` on a bare OptionList of 5,000 two-line rows, run in the same process.
   "ours" is the part of that CPU spent in our own code (every method of the classes in
   tui/ and widgets/, with the store calls they make), measured in a second run with
   timing wrappers; the rest is Textual's own layout, styling and rendering.
   Target: our work per key within about one frame budget (16 ms).
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
from typing import Any

START = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FRAME_BUDGET_MS = 16.0


# -- children: one app each, print seconds to first frame and after refresh ------------


def _child(kind: str, db: str) -> None:
    marks: dict[str, float] = {}

    def painted() -> None:
        marks.setdefault("after", time.perf_counter() - START)
        print(f"{marks['first']:.6f} {marks['after']:.6f} {marks['cpu']:.6f}", flush=True)
        os._exit(0)

    if kind == "bare":
        from textual.app import App, ComposeResult
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
        # As `followup` starts (tui.entry.run), before anything of the store or Textual
        # is imported for the dashboard.
        from store.collector import pause_for_start
        from tui.entry import DASHBOARD, command_word

        if command_word([]) in DASHBOARD:
            pause_for_start()

        from textual.app import App

        from store.clock import FixedClock
        from store.store import Store
        from tui.app import FollowupApp
        from tui.dashboard.screen import DashboardScreen

        clock = FixedClock(_now())
        store = Store(db, clock=clock)
        original = DashboardScreen.on_mount

        def on_mount(screen: DashboardScreen) -> None:
            original(screen)
            screen.call_after_refresh(painted)

        DashboardScreen.on_mount = on_mount  # type: ignore[method-assign]
        app = FollowupApp(store=store, clock=clock)

    display = app._display

    def first_frame(screen: Any, update: Any) -> None:
        display(screen, update)
        if update is not None and "first" not in marks:
            marks["first"] = time.perf_counter() - START
            marks["cpu"] = time.process_time()  # the whole process's, from its start

    app._display = first_frame  # type: ignore[method-assign]
    app.run(headless=True, size=(80, 24))


def _now():  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta, timezone

    return datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def first_screen(db: Path, rounds: int, against: Path | None = None) -> dict[str, dict[str, float]]:
    """Medians of the first-frame marks of each app, alternating; with `against` (another
    checkout of followup), its dashboard too, started by its own copy of this bench."""
    runs = {"bare": (ROOT, "bare"), "dashboard": (ROOT, "dashboard")}
    if against is not None:
        runs["against"] = (against, "dashboard")
    times: dict[str, dict[str, list[float]]] = {
        name: {"first": [], "after": [], "cpu": []} for name in runs
    }
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for measured in [False] + [True] * rounds:  # the first run of each compiles
            for name, (root, kind) in runs.items():
                out = subprocess.run(
                    [sys.executable, str(root / "bench" / "tui_bench.py"), "--child", kind,
                     "--db", str(db)],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=120,
                    env=env,
                    cwd=root,
                )  # fmt: skip
                if not measured:
                    continue
                first, after, cpu = out.stdout.strip().splitlines()[-1].split()
                times[name]["first"].append(float(first))
                times[name]["after"].append(float(after))
                times[name]["cpu"].append(float(cpu))
    return {
        name: {mark: statistics.median(values) for mark, values in found.items()}
        for name, found in times.items()
    }


# -- in-process key timings --------------------------------------------------------


# Tiny methods Textual calls once per option (5,000 times): timing them would cost more
# than they do.
CONSTANT_TIME = frozenset({"get_height", "get_optimal_width"})


class Ours:
    """Main-thread CPU spent inside our own code (the classes of tui/ and widgets/, and
    whatever they call, the store included), as opposed to Textual's own work."""

    spent = 0.0
    _depth = 0
    store = 0.0  # the part of it inside the Store (reads, and writes with their fsyncs)
    _store_depth = 0

    @classmethod
    def instrument(cls) -> None:
        import importlib
        import inspect
        import pkgutil

        from store.store import Store

        cls._wrap_store(Store)

        for package in ("tui", "widgets"):
            root = importlib.import_module(package)
            for info in pkgutil.walk_packages(root.__path__, f"{package}."):
                if info.name.startswith("tui.cli"):
                    continue
                module = importlib.import_module(info.name)
                for _, klass in inspect.getmembers(module, inspect.isclass):
                    if klass.__module__ == info.name:
                        cls._wrap_class(klass)

    @classmethod
    def _wrap_class(cls, klass: type) -> None:
        import functools
        import inspect

        for name, function in list(vars(klass).items()):
            if not inspect.isfunction(function) or inspect.iscoroutinefunction(function):
                continue
            if name in CONSTANT_TIME:
                continue

            def timed(*args: Any, __function: Any = function, **kwargs: Any) -> Any:
                if cls._depth:
                    return __function(*args, **kwargs)
                cls._depth += 1
                start = time.thread_time()
                try:
                    return __function(*args, **kwargs)
                finally:
                    cls._depth -= 1
                    cls.spent += time.thread_time() - start

            setattr(klass, name, functools.wraps(function)(timed))

    @classmethod
    def _wrap_store(cls, klass: type) -> None:
        import functools
        import inspect

        for name, function in list(vars(klass).items()):
            if not inspect.isfunction(function) or name == "transaction":
                continue

            def timed(*args: Any, __function: Any = function, **kwargs: Any) -> Any:
                if cls._store_depth:
                    return __function(*args, **kwargs)
                cls._store_depth += 1
                start = time.thread_time()
                try:
                    return __function(*args, **kwargs)
                finally:
                    cls._store_depth -= 1
                    cls.store += time.thread_time() - start

            setattr(klass, name, functools.wraps(function)(timed))


class Frames:
    """Notes (wall, thread CPU, CPU in our code) at the end of every frame the app draws."""

    def __init__(self, app: Any) -> None:
        self.seen: list[tuple[float, float, float, float]] = []
        display = app._display

        def noted(screen: Any, update: Any) -> None:
            display(screen, update)
            if update is not None:
                now = (time.perf_counter(), time.thread_time(), Ours.spent, Ours.store)
                self.seen.append(now)

        app._display = noted

    async def press(self, pilot: Any, key: str) -> Timing | None:
        """(cpu to first frame, wall to first frame, cpu to last frame, cpu in our code
        to the first frame, the store's part of it, cpu in our code to the last frame)
        in ms, or None if the key drew nothing."""
        await pilot.pause(0.05)  # start from an idle app
        self.seen.clear()
        wall, cpu, ours, store = time.perf_counter(), time.thread_time(), Ours.spent, Ours.store
        await pilot.press(key)
        await pilot.pause(0.15)
        if not self.seen:
            return None
        first, last = self.seen[0], self.seen[-1]
        return (
            (first[1] - cpu) * 1000,
            (first[0] - wall) * 1000,
            (last[1] - cpu) * 1000,
            (first[2] - ours) * 1000,
            (first[3] - store) * 1000,
            (last[2] - ours) * 1000,
        )


Timing = tuple[float, float, float, float, float, float]


async def bare_baseline(rounds: int) -> list[Timing]:
    from textual.app import App, ComposeResult
    from textual.widgets import OptionList

    class BareList(App[None]):
        CSS = "OptionList { height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield OptionList(*(f"Contact {n}\n  in {n % 30}d · a next step" for n in range(5000)))

    app = BareList()
    found = []
    async with app.run_test(size=(80, 24)) as pilot:
        frames = Frames(app)
        await pilot.pause(0.2)
        for _ in range(rounds):
            timing = await frames.press(pilot, "down")
            if timing:
                found.append(timing)
    return found


async def key_timings(db: Path, rounds: int) -> dict[str, list[Timing]]:
    from store.clock import FixedClock
    from store.store import Store
    from tui.app import FollowupApp
    from tui.dashboard.screen import DashboardScreen

    clock = FixedClock(_now())
    store = Store(db, clock=clock)
    app = FollowupApp(store=store, clock=clock)
    results: dict[str, list[Timing]] = {}

    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        frames = Frames(app)
        for _ in range(200):  # let the history thread finish first
            await pilot.pause(0.05)
            if screen.board.markers_ready:
                break

        async def timed(name: str, key: str) -> None:
            timing = await frames.press(pilot, key)
            if timing is None:
                raise RuntimeError(f"{name}: the key drew nothing")
            results.setdefault(name, []).append(timing)

        for _ in range(rounds):
            await timed("j", "j")
            contact = screen.current_contact
            assert contact is not None
            there = "plus" if contact.heat == "cool" else "minus"
            await timed(f"{there} (move)", there)
            # the highlight stays in the column (the next contact there): the move is
            # taken back with u
            await timed("u (undo the move)", "u")
            await timed("t (open dialog)", "t")
            await timed("c (channel)", "c")
            # no reply: the step stays, so enter saves (after a reached call with no new
            # step, enter asks once first)
            await timed("n (no reply)", "n")
            await timed("enter (log touch)", "enter")
            await timed("n (open dialog)", "n")
            await timed("enter (next step)", "enter")
            await timed("u (undo next step)", "u")
            await timed("u (undo touch)", "u")
            # to the next column and back (the focus moves; the footer's keys stay)
            await timed("l (next column)", "l")
            await timed("h (column back)", "h")
    return results


def _row(name: str, timings: list[Timing], base: float, mine: list[Timing]) -> str:
    cpu = statistics.median(t[0] for t in timings)
    wall = statistics.median(t[1] for t in timings)
    rest = statistics.median(t[2] for t in timings)
    ours = statistics.median(t[3] for t in mine)
    store = statistics.median(t[4] for t in mine)
    ours_all = statistics.median(t[5] for t in mine)
    return (
        f"  {name:22s} {cpu:7.1f} {wall:7.1f} {rest:9.1f} {cpu / base:7.1f}x "
        f"{ours:8.1f} {ours / FRAME_BUDGET_MS:6.2f}x {store:7.1f} {ours - store:9.1f}"
        f" {ours_all:9.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", help="a heavy database (made with bench/make_db.py if absent)")
    parser.add_argument("--child", choices=["bare", "dashboard"], help=argparse.SUPPRESS)
    parser.add_argument("--keys-only", action="store_true", help="skip the first-screen runs")
    parser.add_argument("--first-only", action="store_true", help="only the first-screen runs")
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout of followup: its dashboard's first screen too, in the same runs",
    )
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
        if not args.keys_only:
            found = first_screen(db, args.rounds, args.against)
            bare, dash = found["bare"], found["dashboard"]
            print(f"first screen, median of {args.rounds} alternating subprocess runs at 80x24:")
            print("                                            first frame   after refresh")
            print(
                f"  bare app (header, footer, 3 OptionLists): {bare['first'] * 1000:8.1f} ms"
                f" {bare['after'] * 1000:10.1f} ms"
            )
            print(
                f"  followup dashboard, heavy database:       {dash['first'] * 1000:8.1f} ms"
                f" {dash['after'] * 1000:10.1f} ms"
            )
            print(
                f"  ratio (target <= 1.5x):                   {dash['first'] / bare['first']:8.2f}x"
                f" {dash['after'] / bare['after']:12.2f}x"
            )
            print(
                f"  process CPU to the first frame: bare {bare['cpu'] * 1000:.1f} ms, dashboard"
                f" {dash['cpu'] * 1000:.1f} ms, {dash['cpu'] / bare['cpu']:.2f}x"
                " (steadier than wall time on a busy machine)"
            )
            if args.against is not None:
                other = found["against"]
                print(
                    f"  the dashboard of {args.against}: first frame {other['first'] * 1000:.1f}"
                    f" ms, {other['first'] / bare['first']:.2f}x; CPU {other['cpu'] * 1000:.1f}"
                    f" ms, {other['cpu'] / bare['cpu']:.2f}x"
                )
        if args.first_only:
            return
        work = tempfile.mkdtemp(dir=tmp)
        copy = Path(work) / db.name
        copy.write_bytes(db.read_bytes())
        from store.engine.journal_scan import IndexFile
        from store.engine.paths import journal_path

        # the touches journal beside the main file, and the index of where their lines are
        for source, target in (
            (journal_path(db), journal_path(copy)),
            (IndexFile(journal_path(db)).path, IndexFile(journal_path(copy)).path),
        ):
            if source.exists():
                target.write_bytes(source.read_bytes())
        baseline = asyncio.run(bare_baseline(args.rounds * 2))
        timings = asyncio.run(key_timings(copy, args.rounds))
        Ours.instrument()  # a second run: the timing wrappers cost time of their own
        ours = asyncio.run(key_timings(copy, args.rounds))
        base = statistics.median(t[0] for t in baseline)
        print(f"key to redraw on the heavy database, median of {args.rounds} (Pilot, in-process);")
        print("  ms: main-thread CPU and wall to the first frame after the key, CPU to the last")
        print("  frame it caused, ratio of that CPU to the baseline; 'ours': the part of the")
        print("  CPU to the first frame spent in our code (tui/, widgets/, and the store they")
        print("  call; measured in a second run), against the 16 ms frame budget; the rest is")
        print("  Textual's own work (layout, styles, rendering, mounting dialogs); 'store':")
        print("  the part of 'ours' inside Store methods (the atomic, fsynced writes);")
        print("  'ours, all': CPU in our code up to the last frame the key caused, any thread")
        print("  (a touch logged: the write, then the row moved and the header counted)")
        print(
            "                          cpu    wall  all work   vs base     ours vs 16ms"
            "   store  not store  ours, all"
        )
        print(_row("baseline: bare j", baseline, base, baseline))
        for name, found_timings in timings.items():
            print(_row(name, found_timings, base, ours[name]))


if __name__ == "__main__":
    main()
