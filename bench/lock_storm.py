"""Many `followup log` processes at once on one database: none may fail.

    python bench/lock_storm.py [--db PATH] [--processes 50] [--rounds 1] [--timeout S]

Without --db the heavy database (bench/make_db.py) is made in a temporary folder; with
--db the files are copied into one first (the storm adds touches), and every round starts
from a fresh copy. The processes are started together, each logging a touch with a
different contact (#1, #2...). Prints, per round:

- the whole storm and the slowest process (wall seconds), and every failure;
- the baseline: as many `python -c "import tinydb"` started together, just before and
  just after the storm (their mean), and the storm's total as a ratio of it (more
  robust than seconds on a shared, noisy machine);
- where each process's time went: CPU (user + sys, from the kernel's accounting) and
  its share in each phase (the interpreter's start and exit, up to asking for the lock,
  waiting, holding, after); the time from its start to asking for the lock (start-up,
  imports, finding the contact), the time it waited and the time it held the lock. The
  held times add up to the part of the storm no number of cores can share; the longest
  hold is the first write of the day, which takes the day's backup (a fresh copy has
  none). Last, how long the lock lay free between a release and the next waiter's hold.

Each process runs the real `tui.cli` module through a few lines that note, on stderr,
when store.engine.lock.FileLock was asked for, got and given back (CLOCK_MONOTONIC is one
clock for every process). Bytecode is compiled first: the environment may forbid
writing it, and every process would then compile its imports again.
Exit status 1 if any process failed or a touch is missing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = "2026-11-24T09:00:00+01:00"
TRACE = "lock-storm-trace"  # the prefix of the lines the wrapper writes on stderr

# `python -m tui.cli ARGS...`, with FileLock's outermost acquire and release timed.
WRAPPER = f"""
import time
began, began_cpu = time.monotonic(), time.process_time()
import atexit, os, runpy, sys
from store.engine import lock
marks = {{"began": began, "began_cpu": began_cpu}}
acquire, release = lock.FileLock.acquire, lock.FileLock.release
def mark(name):
    marks.setdefault(name, time.monotonic())
    marks.setdefault(name + "_cpu", time.process_time())
def timed_acquire(self):
    outer = not self.held
    if outer:
        mark("asked")
    acquire(self)
    if outer:
        mark("got")
def timed_release(self):
    release(self)
    if not self.held:
        marks.pop("released", None), marks.pop("released_cpu", None)
        mark("released")
lock.FileLock.acquire, lock.FileLock.release = timed_acquire, timed_release
def say():
    mark("ended")
    sys.stderr.write("{TRACE} " + " ".join(f"{{k}}={{v!r}}" for k, v in marks.items()) + "\\n")
atexit.register(say)
fast_exit = os._exit
def said_exit(code):  # a quick command ends with os._exit: no atexit handler runs
    say()
    sys.stderr.flush()
    fast_exit(code)
os._exit = said_exit
sys.argv = ["followup", *sys.argv[1:]]
runpy.run_module("tui.cli", run_name="__main__", alter_sys=True)
"""


# CPU seconds between two of the wrapper's marks
CPU_SPANS = (
    ("cpu_before", "began", "asked"),
    ("cpu_waiting", "asked", "got"),
    ("cpu_holding", "got", "released"),
    ("cpu_after", "released", "ended"),
)
PHASES = ("asked", "waited", "held", "cpu_python", *(span[0] for span in CPU_SPANS))


def compile_bytecode() -> None:
    for package in ("store", "tui", "widgets"):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / package)], check=False)


def launch(commands: list[list[str]], env: dict[str, str]) -> list[dict[str, object]]:
    """Start every command at once; per process: wall, cpu, exit code, stderr."""
    running = {}
    for command in commands:
        err = tempfile.TemporaryFile()  # noqa: SIM115 (closed once the process ended)
        begun = time.monotonic()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        running[proc.pid] = (begun, proc, err)
    results = []
    while running:
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        begun, proc, err = running.pop(pid)
        proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        err.seek(0)
        text = err.read().decode(errors="replace")
        err.close()
        results.append(
            {
                "wall": time.monotonic() - begun,
                "cpu": usage.ru_utime + usage.ru_stime,
                "code": proc.returncode,
                "stderr": text,
                "started": begun,
            }
        )
    return results


def _marks(stderr: str) -> tuple[dict[str, float], str]:
    """The wrapper's timings out of a process's stderr, and the rest of it."""
    marks: dict[str, float] = {}
    rest = []
    for line in stderr.splitlines():
        if line.startswith(TRACE + " "):
            for word in line.split()[1:]:
                key, _, value = word.partition("=")
                marks[key] = float(value)
        else:
            rest.append(line)
    return marks, "\n".join(rest).strip()


def baseline(processes: int) -> float:
    """Seconds for `processes` `python -c "import tinydb"` started together."""
    started = time.monotonic()
    launch([[sys.executable, "-c", "import tinydb"]] * processes, dict(os.environ))
    return time.monotonic() - started


def storm(db: Path, processes: int, timeout: float | None = None) -> dict[str, object]:
    """Run the storm; its figures (seconds) and failures (exit code, stderr)."""
    from store.store import Store

    before = len(Store(db).touches())
    env = {**os.environ, "FOLLOWUP_NOW": NOW}
    if timeout is not None:
        env["FOLLOWUP_LOCK_TIMEOUT"] = str(timeout)
    commands = [
        [sys.executable, "-c", WRAPPER, "--db", str(db), "log", f"#{n}", "--via", "c"]
        for n in range(1, processes + 1)
    ]
    started = time.monotonic()
    results = launch(commands, env)
    total = time.monotonic() - started
    failures = []
    phases: dict[str, list[float]] = {key: [] for key in PHASES}
    holds: list[tuple[float, float, float]] = []
    for result in results:
        marks, err = _marks(str(result["stderr"]))
        if result["code"] != 0:
            failures.append((result["code"], err))
        if not {"asked", "got", "released", "ended"} <= marks.keys():
            continue
        phases["asked"].append(marks["asked"] - marks["began"])
        phases["waited"].append(marks["got"] - marks["asked"])
        phases["held"].append(marks["released"] - marks["got"])
        holds.append((marks["got"], marks["released"], marks["asked"]))
        for key, start, end in CPU_SPANS:
            phases[key].append(marks[end + "_cpu"] - marks[start + "_cpu"])
        # the interpreter's own start and exit, outside the wrapper's marks
        inside = marks["ended_cpu"] - marks["began_cpu"]
        phases["cpu_python"].append(float(str(result["cpu"])) - inside)
    after = len(Store(db).touches())
    return {
        "total": total,
        "slowest": max(float(str(r["wall"])) for r in results),
        "failures": failures,
        "logged": after - before,
        "cpu": [float(str(r["cpu"])) for r in results],
        "handovers": _handovers(holds),
        **phases,
    }


def _handovers(holds: list[tuple[float, float, float]]) -> list[float]:
    """The time the lock lay free between one holder's release and the next one's
    taking it, when that one was already waiting (the cost of handing it over). Each
    hold is (got, released, asked)."""
    holds.sort()
    return [max(0.0, b[0] - a[1]) for a, b in itertools.pairwise(holds) if b[2] <= a[1]]


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s"


def report(processes: int, result: dict[str, object], base: float | None) -> None:
    failures = result["failures"]
    assert isinstance(failures, list)
    total = float(str(result["total"]))
    ratio = f" ({total / base:.1f}x the baseline's {base:.2f} s)" if base else ""
    print(
        f"{processes} followup log at once: {total:.2f} s in all{ratio}, "
        f"slowest {result['slowest']:.2f} s, {len(failures)} failed, "
        f"{result['logged']} touches logged"
    )
    lists = {key: value for key, value in result.items() if isinstance(value, list)}
    cpu, held = lists["cpu"], lists["held"]
    cores = os.cpu_count() or 1
    print(
        f"  cpu per process: {_spread(cpu)}; {sum(cpu):.2f} s in all "
        f"({sum(cpu) / cores:.2f} s on {cores} cores)"
    )
    print(
        "  of it (medians): "
        + ", ".join(
            f"{label} {statistics.median(lists[key]) if lists[key] else 0:.3f} s"
            for key, label in (
                ("cpu_python", "interpreter start and exit"),
                ("cpu_before", "up to asking for the lock"),
                ("cpu_waiting", "waiting"),
                ("cpu_holding", "holding"),
                ("cpu_after", "after"),
            )
        )
    )
    print(f"  start to asking for the lock: {_spread(lists['asked'])}")
    print(f"  waiting for the lock: {_spread(lists['waited'])}")
    print(f"  holding the lock: {_spread(held)}; {sum(held):.2f} s in all (serial)")
    gaps = lists["handovers"]
    print(f"  lock free between two holders: {_spread(gaps)}; {sum(gaps):.2f} s in all")
    for code, err in failures[:5]:
        print(f"  exit {code}: {err}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--processes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--timeout", type=float, help="FOLLOWUP_LOCK_TIMEOUT for the storm")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    args = parser.parse_args()
    compile_bytecode()
    bad = False
    totals, ratios = [], []
    with tempfile.TemporaryDirectory() as folder:
        source = args.db
        if source is None:
            source = Path(folder) / "source" / "heavy.json"
            source.parent.mkdir()
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "make_db.py"), str(source)], check=True
            )
        from store.engine.paths import journal_path

        for n in range(args.rounds):
            work = Path(folder) / f"round{n}"
            work.mkdir()
            db = work / source.name
            for file in (source, journal_path(source)):
                if file.exists():
                    shutil.copy2(file, work / file.name)
            base = None if args.no_baseline else baseline(args.processes)
            result = storm(db, args.processes, args.timeout)
            if base is not None:  # before and after: a burst of other work counts less
                base = (base + baseline(args.processes)) / 2
            report(args.processes, result, base)
            totals.append(float(str(result["total"])))
            if base:
                ratios.append(totals[-1] / base)
            bad = bad or bool(result["failures"]) or result["logged"] != args.processes
    if args.rounds > 1:
        ratio = f", {statistics.median(ratios):.1f}x the baseline" if ratios else ""
        print(f"median of {args.rounds} rounds: {statistics.median(totals):.2f} s in all{ratio}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
