"""Peak memory of `followup import --dry-run` on a large Google Contacts CSV, beside the
same command on a small one (DESIGN.md: import reads as it goes; peak memory grows by at
most about 3x the file's size over a small file's run).

    python bench/import_memory.py [--megabytes 40] [--keep DIR]

Writes a seeded Google Contacts CSV (the 2023+ header: First Name, ..., Labels,
E-mail 1 - Label, E-mail 1 - Value, ...) of about --megabytes MB and a 20-row one, runs
`followup import --dry-run` on each in its own process under `/usr/bin/time -v`
against an empty database, and prints the peak resident sizes, their difference as a
multiple of the file's size, and the wall times.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEADER = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday", "Notes",
    "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label",
    "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label",
    "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street",
    "Address 1 - City", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country",
    "Website 1 - Label", "Website 1 - Value",
]  # fmt: skip
FIRST = ["Anna", "Marco", "Jonas", "Lena", "Omar", "Zoë", "Hannah", "Lars", "Mia", "Noah"]
LAST = ["Berg", "Rossi", "Weber", "Fischer", "Diaz", "Kim", "Nowak", "Silva", "Sato", "Okafor"]
CITIES = ["Berlin", "Lisboa", "Osaka", "Lagos", "Toronto", "Kraków", "São Paulo"]
COMPANIES = ["Northwind", "Helix Labs", "Kaiser Logistik", "Bellavista", "Brightwave"]


def google_csv(path: Path, megabytes: float, seed: int = 7) -> int:
    """Write the file; returns the number of rows."""
    rng = random.Random(seed)
    limit = int(megabytes * 1024 * 1024)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        while out.tell() < limit:
            rows += 1
            first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{rows}"
            city = rng.choice(CITIES)
            street = f"{rng.randint(1, 200)} {rng.choice(LAST)}straße"
            writer.writerow([
                first, "", last, "", "", "", "", "", "", "",
                rng.choice(COMPANIES), "Buyer", "", "1980-01-01",
                f"Met at the fair; follow up about order {rows}.", "",
                "* myContacts ::: Customers", "* Work", f"{first.lower()}.{rows}@example.com",
                "Home", f"{first.lower()}{rows}@mail.example", "Mobile",
                f"+49 170 {rows:07d}", "Work", f"+49 30 {rows:07d}", "Work",
                f"{street}\n{city}", street, city, "", f"{rows % 99999:05d}", "Germany",
                "Profile", f"https://example.com/{rows}",
            ])  # fmt: skip
    return rows


def peak(csv_path: Path, db: Path) -> tuple[int, float]:
    """Peak resident kB and wall seconds of `followup import --dry-run`."""
    command = [
        "/usr/bin/time", "-v", sys.executable, "-m", "tui.cli", "import", str(csv_path),
        "--dry-run", "--db", str(db),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1])  # type: ignore[index]
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr)
    parts = [float(p) for p in wall[1].split(":")]  # type: ignore[index]
    seconds = sum(p * 60**i for i, p in enumerate(reversed(parts)))
    return kb, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=40.0)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        big, small = folder / "google-big.csv", folder / "google-small.csv"
        rows = google_csv(big, args.megabytes)
        google_csv(small, 0.005)
        size = big.stat().st_size
        small_kb, small_s = peak(small, folder / "small.json")
        big_kb, big_s = peak(big, folder / "big.json")
        grown = (big_kb - small_kb) * 1024 / size
        print(f"file: {size / 1e6:.1f} MB, {rows:,} rows")
        print(f"small file: peak {small_kb / 1024:.0f} MB, {small_s:.2f} s")
        print(f"big file:   peak {big_kb / 1024:.0f} MB, {big_s:.2f} s")
        print(f"growth: {grown:.1f}x the file's size (budget: about 3x)")


if __name__ == "__main__":
    main()
