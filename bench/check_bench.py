"""The main file's check: XXH3-64 (what followup writes) against CRC-32 (what it wrote
before), side by side in one run, at 1x and 4x the heavy database.

    python bench/check_bench.py [--rounds 21]

Builds the heavy database (bench/make_db.py) at 1x (5,000 contacts) and 4x (20,000) in a
temporary folder, then times, in alternating rounds:

(a) the check of the contact lines as a reader makes it (`store.engine.layout`'s `_check` and
    `_crc_check`, on the bytes as read);
(b) a whole `followup log` in this process (the command-line front end's `main`), with
    `store.engine.layout._check` swapped for a CRC-32 of the same bytes: a log checks the file
    once read and once written, so this is what the check costs a log.
Medians; the ratio is CRC-32's time over XXH3's.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.engine import layout  # noqa: E402

NOW_ENV = "2026-11-24T09:00:00+01:00"


def crc_check(body: layout.Body | list[bytes | memoryview], names: str) -> int:
    """What `layout._check` computed before: CRC-32 of the same bytes."""
    check = 0
    for chunk in body.chunks() if isinstance(body, layout.Body) else body:
        check = zlib.crc32(chunk, check)
    return zlib.crc32(str(len(names)).encode(), check)


def median_ms(function: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1e3


def log_once(db: Path, name: str) -> float:
    from tui.cli import run as cli_run

    sys.argv = ["followup", "--db", str(db), "log", name, "--via", "call"]
    start = time.process_time()
    quiet = io.StringIO()
    with (
        contextlib.redirect_stdout(quiet),
        contextlib.redirect_stderr(quiet),
        contextlib.suppress(SystemExit),
    ):
        cli_run.main()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    os.environ["FOLLOWUP_NOW"] = NOW_ENV
    folder = Path(tempfile.mkdtemp(prefix="followup-check-bench-"))
    xxh3 = layout._check
    print("               read check (a)             one log (b)")
    print("         size   xxh3    crc  ratio     xxh3     crc  ratio")
    for scale, contacts, touches in (("1x", 5_000, 50_000), ("4x", 20_000, 200_000)):
        db = folder / scale / "followup.json"
        db.parent.mkdir()
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "make_db.py"), "--contacts", str(contacts),
             "--touches", str(touches), str(db)],
            check=True, capture_output=True,
        )  # fmt: skip
        raw = db.read_bytes()
        decoded = layout.decode(raw)
        assert decoded is not None, "the database is in followup's layout"
        body = decoded[1]
        chunks: list[bytes | memoryview] = list(body.chunks())
        checks: dict[str, list[float]] = {"xxh3": [], "crc": []}
        logs: dict[str, list[float]] = {"xxh3": [], "crc": []}
        for round_ in range(args.rounds):
            for kind, check in (("xxh3", xxh3), ("crc", crc_check)):
                checks[kind].append(median_ms(lambda c=check, b=chunks, n=body.names: c(b, n), 3))
                layout._check = check  # type: ignore[assignment]
                log_once(db, "Mateo Costa 0")  # the file now holds this kind's check
                if round_:  # the first round warms up
                    logs[kind].append(log_once(db, "Mateo Costa 0") * 1e3)
        layout._check = xxh3
        a = {kind: statistics.median(times) for kind, times in checks.items()}
        b = {kind: statistics.median(times) for kind, times in logs.items()}
        print(
            f"{scale}  {len(raw) / 1e6:5.1f} MB {a['xxh3']:5.2f} {a['crc']:6.2f} "
            f"{a['crc'] / a['xxh3']:5.1f}x   {b['xxh3']:6.1f}  {b['crc']:6.1f} "
            f"{b['crc'] / b['xxh3']:5.2f}x   (ms of CPU)"
        )


if __name__ == "__main__":
    main()
