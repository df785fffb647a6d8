"""Import reads as it goes (#24 point 5): a large CSV is read row by row, its peak memory
a small multiple of the file's size; first follow-ups never later than the heat's
cadence, and those past the daily target get no date, counted in the summary."""

from __future__ import annotations

import csv
import tracemalloc
from collections import Counter
from datetime import timedelta
from pathlib import Path

from store import importing
from store.model import Settings
from store.store import Store
from tests.conftest import TODAY

# Google's 2023+ columns (a real export has these and more, most of them empty).
HEADER = ["First Name", "Middle Name", "Last Name", "Name Prefix", "Name Suffix", "Nickname",
          "Organization Name", "Organization Title", "Birthday", "Notes", "Labels",
          "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
          "Phone 1 - Label", "Phone 1 - Value", "Address 1 - Label", "Address 1 - Formatted",
          "Address 1 - City", "Address 1 - Postal Code", "Address 1 - Country",
          "Website 1 - Label", "Website 1 - Value"]  # fmt: skip


def google_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow([
                "Zoë", "", f"Berg{n}", "", "", "", f"Company {n % 50}", "Buyer", "1980-01-01",
                f"Met at the fair in Kraków; follow up about order {n}.",
                "* myContacts ::: Customers", "* Work", f"zoe.{n}@example.com", "Home",
                f"zoe{n}@mail.example", "Mobile", f"+49 170 {n:07d}", "Work",
                f"{n} Bergstraße\nBerlin", "Berlin", f"{n % 99999:05d}", "Germany", "Profile",
                f"https://example.com/{n}",
            ])  # fmt: skip
    return path


def test_a_large_csv_is_read_as_it_goes(empty_store: Store, tmp_path: Path) -> None:
    source = google_csv(tmp_path / "big.csv", 3000)
    size = source.stat().st_size
    tracemalloc.start()
    try:
        reading = importing.read_files([source])
        assert reading.candidates == [] and len(reading.streams) == 1  # not read yet
        plan = importing.run(empty_store, reading, dry_run=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(plan.new) == 3000
    # Read whole, the bytes, the text and the csv module's copy of it alone came to 6x the
    # file. What is held now is the new contacts (about 900 bytes each): under 4x for
    # these rows (bench/import_memory.py measures the budget, 3x, on a 40 MB file).
    assert peak < 4 * size, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


def test_a_file_that_is_not_utf8_is_read_as_windows_1252(
    empty_store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "cp1252.csv"
    rows = "".join(f"Müller {n},m{n}@example.com\r\n" for n in range(3000))  # over 64 KiB
    source.write_bytes(("Name,E-mail Address\r\n" + rows).encode("cp1252"))
    plan = importing.run(empty_store, importing.read_files([source]), dry_run=True)
    assert len(plan.new) == 3000 and plan.new[0].name == "Müller 0"


def test_first_follow_ups_never_pass_the_cadence(empty_store: Store, tmp_path: Path) -> None:
    empty_store.save_settings(Settings(daily_target=3))
    source = google_csv(tmp_path / "people.csv", 40)
    plan = importing.run(empty_store, importing.read_files([source]), heat="hot")
    dated = [c.next_due for c in plan.new if c.next_due is not None]
    # a hot week has five working days, three a day
    assert len(dated) == 15 and plan.undated == 25
    assert max(dated) <= TODAY + timedelta(days=7)
    assert max(Counter(dated).values()) == 3
    assert plan.summary_line().endswith("; 25 without a first follow-up (the daily target is full)")
    stored = empty_store.contacts()
    assert len(stored) == 40 and sum(c.next_due is None for c in stored) == 25
