"""The dashboard left open while `followup log` runs in another process: its memory,
open descriptors and the CPU each external log costs it.

    python bench/live_bench.py [--logs 12] [--db PATH]

Builds the heavy database (bench/make_db.py) unless --db names one, opens the dashboard
headless in this process, then runs `followup log` in a subprocess `--logs` times for
contacts taken by name (most are off screen), then `--logs` times for the contacts at
the top of the columns (each log moves a row from the top down: every line of that
column is drawn again). After each log it waits until the dashboard has picked the
change up (its poll, and the marker work that follows) and prints RSS, open descriptors,
gc-frozen objects and the CPU (this process, all threads) the log cost it: the CPU of
that wait less the CPU of the same wait (a poll, then as many 50 ms waits) with nothing
changed, measured just after. Ratios are against the first log.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.clock import FixedClock  # noqa: E402
from store.store import Store  # noqa: E402

NOW_ENV = "2026-11-24T09:00:00+01:00"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def run(db: Path, logs: int) -> None:
    from bench.make_db import NOW
    from tui.app import FollowupApp

    store = Store(db, clock=FixedClock(NOW))
    names = sorted({c.name for c in store.contacts()})[:logs]
    app = FollowupApp(store=store, clock=FixedClock(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        for _ in range(600):
            await pilot.pause(0.05)
            if getattr(screen, "markers_ready", False):
                break

        async def settle(waits: int | None = None) -> int:
            """Wait until the marker work a change started is done (as after a log), or
            exactly `waits` times; the number of waits made."""
            made = 0
            for _ in range(400 if waits is None else waits):
                await pilot.pause(0.05)
                made += 1
                if waits is None and not [w for w in app.workers if not w.is_finished]:
                    break
            await pilot.pause(0.1)
            return made

        async def log(name: str, note: str) -> tuple[float, float, float]:
            """The CPU (all threads, the UI thread) one external log cost, and the idle
            wait's own CPU: the same poll and the same number of waits, just after, with
            nothing changed."""
            subprocess.run(
                [sys.executable, "-m", "tui.cli", "--db", str(db), "log", name, "--note", note],
                cwd=ROOT,
                check=True,
                capture_output=True,
                env={**os.environ, "FOLLOWUP_NOW": NOW_ENV},
            )
            cpu, ui = time.process_time(), time.thread_time()
            screen.poll()
            waits = await settle()
            spent, spent_ui = time.process_time() - cpu, time.thread_time() - ui
            cpu, ui = time.process_time(), time.thread_time()
            screen.poll()
            await settle(waits)
            idle, idle_ui = time.process_time() - cpu, time.thread_time() - ui
            return spent - idle, spent_ui - idle_ui, idle

        def on_top(n: int) -> str:
            columns = screen.columns.all
            return columns[n % len(columns)].rows[0].contact.name

        rows = []
        phases = (("by name", lambda n: names[n]), ("at the top of a column", on_top))
        for phase, (label, pick) in enumerate(phases):
            print(f"-- contacts {label}")
            for n in range(logs):
                spent, ui, idle = await log(pick(n), f"n{phase}.{n}")
                rows.append((rss_mb(), fds(), gc.get_freeze_count(), spent, ui, idle, phase))
                print(
                    f"log {n + 1:2d}: rss {rows[-1][0]:7.1f} MB  fds {rows[-1][1]:3d}  "
                    f"frozen {rows[-1][2]:9d}  cpu {spent * 1e3:6.1f} ms (UI thread "
                    f"{ui * 1e3:6.1f} ms) over an idle wait of {idle * 1e3:5.1f} ms",
                    flush=True,
                )
                await pilot.pause(1.0)
        first, last = rows[0], rows[-1]
        print(f"RSS last/first: {last[0] / first[0]:.2f}  ({first[0]:.0f} -> {last[0]:.0f} MB)")
        print(f"descriptors: {first[1]} -> {last[1]} (+{last[1] - first[1]})")
        for phase, (label, _pick) in enumerate(phases):
            mine = [r for r in rows if r[6] == phase][1:]  # the first log warms up
            cpus = sorted(r[3] for r in mine)
            uis = sorted(r[4] for r in mine)
            idles = sorted(r[5] for r in mine)
            print(
                f"CPU per external log, contacts {label} (median of logs 2..): "
                f"{cpus[len(cpus) // 2] * 1e3:.1f} ms (slowest {cpus[-1] * 1e3:.1f}), of it on "
                f"the UI thread {uis[len(uis) // 2] * 1e3:.1f} ms (the idle wait itself: "
                f"{idles[len(idles) // 2] * 1e3:.1f} ms; target: at most 15 ms)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=12)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.db is None:
        folder = Path(tempfile.mkdtemp(prefix="followup-live-"))
        args.db = folder / "heavy.json"
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "make_db.py"), str(args.db)], check=True
        )
    asyncio.run(run(args.db, args.logs))


if __name__ == "__main__":
    main()
