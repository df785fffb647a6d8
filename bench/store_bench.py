"""The store's performance budgets (DESIGN.md), measured side by side in one run.

    python bench/store_bench.py [--db PATH] [--rounds 15] [--contacts N] [--touches N]

Builds the heavy database with bench/make_db.py in a temporary folder (or copies the
database at PATH and its touches file), and beside it the same data as a stock TinyDB
user would keep it: one JSONStorage file holding the `contacts` and `touches` tables;
and a stricter one holding only the `touches` table. Then, in alternating rounds (the
order of the contenders rotates every round), the median of N rounds of:

(a) logging one touch in-process: our Store, opened once and warm as the dashboard
    holds it, vs stock TinyDB (JSONStorage, opened once) inserting the same document.
    These databases grow by one touch per round (no reset: resetting would make our
    store re-read both files, which a warm store never does).
(b) the whole `followup log NAME --via call --db X` process vs a `python -c` script that
    opens the stock single file with TinyDB, finds the contact by name and inserts the
    same touch. Both databases grow by one touch per round (copying the files back
    would also make every round start from a stale day-count cache, which a database
    written by followup never has).
(c) the whole `followup today --db X` process vs `python -c "import tinydb"`, on a
    database last written by followup. Also shown, without a target: `today` right
    after the files were copied (a restore, a sync): the day-count cache no longer
    fits the touches file, so `today` parses every touch until the next write.

Targets: (a) >= 5x faster, (b) <= 0.75x the time, (c) <= 5x the time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_db  # noqa: E402
from tinydb import TinyDB  # noqa: E402
from tinydb.storages import JSONStorage  # noqa: E402

from store.clock import FixedClock  # noqa: E402
from store.engine.journal import Journal  # noqa: E402
from store.engine.paths import journal_path  # noqa: E402
from store.model import Touch  # noqa: E402
from store.store import Store  # noqa: E402

PYTHON = sys.executable
NOW = make_db.NOW
# The moment the whole-process commands run at (a fixed clock, as the tests use).
FOLLOWUP_NOW = NOW.isoformat()


def touches_of(main: Path) -> Path:
    """The touches journal beside a main file."""
    return journal_path(main)


def followup_command() -> list[str]:
    script = Path(PYTHON).with_name("followup")
    if script.exists():
        return [str(script)]
    return [PYTHON, "-m", "tui.cli"]


class Setup:
    """The databases of one benchmark run, and their pristine copies."""

    def __init__(self, folder: Path, source: Path | None, contacts: int, touches: int) -> None:
        self.folder = folder
        self.pristine = folder / "pristine"
        self.pristine.mkdir()
        ours = self.pristine / "followup.json"
        if source is None:
            make_db.make(ours, contacts, touches)
        else:
            shutil.copyfile(source, ours)
            if touches_of(source).exists():
                shutil.copyfile(touches_of(source), touches_of(ours))
        main = json.loads(ours.read_bytes())
        journal = Journal(touches_of(ours))
        journal.sync()
        stock = {
            "contacts": main.get("contacts", {}),
            "touches": dict(journal.records),
        }
        del journal
        JSONStorage(str(self.pristine / "stock.json")).write(stock)
        JSONStorage(str(self.pristine / "stock_touches.json")).write({"touches": stock["touches"]})
        first = min(stock["contacts"], key=int)
        self.contact_uid: str = stock["contacts"][first]["uid"]
        self.contact_name: str = stock["contacts"][first]["name"]
        self.counts = (len(stock["contacts"]), len(stock["touches"]))
        self.sizes = {
            p.name: p.stat().st_size for p in sorted(self.pristine.iterdir()) if p.is_file()
        }
        self.live = folder / "live"
        self.live.mkdir()
        self.reset()

    def reset(self) -> None:
        """Copy every database back from its pristine copy: the main files, the touches
        journal and its index (times kept, as a restore keeps them)."""
        for path in self.pristine.iterdir():
            if path.is_file():
                shutil.copy2(path, self.live / path.name)

    @property
    def ours(self) -> Path:
        return self.live / "followup.json"

    @property
    def stock(self) -> Path:
        return self.live / "stock.json"


def touch_doc(uid: str) -> dict[str, str]:
    touch = Touch(contact_uid=uid, at=NOW, channel="call", outcome="reached")
    return touch.to_doc()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(command: list[str]) -> None:
    env = {**os.environ, "FOLLOWUP_NOW": FOLLOWUP_NOW, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode()}")


def compile_bytecode() -> None:
    """Write fresh .pyc files for our packages, as an installed copy has them (with
    PYTHONDONTWRITEBYTECODE set, edited modules would otherwise be compiled on every run)."""
    for package in ("store", "tui", "widgets"):
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / package)], check=False)


def alternate(rounds: int, contenders: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Median seconds of each contender; the order rotates every round."""
    names = list(contenders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for n in range(rounds):
        shift = n % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(contenders[name]())
    return {name: statistics.median(values) for name, values in times.items()}


def bench_in_process(setup: Setup, rounds: int) -> dict[str, float]:
    setup.reset()
    store = Store(setup.ours, clock=FixedClock(NOW))
    store.contacts()
    store.log_fields(Touch.from_doc(touch_doc(setup.contact_uid)), {})  # warm: backup, touches
    stock = TinyDB(str(setup.stock), storage=JSONStorage)
    only_touches = TinyDB(str(setup.live / "stock_touches.json"), storage=JSONStorage)
    try:
        return alternate(
            rounds,
            {
                "ours": lambda: timed(
                    lambda: store.log_fields(Touch.from_doc(touch_doc(setup.contact_uid)), {})
                ),
                "stock": lambda: timed(
                    lambda: stock.table("touches").insert(touch_doc(setup.contact_uid))
                ),
                "stock_touches_only": lambda: timed(
                    lambda: only_touches.table("touches").insert(touch_doc(setup.contact_uid))
                ),
            },
        )
    finally:
        stock.close()
        only_touches.close()


STOCK_LOG = """
import sys
from datetime import datetime
from tinydb import Query, TinyDB
db = TinyDB(sys.argv[1])
found = db.table("contacts").search(Query().name == sys.argv[2])
db.table("touches").insert({
    "contact_uid": found[0]["uid"], "at": datetime.now().astimezone().isoformat(),
    "channel": "call", "outcome": "reached", "direction": "out", "note": "",
    "uid": "22222222-0000-4000-8000-000000000000",
})
"""


def bench_log_process(setup: Setup, rounds: int) -> dict[str, float]:
    setup.reset()
    ours = [*followup_command(), "log", setup.contact_name, "--via", "call"]
    ours += ["--db", str(setup.ours)]
    stock = [PYTHON, "-c", STOCK_LOG, str(setup.stock), setup.contact_name]
    run(ours)  # the day's backup is taken once, as on any real day
    run(stock)
    return alternate(
        rounds,
        {"ours": lambda: timed(lambda: run(ours)), "stock": lambda: timed(lambda: run(stock))},
    )


def bench_today_process(setup: Setup, rounds: int) -> dict[str, float]:
    setup.reset()
    written = setup.folder / "written"
    written.mkdir()
    for path in setup.live.glob("followup*.json"):
        shutil.copyfile(path, written / path.name)
    # one touch logged by followup: the database is as every real one is between writes
    Store(written / "followup.json", clock=FixedClock(NOW)).log_fields(
        Touch.from_doc(touch_doc(setup.contact_uid)), {}
    )
    ours = [*followup_command(), "today", "--db", str(written / "followup.json")]
    copied = [*followup_command(), "today", "--db", str(setup.ours)]
    bare = [PYTHON, "-c", "import tinydb"]
    run(ours)
    run(bare)

    def after_copy() -> float:
        setup.reset()
        return timed(lambda: run(copied))

    return alternate(
        rounds,
        {
            "ours": lambda: timed(lambda: run(ours)),
            "import": lambda: timed(lambda: run(bare)),
            "copied": after_copy,
        },
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing database (default: build one)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--touches", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="followup-bench-"))
    try:
        started = time.perf_counter()
        setup = Setup(folder, args.db, args.contacts, args.touches)
        print(
            f"database: {setup.counts[0]} contacts, {setup.counts[1]} touches "
            f"(built in {time.perf_counter() - started:.1f}s); files: "
            + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in setup.sizes.items())
        )
        print(f"rounds: {args.rounds}, median; command: {' '.join(followup_command())}")
        compile_bytecode()
        a = bench_in_process(setup, args.rounds)
        b = bench_log_process(setup, args.rounds)
        c = bench_today_process(setup, args.rounds)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    rows = [
        ("a", "log a touch in-process: stock TinyDB / ours", a["stock"] / a["ours"], ">= 5x",
         a["stock"] / a["ours"] >= 5, f"ours {ms(a['ours'])}, stock {ms(a['stock'])}"),
        ("a'", "  same, stock file with touches only / ours", a["stock_touches_only"] / a["ours"],
         ">= 5x", a["stock_touches_only"] / a["ours"] >= 5,
         f"ours {ms(a['ours'])}, stock {ms(a['stock_touches_only'])}"),
        ("b", "`followup log` process / stock TinyDB script", b["ours"] / b["stock"], "<= 0.75x",
         b["ours"] / b["stock"] <= 0.75, f"ours {ms(b['ours'])}, stock {ms(b['stock'])}"),
        ("c", "`followup today` process / python -c 'import tinydb'", c["ours"] / c["import"],
         "<= 5x", c["ours"] / c["import"] <= 5,
         f"ours {ms(c['ours'])}, import {ms(c['import'])}"),
        ("c'", "  same, right after the files were copied", c["copied"] / c["import"], "-",
         True, f"ours {ms(c['copied'])}"),
    ]  # fmt: skip
    print()
    print(f"{'':3} {'measure':52} {'ratio':>7}  {'target':8} {'met':4} times")
    for key, label, ratio, target, met, detail in rows:
        print(f"{key:3} {label:52} {ratio:6.2f}x  {target:8} {'yes' if met else 'NO':4} {detail}")
    print(
        "\n(a), (b): the databases grow by one touch per round; (c) read-only; "
        "c' copies the files back before each round (outside the timing)."
    )
    if not all(row[4] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
