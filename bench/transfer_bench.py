"""Import and export timings, each beside a baseline measured in the same run.

    python bench/transfer_bench.py [--cards 5000] [--rounds 3] [--contacts N] [--touches N]

(a) importing 5,000 generated vCards (a third 2.1 quoted-printable, a third 3.0 with
    folded lines and categories, a third 4.0) into an empty database: reading, matching,
    staggering and the one write; then the same file again (every card already here).
    Baseline: vobject alone reading the same file (`vobject.readComponents`), which
    does none of the repairs, matching or writing.
(b) exporting the heavy database (bench/make_db.py: 5,000 contacts, 50,000 touches) to
    json, csv, ics and vcf. Baseline: orjson serialising the database's raw tables.
(c) merging: the heavy database's JSON export, with 500 contacts edited later, into
    the heavy database (500 updated, 4,500 already here, no touch new). Same baseline.
Medians of N rounds; times in ms, and each as a ratio of its baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_db
import orjson

from store import exporting, importing
from store.clock import FixedClock
from store.store import Store


def vcards(count: int) -> bytes:
    """`count` cards in three dialects, each person different (names, emails, phones)."""
    out = []
    for i in range(count):
        first = make_db.FIRST[i % len(make_db.FIRST)]
        last = f"Lastname{i:05d}"
        mail = f"{first.lower()}.{i}@example{i % 97}.com"
        if i % 3 == 0:
            out.append(
                "BEGIN:VCARD\r\nVERSION:2.1\r\n"
                f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{last};{first}=C3=A9;;;\r\n"
                f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{first}=C3=A9 =\r\n{last}\r\n"
                f"ORG:Company {i % 400}, The;Sales\r\nTEL;CELL;PREF:+49 151 {i:07d}\r\n"
                f"EMAIL;INTERNET:{mail}\r\nEND:VCARD\r\n"
            )
        elif i % 3 == 1:
            out.append(
                "BEGIN:VCARD\r\nVERSION:3.0\r\n"
                f"FN:{first} {last}\r\nN:{last};{first};;;\r\nORG:Firm {i % 300};Unit\r\n"
                f"TITLE:Buyer\r\nEMAIL;TYPE=INTERNET,PREF:{mail[:10]}\r\n {mail[10:]}\r\n"
                f"TEL;TYPE=WORK:+33 4 {i:08d}\r\nCATEGORIES:My Contacts,Group {i % 12}\r\n"
                "NOTE:A note\\, with escapes\\; and a line\\nbreak\r\nEND:VCARD\r\n"
            )
        else:
            out.append(
                "BEGIN:VCARD\r\nVERSION:4.0\r\n"
                f"FN:{first} {last}\r\nN:{last};{first};;;\r\nORG:Labs {i % 200}\r\n"
                f"EMAIL;TYPE=work;PREF=1:{mail}\r\nTEL;VALUE=uri:tel:+1-555-{i:07d}\r\n"
                "END:VCARD\r\n"
            )
    return "".join(out).encode()


def median_ms(
    rounds: int, action: Callable[[], object], setup: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(rounds):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--touches", type=int, default=50_000)
    args = parser.parse_args()
    import vobject

    clock = FixedClock(make_db.NOW)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        card_file = folder / "cards.vcf"
        card_file.write_bytes(vcards(args.cards))
        db = folder / "import.json"

        def fresh() -> None:
            for path in (db, db.with_name("import.touches.json")):
                path.unlink(missing_ok=True)

        def import_cards() -> None:
            store = Store(db, clock=clock)
            plan = importing.run(store, importing.read_files([card_file]))
            assert len(plan.new) == args.cards, plan.summary_line()

        def import_again() -> None:
            plan = importing.run(Store(db, clock=clock), importing.read_files([card_file]))
            assert plan.same == args.cards, plan.summary_line()

        def vobject_only() -> None:
            text = card_file.read_text()
            assert sum(1 for _ in vobject.readComponents(text, allowQP=True)) == args.cards

        base = median_ms(args.rounds, vobject_only)
        first = median_ms(args.rounds, import_cards, fresh)
        again = median_ms(args.rounds, import_again)
        print(f"(a) import {args.cards} vCards (median of {args.rounds})")
        print(f"    vobject.readComponents alone  {base:8.0f} ms")
        print(f"    import into an empty database {first:8.0f} ms  {first / base:5.2f}x")
        print(f"    the same file again           {again:8.0f} ms  {again / base:5.2f}x")

        heavy = folder / "heavy.json"
        store = make_db.make(heavy, args.contacts, args.touches)
        tables = orjson.loads(heavy.read_bytes())
        tables.update(orjson.loads(heavy.with_name("heavy.touches.json").read_bytes()))
        raw = median_ms(args.rounds, lambda: orjson.dumps(tables))
        print(f"(b) export the heavy database ({args.contacts} contacts, {args.touches} touches)")
        print(f"    orjson.dumps of the raw tables {raw:7.0f} ms")
        for fmt in exporting.FORMATS:
            target = folder / f"out.{fmt}"

            def export_to_file(fmt: str = fmt, target: Path = target) -> None:
                exporting.write_file(target, exporting.export(Store(heavy, clock=clock), fmt))

            took = median_ms(args.rounds, export_to_file)
            size = target.stat().st_size / 1e6
            print(f"    {fmt:4} {took:8.0f} ms  {took / raw:6.1f}x  ({size:.1f} MB)")
        exported = orjson.loads(exporting.to_json(store))
        for doc in exported["contacts"][:500]:
            later = datetime.fromisoformat(doc["updated_at"]) + timedelta(minutes=1)
            doc["updated_at"] = later.isoformat()
            doc["goal"] = "edited on the other copy"
        merge_file = folder / "other.json"
        merge_file.write_bytes(orjson.dumps(exported))
        copy = folder / "copy.json"

        def copy_heavy() -> None:
            copy.write_bytes(heavy.read_bytes())
            copy.with_name("copy.touches.json").write_bytes(
                heavy.with_name("heavy.touches.json").read_bytes()
            )

        def merge() -> None:
            plan = importing.run(Store(copy, clock=clock), importing.read_files([merge_file]))
            assert len(plan.updated) == 500, plan.summary_line()

        took = median_ms(args.rounds, merge, copy_heavy)
        print(
            f"(c) merge 500 newer edits into the heavy database {took:8.0f} ms  {took / raw:6.1f}x"
        )


if __name__ == "__main__":
    main()
