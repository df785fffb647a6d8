"""`followup log` at 1x and 4x the heavy database, and a stock-TinyDB script, side by side.

    python bench/log_bench.py [--rounds 15] [--scale 4]

Builds the heavy database (bench/make_db.py: 5,000 contacts, 50,000 touches) and the same
at `--scale` times the data (20,000 and 200,000 by default) in a temporary folder, with
beside the first the stock-TinyDB single file bench/store_bench.py uses. Then, in
alternating rounds (the order rotates every round), one whole process each of:

    ours 1x   followup log NAME --via call --db heavy
    ours 4x   the same on the 4x database
    stock     a `python -c` script: TinyDB opens the single file, finds the contact by
              name and inserts the same touch

Each process is waited for with wait4, which gives its own CPU time and peak memory.
Medians of wall time and of CPU (user + system); every database grows by one touch a
round. Targets (the touches journal): ours 1x at most 0.25x the stock script; ours 4x at
most 1.3x ours 1x. CPU is the steadier figure on a shared machine; both are printed.
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(ROOT / "bench"))

import store_bench  # noqa: E402

PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        assert proc.stderr is not None
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def peak_mb(command: list[str]) -> float:
    """Peak RSS of one process, started from a small one (a child forked from this big
    process would count the pages it shares with it)."""
    out = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True, check=True)
    return int(out.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--scale", type=int, default=4)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="followup-log-bench-"))
    try:
        started = time.perf_counter()
        for scale in ("1x", "4x"):
            (folder / scale).mkdir()
        one = store_bench.Setup(folder / "1x", None, 5_000, 50_000)
        big = store_bench.Setup(folder / "4x", None, 5_000 * args.scale, 50_000 * args.scale)
        print(
            f"databases: {one.counts} and {big.counts} (contacts, touches), built in "
            f"{time.perf_counter() - started:.0f} s"
        )
        store_bench.compile_bytecode()
        log = [*store_bench.followup_command(), "log"]
        commands = {
            "ours 1x": [*log, one.contact_name, "--via", "call", "--db", str(one.ours)],
            "ours 4x": [*log, big.contact_name, "--via", "call", "--db", str(big.ours)],
            "stock": [store_bench.PYTHON, "-c", store_bench.STOCK_LOG, str(one.stock),
                      one.contact_name],
        }  # fmt: skip
        for command in commands.values():
            measured(command)  # the day's backup is taken once, as on any real day
        peaks = {name: peak_mb(command) for name, command in commands.items()}
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        names = list(commands)
        for n in range(args.rounds):
            for name in names[n % len(names) :] + names[: n % len(names)]:
                results[name].append(measured(commands[name]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    def median(name: str, field: int) -> float:
        return statistics.median(r[field] for r in results[name])

    print(f"rounds: {args.rounds}, medians\n")
    print(f"{'':10} {'wall':>9} {'cpu':>9} {'peak':>8}")
    for name in names:
        print(
            f"{name:10} {median(name, 0) * 1e3:6.0f} ms {median(name, 1) * 1e3:6.0f} ms "
            f"{peaks[name]:5.0f} MB"
        )
    rows = []
    for label, a, b, target in (
        ("ours 1x / stock", "ours 1x", "stock", 0.25),
        (f"ours {args.scale}x / ours 1x", "ours 4x", "ours 1x", 1.3),
    ):
        wall, cpu = median(a, 0) / median(b, 0), median(a, 1) / median(b, 1)
        rows.append((label, wall, cpu, target))
    print(f"\n{'':22} {'wall':>6} {'cpu':>6}  target")
    for label, wall, cpu, target in rows:
        met = "yes" if wall <= target else "NO"
        print(f"{label:22} {wall:5.2f}x {cpu:5.2f}x  <= {target}x  {met}")


if __name__ == "__main__":
    main()
