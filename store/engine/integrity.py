"""`followup check` and `followup repair`: both files, the pair, and what is derived.

`check` reads everything and changes nothing: the main file, every line of the journal,
the pair (store/engine/pair.py), the touch index against the journal, the day counts
against the touches, and the newest backup. `repair`, under the lock and after a backup
of both files, sets every damaged line of the journal aside in a file beside it, accepts
the journal on disk (saying what the main file knew of that it lacks), writes the journal
again whole with ids above every id ever given, counts the days again, builds the index,
and records the new pair in the main file. Neither goes through the Store: a Store
refuses exactly what these are for.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msgspec
import orjson

from store.engine import backup, day_cache
from store.engine.atomic import NOFOLLOW, atomic_write
from store.engine.files import JsonFile, Tables, open_regular
from store.engine.journal import Journal
from store.engine.journal_format import check_header, decode, next_of, valid
from store.engine.journal_records import Records
from store.engine.journal_scan import IndexFile, build_index, of_contact, read_indexed
from store.engine.lock import FileLock
from store.engine.pair import Pair, recorded, verify_on_disk, with_pair
from store.engine.paths import journal_path
from store.engine.prefix import prefix_of
from store.errors import DatabaseError, describe_os_error


class Finding(msgspec.Struct):
    """One part checked: its name, whether it holds, and what was found."""

    part: str
    ok: bool
    text: str


class JournalRead(msgspec.Struct):
    """Every line of a journal, each checked: the records of the good ones, and the
    damaged ones (number and bytes) and a torn last line, set apart."""

    exists: bool = False
    header: dict[str, Any] | None = None
    records: dict[str, Any] = msgspec.field(default_factory=dict)
    next_id: int = 1
    lines: int = 0
    damaged: list[tuple[int, bytes]] = msgspec.field(default_factory=list)
    torn: bytes = b""


def read_journal(path: Path) -> JournalRead:
    """Read every line of the journal at `path` (not there: an empty read)."""
    found = JournalRead()
    try:
        fd = open_regular(path, os.O_RDONLY | NOFOLLOW)
    except FileNotFoundError:
        return found
    try:
        data = os.pread(fd, os.fstat(fd).st_size, 0)
    finally:
        os.close(fd)
    found.exists = True
    end = data.rfind(b"\n") + 1
    found.torn = data[end:]
    lines = data[:end].split(b"\n")[:-1]
    found.lines = len(lines)
    if lines:
        header = check_header(lines[0], path, 1, "touches")
        if header is None:
            found.damaged.append((1, lines[0]))
        found.header = header
    entries: list[dict[str, Any]] = []
    for number, line in enumerate(lines[1:], start=2):
        entry = decode(line)
        if entry is None or not valid(entry):
            found.damaged.append((number, line))
        else:
            entries.append(entry)
    while entries and entries[-1].get("more"):  # a batch torn by a crash: never whole
        entries.pop()
    records: dict[str, Any] = {}
    for entry in entries:
        if "put" in entry:
            records[entry["put"]] = entry["doc"]
        else:
            records.pop(entry["del"], None)
    found.records = records
    start = found.header.get("next") if found.header else 1
    found.next_id = next_of(entries, start if type(start) is int and start > 0 else 1)
    return found


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def check(path: Path, today: date) -> list[Finding]:
    """What `followup check` finds, part by part (nothing is written)."""
    findings: list[Finding] = []
    main = JsonFile(path)
    try:
        tables = main.load()
        main.materialize()
    except DatabaseError as error:
        return [Finding("main file", False, str(error)), _backups(path, today)]
    if tables is None:
        return [Finding("main file", False, f"{path} does not exist"), _backups(path, today)]
    tables = main.data or {}
    contacts = tables.get("contacts") or {}
    if main.hidden:
        findings.append(Finding("main file", False, f"{path}: {main.hidden[0]}"))
    else:
        findings.append(
            Finding("main file", True, f"{path} ({_plural(len(contacts), 'contact', 'contacts')})")
        )
    journal = journal_path(path)
    try:
        read = read_journal(journal)
    except DatabaseError as error:
        findings.append(Finding("journal", False, str(error)))
        return [*findings, _backups(path, today)]
    findings.append(_journal_finding(journal, read))
    pair = recorded(tables)
    findings.append(_pair_finding(path, journal, pair, read))
    identity = read.header.get("id") if read.header else None
    size = journal.stat().st_size - len(read.torn) if read.exists else 0
    findings.append(_index_finding(journal, identity, size, read))
    findings.append(_days_finding(tables, journal, identity, size, read))
    findings.append(_backups(path, today))
    return findings


def _journal_finding(journal: Path, read: JournalRead) -> Finding:
    if not read.exists:
        return Finding("journal", True, f"{journal} does not exist (no touch logged yet)")
    if read.damaged:
        numbers = ", ".join(str(n) for n, _ in read.damaged[:5])
        more = " and more" if len(read.damaged) > 5 else ""
        first = read.damaged[0][0]
        return Finding(
            "journal",
            False,
            f"{journal}: line {first} is damaged "
            f"({_plural(len(read.damaged), 'damaged line', 'damaged lines')}: {numbers}{more})",
        )
    torn = " and a torn last line (cut by the next write)" if read.torn else ""
    touches = _plural(len(read.records), "touch", "touches")
    return Finding("journal", True, f"{journal} ({touches} in {read.lines} lines{torn})")


def _pair_finding(path: Path, journal: Path, pair: Pair | None, read: JournalRead) -> Finding:
    if pair is None:
        return Finding("pair", True, "not recorded yet (recorded by the next write)")
    try:
        verify_on_disk(journal, path, pair)
    except DatabaseError as error:
        return Finding("pair", False, f"{error}; {_missing(pair, read)}")
    same = pair.journal == (read.header or {}).get("id")
    if same and pair.xxh3 is not None and prefix_of(journal, pair.size) != pair.xxh3:
        return Finding(
            "pair",
            False,
            f"{journal}: its first {pair.size} bytes are not those followup wrote "
            "(changed in place since)",
        )
    return Finding("pair", True, f"{journal.name} is the journal {path.name} was written with")


def _missing(pair: Pair, read: JournalRead) -> str:
    """What the main file knew of that the journal on disk lacks."""
    lost = pair.next - read.next_id
    if lost <= 0:
        return "no touch id the main file knew of is missing"
    first, last = read.next_id, pair.next - 1
    ids = f"id {first}" if first == last else f"ids {first} to {last}"
    verb = "is" if lost == 1 else "are"
    return f"up to {_plural(lost, 'touch', 'touches')} ({ids}) written after it {verb} missing"


def _index_finding(journal: Path, identity: str | None, size: int, read: JournalRead) -> Finding:
    index = IndexFile(journal).read()
    if index is None:
        return Finding("index", True, "none (built at a later write)")
    if (
        index[0] != identity
        or not 0 <= index[1] <= size
        or (index[4] is not None and prefix_of(journal, index[1]) != index[4])
    ):
        return Finding("index", True, "describes another version of the journal (not used)")
    uids = {d.get("contact_uid") for d in read.records.values() if isinstance(d, dict)}
    for uid in sorted(u for u in uids if isinstance(u, str)):
        try:
            found = read_indexed(journal, index[2], index[1], size, uid)
        except OSError:
            found = None
        wanted = {k: d for k, d in read.records.items() if of_contact(d, uid)}
        if found != wanted:
            return Finding("index", False, f"{index[0][:8]}... does not match the journal")
    return Finding("index", True, f"matches the journal up to byte {index[1]}")


def _days_finding(
    tables: Tables, journal: Path, identity: str | None, size: int, read: JournalRead
) -> Finding:
    cache = day_cache.first(tables, "cache")
    signature = [identity, size, prefix_of(journal, size)] if identity else None
    if not day_cache.fits(cache, signature):
        return Finding("day counts", True, "not of this journal (counted again when needed)")
    counted = (cache or {}).get("touch_days")
    if counted != day_cache.count_days(read.records):
        return Finding("day counts", False, "do not match the touches in the journal")
    return Finding("day counts", True, "match the touches in the journal")


def _backups(path: Path, today: date) -> Finding:
    newest = backup.newest_backup(path, today)
    if newest is None:
        return Finding("backups", True, "none yet (taken before the first write of a day)")
    try:
        with open(open_regular(newest), "rb") as handle:
            orjson.loads(handle.read())
    except (OSError, DatabaseError, orjson.JSONDecodeError):
        return Finding("backups", False, f"the newest, {newest}, can't be read")
    return Finding("backups", True, f"newest {newest}")


def repair(path: Path, now: datetime) -> list[str]:
    """Repair the pair at `path` (see the module's docstring); what was done, line by line.
    Raises DatabaseError when the main file itself can't be read (restore a backup)."""
    journal_file = journal_path(path)
    done: list[str] = []
    with FileLock(path.with_name(path.name + ".lock"), path):
        main = JsonFile(path)
        tables = main.load()
        main.materialize()
        if tables is None or main.data is None:
            raise DatabaseError(f"{path} does not exist; nothing to repair")
        if main.hidden:
            raise DatabaseError(
                f"{path}: {main.hidden[0]}; fix it by hand or restore "
                f"{backup.newest_backup(path, now.date()) or 'a backup'}"
            )
        tables = main.data
        read = read_journal(journal_file)
        taken = backup.take_before_migration([path, journal_file], path, what="repair")
        done.append(f"backed up to {', '.join(str(p) for p in taken)}")
        if read.damaged or read.torn:
            aside = _set_aside(journal_file, read, now)
            lines = [f"line {n}" for n, _ in read.damaged] + (
                ["a torn last line"] if read.torn else []
            )
            done.append(f"set {', '.join(lines)} of {journal_file} aside in {aside}")
        pair = recorded(tables)
        next_id = read.next_id
        if pair is not None:
            try:
                verify_on_disk(journal_file, path, pair)
            except DatabaseError as error:
                done.append(f"{error}; accepted as it is: {_missing(pair, read)}")
            next_id = max(next_id, pair.next)  # an id is never given twice
        journal = Journal(journal_file, mode_like=path)
        journal.create(Records(read.records), next_id=next_id)
        index = build_index(journal.records, journal.written)
        if index is not None and journal.identity is not None:
            prefix = journal.hash_at(journal.offset)
            IndexFile(journal_file).write(
                (journal.identity, journal.offset, index, journal.next_id, prefix)
            )
        signature = day_cache.signature_of(journal)
        tables = day_cache.with_cache(tables, journal.records, None, Counter(), signature)
        main.write(with_pair(tables, journal.pair()))
        done.append(
            f"wrote {journal_file} again ({_plural(len(journal.records), 'touch', 'touches')}) "
            "and rebuilt the touch index and the day counts"
        )
    return done


def _set_aside(journal: Path, read: JournalRead, now: datetime) -> Path:
    """Write the damaged lines (and a torn last line) to a new file beside the journal,
    in the journal's mode."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = journal.with_name(f"{journal.name}.damaged-{stamp}")
    n = 1
    while os.path.lexists(target):
        n += 1
        target = journal.with_name(f"{journal.name}.damaged-{stamp}.{n}")
    payload = b"".join(line + b"\n" for _, line in read.damaged) + read.torn
    try:
        atomic_write(target, [payload], stat.S_IMODE(journal.stat().st_mode))
    except OSError as error:
        raise DatabaseError(
            f"could not write {target}: {describe_os_error(error)}; nothing was changed"
        ) from None
    return target
