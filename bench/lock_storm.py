"""Many `followup log` processes at once on one database: none may fail.

    python bench/lock_storm.py [--db PATH] [--processes 50] [--timeout SECONDS]

Without --db the heavy database (bench/make_db.py) is made in a temporary folder. The
processes are started together, each logging a touch with a different contact (#1, #2...);
prints how long the whole storm took, the slowest process, and every failure.
Exit status 1 if any process failed or a touch is missing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = "2026-11-24T09:00:00+01:00"


def storm(db: Path, processes: int, timeout: float | None = None) -> dict[str, object]:
    """Run the storm; its figures (seconds) and failures (exit code, stderr)."""
    from store.store import Store

    before = len(Store(db).touches())
    env = {**os.environ, "FOLLOWUP_NOW": NOW}
    if timeout is not None:
        env["FOLLOWUP_LOCK_TIMEOUT"] = str(timeout)
    started = time.monotonic()
    procs = []
    for n in range(1, processes + 1):
        command = [sys.executable, "-m", "tui.cli", "--db", str(db), "log", f"#{n}", "--via", "c"]
        procs.append(
            (
                time.monotonic(),
                subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                ),
            )
        )
    durations = []
    failures = []
    for begun, proc in procs:
        _, err = proc.communicate()
        durations.append(time.monotonic() - begun)
        if proc.returncode != 0:
            failures.append((proc.returncode, err.decode(errors="replace").strip()))
    total = time.monotonic() - started
    after = len(Store(db).touches())
    return {
        "total": total,
        "slowest": max(durations),
        "failures": failures,
        "logged": after - before,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--processes", type=int, default=50)
    parser.add_argument("--timeout", type=float, help="FOLLOWUP_LOCK_TIMEOUT for the storm")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "heavy.json"
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "make_db.py"), str(db)], check=True
            )
        result = storm(db, args.processes, args.timeout)
    failures = result["failures"]
    assert isinstance(failures, list)
    print(
        f"{args.processes} followup log at once: {result['total']:.2f} s in all, "
        f"slowest {result['slowest']:.2f} s, {len(failures)} failed, "
        f"{result['logged']} touches logged"
    )
    for code, err in failures[:5]:
        print(f"  exit {code}: {err}")
    return 1 if failures or result["logged"] != args.processes else 0


if __name__ == "__main__":
    sys.exit(main())
