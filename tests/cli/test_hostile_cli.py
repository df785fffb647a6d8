"""Hostile input on the command line: names, notes and dates chosen to break things.

Nothing may end in a traceback, nothing invalid may be stored, a refused command
leaves the database bytes as they were, and no control character or escape sequence
from the database reaches the terminal raw. The commands run in-process through
`main(argv, clock)` with stdout and stderr captured, on a copy of a small database;
a few run in a real process with a plain C locale.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from store.clock import FixedClock
from store.errors import InputError
from store.model import NAME_MAX, TEXT_MAX, Contact, Touch
from store.rules.text import check_name, check_text
from store.store import Store
from tests import journal_file
from tests.paths import ROOT
from tui.cli.run import main

CET = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=CET)  # a Tuesday
YEAR_END = datetime(2026, 12, 31, 23, 59, tzinfo=CET)
CALENDAR_END = datetime(9999, 12, 30, 12, 0, tzinfo=UTC)
LAST_DAY = datetime(9999, 12, 31, 12, 0, tzinfo=UTC)
CLOCKS = {"today": NOW, "year-end": YEAR_END, "9999-12-30": CALENDAR_END, "9999-12-31": LAST_DAY}

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ESCAPES = [
    "\x1b[2J", "\x1b]0;pwned\x07", "\x1b]8;;http://evil\x1b\\", "\x9b31m", "\r", "\x00",
    "\x07", "\u202e", "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x9d", "\x90", "\x9c", "\x85",
    "\x7f", "\t", "\n", "\u2028", "\u2029", "\ufeff", "\u200d", "\u200b", "👩‍👩‍👧", "مرحبا",
    "[2J", "31m", ";", "-", "--", "#1", *BIDI,
]  # fmt: skip
hostile = st.lists(st.sampled_from(ESCAPES) | st.text(max_size=6), max_size=15).map("".join)
any_text = st.text(max_size=500) | hostile

QUICK = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- running the command line -----------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str

    def refused(self) -> None:
        """Exit 2 with exactly one line on stderr, no traceback."""
        assert self.code == 2, self
        assert self.err.endswith("\n") and self.err.count("\n") == 1, self
        assert self.err.startswith("followup: "), self


def run(db: Path, moment: datetime, *argv: str) -> Run:
    """`followup --db DB ARGV...` in-process, on a clock standing at `moment`."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--db", str(db), *argv], clock=FixedClock(moment))
    result = Run(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in result.err, result
    assert_terminal_safe(result.out)
    assert_terminal_safe(result.err)
    return result


def unsafe(text: str, *, newline: bool = False) -> list[str]:
    """The characters of `text` that must never reach a terminal (or be stored)."""
    return [
        ch
        for ch in text
        if (unicodedata.category(ch) in ("Cc", "Cs") and not (newline and ch == "\n"))
        or ch in BIDI
        or ch in "\u2028\u2029\ufeff"
    ]


def assert_terminal_safe(output: str) -> None:
    bad = unsafe(output, newline=True)
    assert not bad, f"raw control characters {bad!r} in output {output!r}"


def files_of(db: Path) -> dict[str, bytes]:
    """The database bytes: the main file and the touches journal beside it."""
    found = {}
    for path in (db, journal_file.path_of(db)):
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def tables(db: Path) -> dict[str, Any]:
    """The main file, parsed by the standard json module (not the store's own reader)."""
    data = json.loads(db.read_bytes())
    assert isinstance(data, dict)
    return data


def touch_docs(db: Path) -> dict[str, Any]:
    return journal_file.records(db)


def assert_valid_database(db: Path) -> None:
    """Every stored record reads back through the model, with valid dates and text."""
    for key, doc in tables(db).get("contacts", {}).items():
        contact = Contact.from_doc(doc, int(key))  # raises BadRecord
        assert contact.name == check_name(contact.name)
        assert 1 <= len(contact.name) <= NAME_MAX
        for text in (contact.company, contact.goal, contact.next_step, *contact.tags):
            assert not unsafe(text, newline=True), text
        for day in (doc["next_due"], doc["dropped_on"]):
            assert day is None or date.fromisoformat(day).isoformat() == day
    for key, doc in touch_docs(db).items():
        touch = Touch.from_doc(doc, int(key))
        assert touch.at.tzinfo is not None
        assert not unsafe(touch.note, newline=True), touch.note


# -- the database each example starts from -------------------------------------------------


def _seed(path: Path) -> None:
    store = Store(path, clock=FixedClock(NOW))
    created = NOW - timedelta(days=20)

    def person(name: str, heat: str, due: int | None, **kw: Any) -> Contact:
        return Contact(
            name=name,
            created_at=created,
            updated_at=created,
            heat=heat,  # type: ignore[arg-type]
            next_step="Send the deck" if due is not None else "",
            next_due=None if due is None else NOW.date() + timedelta(days=due),
            **kw,
        )

    anna = person("Anna Berg", "hot", -2, company="Northwind", channel="email")
    contacts = [
        anna,
        person("Marco Rossi", "hot", 0, company="Bellavista"),
        person("Lena Fischer", "warm", None),
        person("Omar Diaz", "cool", 30, value=50_000.0),
    ]
    touches = [
        Touch(contact_uid=anna.uid, at=NOW - timedelta(days=d), channel="email", outcome="waiting")
        for d in (1, 8, 15)
    ]
    store.add_many(contacts, touches)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    _seed(folder / "followup.json")
    return folder


@contextmanager
def fresh_db(template: Path) -> Iterator[Path]:
    """A private copy of the template database for one example."""
    with tempfile.TemporaryDirectory() as folder:
        for name in ("followup.json", "followup.touches.jsonl"):
            shutil.copy(template / name, Path(folder) / name)
        yield Path(folder) / "followup.json"


def names_in(db: Path) -> list[str]:
    return [doc["name"] for doc in tables(db).get("contacts", {}).values()]


# -- 1. names ------------------------------------------------------------------------------


def _expected_name(name: str) -> str | None:
    try:
        return check_name(name)
    except InputError:
        return None


@QUICK
@given(name=any_text)
def test_add_any_name_stores_the_checked_name_or_refuses(template: Path, name: str) -> None:
    with fresh_db(template) as db:
        before = files_of(db)
        known = names_in(db)
        result = run(db, NOW, "add", "--", name)
        expected = _expected_name(name)
        if expected is None:
            result.refused()
            assert files_of(db) == before
            return
        assert result.code == 0, result
        added = names_in(db)[len(known) :]
        assert added == [expected]
        assert expected == expected.strip() and 1 <= len(expected) <= NAME_MAX
        assert not unsafe(expected)
        assert_valid_database(db)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("  Zoë   Ångström  ", "Zoë Ångström"),
        ("\x1b[2JAnna\x07", "Anna"),
        ("\u202eevil\u202c Corp", "evil Corp"),
        ("👩‍👩‍👧 family", "👩‍👩‍👧 family"),
        ("x" * NAME_MAX, "x" * NAME_MAX),
    ],
)
def test_add_cleans_a_name(template: Path, name: str, stored: str) -> None:
    with fresh_db(template) as db:
        assert run(db, NOW, "add", "--", name).code == 0
        assert names_in(db)[-1] == stored


@pytest.mark.parametrize("name", ["", "   ", "\x1b[2J", "\x00\x07\u202e", "x" * (NAME_MAX + 1)])
def test_add_refuses_a_name_with_nothing_left_or_too_long(template: Path, name: str) -> None:
    with fresh_db(template) as db:
        before = files_of(db)
        run(db, NOW, "add", "--", name).refused()
        assert files_of(db) == before


# -- 2. notes, and what the text commands print ------------------------------------------

READ_COMMANDS = [
    ["today"],
    ["list"],
    ["list", "--all"],
    ["streak"],
    ["stats"],
]
JSON_COMMANDS = [["today", "--json"], ["list", "--all", "--json"], ["streak", "--json"]]


def read_everything(db: Path, moment: datetime, *names: str) -> dict[str, Run]:
    """Every reading command, text and JSON; each must succeed with clean output."""
    results = {}
    commands = [*READ_COMMANDS, *JSON_COMMANDS, ["stats", "--json"]]
    for name in names:
        commands += [["show", "--", name], ["show", "--json", "--", name]]
    for argv in commands:
        result = run(db, moment, *argv)
        assert result.code == 0, (argv, result)
        if "--json" in argv:
            json.loads(result.out)
            assert result.out.isascii()
        results[" ".join(argv)] = result
    return results


notes = (
    st.text(max_size=300)
    | hostile
    | st.builds(lambda s, n: (s * n)[: TEXT_MAX + 20], hostile.filter(bool), st.integers(1, 9000))
)


@FEW
@given(note=notes)
@example(note="--")  # argparse drops a value that is "--" (tui.cli.parser.StoreValue)
@example(note="-- --")
def test_log_any_note_is_stored_clean_and_printed_safely(template: Path, note: str) -> None:
    with fresh_db(template) as db:
        before = files_of(db)
        result = run(db, NOW, "log", f"--note={note}", "--", "Anna Berg")
        try:
            expected = check_text(note, "note")
        except InputError:
            result.refused()
            assert files_of(db) == before
            return
        assert result.code == 0, result
        newest = max(touch_docs(db).values(), key=lambda d: d["at"])
        assert newest["note"] == expected
        assert not unsafe(expected, newline=True)
        assert_valid_database(db)
        shown = read_everything(db, NOW, "Anna Berg")
        history = json.loads(shown["show --json -- Anna Berg"].out)["touches"]
        assert history[0]["note"] == expected  # JSON round-trips the stored text exactly


@pytest.mark.parametrize(
    "note",
    [
        "\x1b[2J",
        "\x1b]0;pwned\x07",
        "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
        "\x9b31mred",
        "over\rwrite",
        "nul\x00bell\x07",
        "\u202eevil",
        "line one\nline two",
        "x" * TEXT_MAX,
    ],
)
def test_log_a_known_escape_in_a_note(template: Path, note: str) -> None:
    with fresh_db(template) as db:
        assert run(db, NOW, "log", f"--note={note}", "--", "Anna Berg").code == 0
        shown = read_everything(db, NOW, "Anna Berg")
        stored = json.loads(shown["show --json -- Anna Berg"].out)["touches"][0]["note"]
        assert stored == check_text(note, "note")
        assert not unsafe(stored, newline=True)


def test_log_refuses_a_note_over_the_limit(template: Path) -> None:
    with fresh_db(template) as db:
        before = files_of(db)
        result = run(db, NOW, "log", "--note=" + "x" * (TEXT_MAX + 1), "--", "Anna Berg")
        result.refused()
        assert str(TEXT_MAX) in result.err
        assert files_of(db) == before


TEXT_FIELDS = ("name", "company", "role", "goal", "email", "phone", "next_step", "drop_reason")


def _write_by_hand(db: Path, texts: dict[str, str], tags: list[str], note: str) -> None:
    """Put hostile text straight into the files, as a hand edit or another program would."""
    data = tables(db)
    for key, doc in data["contacts"].items():
        doc.update(texts)
        doc["tags"] = tags
        if key == "2":  # one dropped, for `list --all` and the archive
            doc.update(status="dropped", dropped_on=NOW.date().isoformat())
        if key == "3":  # one due today, for `today`
            doc["next_due"] = NOW.date().isoformat()
    db.write_text(json.dumps(data), encoding="utf-8")
    touches = journal_file.records(db)
    for doc in touches.values():
        doc["note"] = note
    journal_file.write(db, touches)


visible = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=3)
hand_name = st.builds(lambda a, b, c: a + b + c, hostile, visible, hostile)


@FEW
@given(
    name=hand_name,
    texts=st.fixed_dictionaries({f: hostile for f in TEXT_FIELDS if f != "name"}),
    tags=st.lists(hostile, max_size=3),
    note=hostile,
)
def test_text_stored_by_hand_comes_out_clean(
    template: Path, name: str, texts: dict[str, str], tags: list[str], note: str
) -> None:
    with fresh_db(template) as db:
        _write_by_hand(db, {"name": name, **texts}, tags, note)
        shown = read_everything(db, NOW, "#1", "#2", "#3")
        listed = json.loads(shown["list --all --json"].out)
        assert {c["name"] for c in listed} == {name}  # JSON escapes, never alters
        assert all(c["tags"] == tags and c["goal"] == texts["goal"] for c in listed)
        history = json.loads(shown["show --json -- #1"].out)["touches"]
        assert history and all(t["note"] == note for t in history)
        today = json.loads(shown["today --json"].out)
        assert [c["name"] for c in today["today"]] == [name]
        # Commands that name or change such a contact: clean lines, exit 0 or 2.
        for argv in (
            ["show", "--", name[:3]],
            ["show", "--", "zzqx"],
            ["log", "--", name],
            ["log", "--note=hi", "--", "#1"],
            ["next", "#1", "call back", "--due=fri"],
            ["snooze", "#3", "tomorrow"],
            ["heat", "#4", "cool"],
            ["drop", "--yes", "--", "#1"],
            ["restore", "--", "#2"],
            ["add", "--", name],
        ):
            result = run(db, NOW, *argv)
            assert result.code in (0, 2), (argv, result)
            if result.code == 2:
                result.refused()
        assert_valid_contacts_or_untouched(db, name)


def assert_valid_contacts_or_untouched(db: Path, name: str) -> None:
    """A record the commands wrote reads back; a hand-written one may still hold its text."""
    for key, doc in tables(db)["contacts"].items():
        contact = Contact.from_doc(doc, int(key))
        if contact.name != name:
            assert contact.name == check_name(contact.name)


@pytest.mark.parametrize(
    "name",
    ["\x1b]0;pwned\x07Eve", "\x1b[2J\x1b[HEve", "Eve\x1b]8;;http://evil\x1b\\", "\x9b31mEve"],
)
def test_a_hand_written_name_is_cleaned_in_every_text_command(template: Path, name: str) -> None:
    with fresh_db(template) as db:
        _write_by_hand(db, {"name": name}, ["\x1b[31mtag"], "\x1b]0;note\x07")
        shown = read_everything(db, NOW, "#1", "#2")
        assert "Eve" in shown["list --all"].out
        assert "Eve" in shown["show -- #1"].out


# -- 3. dates at the edges of the calendar --------------------------------------------------

EDGE_DATES = [
    "9999-12-31", "0001-01-01", "2026-02-29", "2028-02-29", "feb 29", "+99999d", "99999999w",
    "dec 31", "+3d", "3d", "tomorrow", "yesterday", "next week", "next month", "in a year",
    "fri", "1y", "10y", "120m", "31/12", "29/2", "12/31/9999", "99999999999999999999",
    "+999999999999999999999999d", "", " ", "-3d", "today", "now", "23:59", "yesterday 23:59",
    "9999-12-31T23:59:59+14:00", "0001-01-01T00:00-14:00", "0001-01-01T00:00+14:00",
    "2026-11-24T09:00:30+01:00", "\x1b[2J", "1e9d", "nan", "dec 31 9999", "31 dec 99",
]  # fmt: skip


def date_commands(text: str) -> list[list[str]]:
    return [
        ["add", f"--due={text}", "--", "New Person"],
        ["log", f"--due={text}", "--", "Anna Berg"],
        ["log", f"--at={text}", "--", "Anna Berg"],
        ["next", "Marco Rossi", "send the offer", f"--due={text}"],
        ["snooze", "Lena Fischer", "--", text],
        ["log", "--", "Omar Diaz"],  # the cadence's own date, one cadence from today
        ["add", "--", "Someone New"],  # tomorrow
    ]


def check_date_command(db: Path, moment: datetime, argv: list[str]) -> None:
    before = files_of(db)
    result = run(db, moment, *argv)
    assert result.code in (0, 2), (argv, result)
    if result.code == 2:
        result.refused()
        assert files_of(db) == before
        return
    assert_valid_database(db)
    today = moment.date()
    for doc in tables(db)["contacts"].values():
        if doc["updated_at"] == moment.isoformat() and doc["next_due"] is not None:
            assert date.fromisoformat(doc["next_due"]) >= today, (argv, doc)  # never the past
    for doc in touch_docs(db).values():
        assert datetime.fromisoformat(doc["at"]) <= moment + timedelta(minutes=1), (argv, doc)


@pytest.mark.parametrize("clock", list(CLOCKS), ids=list(CLOCKS))
def test_edge_dates(template: Path, clock: str) -> None:
    """Every edge date in every date option, one after the other on one database."""
    moment = CLOCKS[clock]
    with fresh_db(template) as db:
        for text in EDGE_DATES:
            for argv in date_commands(text)[:5]:
                check_date_command(db, moment, argv)
        for argv in date_commands("")[5:]:
            check_date_command(db, moment, argv)
        read_everything(db, moment, "Anna Berg", "Omar Diaz")


def test_a_past_due_date_is_refused(template: Path) -> None:
    with fresh_db(template) as db:
        before = files_of(db)
        for argv in (
            ["snooze", "Anna Berg", "yesterday"],
            ["snooze", "Anna Berg", "2026-11-23"],
            ["next", "Anna Berg", "call", "--due=0001-01-01"],
            ["add", "--due=yesterday", "--", "New Person"],
            ["log", "--due=2026-02-28", "--", "Anna Berg"],
        ):
            run(db, NOW, *argv).refused()
        assert files_of(db) == before


def test_dec_31_on_dec_31_is_today(template: Path) -> None:
    with fresh_db(template) as db:
        assert run(db, YEAR_END, "snooze", "Lena Fischer", "dec 31").code == 0
        lena = next(d for d in tables(db)["contacts"].values() if d["name"] == "Lena Fischer")
        assert lena["next_due"] == "2026-12-31"


def test_the_last_days_of_the_calendar(template: Path) -> None:
    """At 9999-12-30 "+3d" is refused in one line; the cadence stops at 9999-12-31."""
    with fresh_db(template) as db:
        result = run(db, CALENDAR_END, "snooze", "Anna Berg", "+3d")
        result.refused()
        assert "9999-12-31" in result.err
        assert run(db, CALENDAR_END, "log", "--", "Anna Berg").code == 0
        anna = next(d for d in tables(db)["contacts"].values() if d["name"] == "Anna Berg")
        assert anna["next_due"] == "9999-12-31"
        assert run(db, LAST_DAY, "add", "--", "Last Person").code == 0
        assert "Last Person" in names_in(db)


date_text = (
    st.text(max_size=40)
    | st.sampled_from(EDGE_DATES)
    | st.from_regex(
        r"[+]?\d{1,25} ?(d|w|m|y|days|weeks)?|\d{1,4}[-/.]\d{1,3}[-/.]\d{1,5}", fullmatch=True
    )
)


@QUICK
@given(text=date_text, clock=st.sampled_from(list(CLOCKS.values())))
def test_any_date_text(template: Path, text: str, clock: datetime) -> None:
    with fresh_db(template) as db:
        for argv in date_commands(text)[:5]:
            check_date_command(db, clock, argv)


# -- 5. a plain C locale in a real process -------------------------------------------------


def _plain_env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON", "LANG"))}
    env.update(FOLLOWUP_DB=str(db), FOLLOWUP_NOW="2026-11-24T09:00+01:00", **extra)
    return env


@pytest.mark.parametrize(
    "locale",
    [{"LANG": "C"}, {"LC_ALL": "C", "PYTHONUTF8": "0"}, {"LANG": "C", "PYTHONUTF8": "0"}],
    ids=["LANG=C", "LC_ALL=C-no-utf8-mode", "LANG=C-no-utf8-mode"],
)
def test_text_commands_in_a_plain_c_locale(tmp_path: Path, locale: dict[str, str]) -> None:
    db = tmp_path / "followup.json"
    env = _plain_env(db, **locale)
    name = "Zoë Ångström 山田 😀"
    commands = [
        ["add", name, "--company", "Café Ünïcode", "--next", "envoyer le devis à Zoë"],
        ["log", "Zoë", "--note", "a parlé de l’offre ✓\nnouvelle ligne"],
        ["today"],
        ["list"],
        ["show", "Zoë"],
        ["streak"],
        ["stats"],
        ["show", "Zoë", "--json"],
        ["show", "nobody-ç"],
    ]
    for argv in commands:
        proc = subprocess.run(
            [sys.executable, "-m", "tui.cli", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=60,
        )
        err = proc.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, (argv, err)
        assert proc.returncode == (2 if argv[-1] == "nobody-ç" else 0), (argv, err)
        text = proc.stdout.decode("utf-8")  # readable: UTF-8, or ASCII with "?"
        assert_terminal_safe(text)
        if argv[0] in ("list", "show") and proc.returncode == 0 and "--json" not in argv:
            assert ("Zo" in text and "Ångström" in text) or "?ngstr?m" in text
    stored = json.loads(db.read_bytes())["contacts"]["1"]["name"]
    assert stored == name  # the typed UTF-8 name, even where the locale says ASCII
