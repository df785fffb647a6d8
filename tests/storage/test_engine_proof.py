"""The proof of the storage engine: a stateful property test against a plain model.

A hypothesis `RuleBasedStateMachine` drives one database through the product's API:
touches logged and unlogged, next steps edited, contacts dropped and restored, the
journal compacted (by enough logs and unlogs that it is mostly dead), from two Stores on
one path (two processes of the same program) and from forked processes, some of them
killed at each named point of a write. Outside events happen to the files as they do on
a user's machine: a torn last line, a line appended by hand, a byte flipped, the journal
cut short, removed, or replaced by an older copy.

After every step the database, read by the long-lived Stores and by a fresh one (as a new
`followup show`, `today` or `export` would: one contact's touches by the touch index, the
streak by the day counts, then everything), either equals the model or refuses with one
line (a DatabaseError). A refusal is allowed only after an outside event that damaged or
lost something; the user then puts the files back (a restore) and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from store import actions, undo
from store.clock import FixedClock
from store.engine.faults import Faults, Step
from store.errors import DatabaseError, InputError
from store.model import Contact, Touch
from store.store import Store
from tests.conftest import NOW, TODAY

PEOPLE = ("Anna Berg", "Marco Rossi", "Jonas Weber")
BIG = 9_000  # a long note: a few of them carry the journal past the index's step

# (contact uid, moment, note): what a touch is, to the model
Entry = tuple[str, str, str]


@dataclass
class Model:
    """What the database holds, as a user was told it does."""

    steps: dict[str, str] = field(default_factory=dict)  # uid -> next step
    status: dict[str, str] = field(default_factory=dict)  # uid -> active | dropped
    touches: list[Entry] = field(default_factory=list)

    def newest(self, uid: str) -> Entry | None:
        mine = [t for t in self.touches if t[0] == uid]
        return max(mine, key=lambda t: _moment(t[1]), default=None)

    def days(self) -> dict[str, int]:
        return dict(Counter(at[:10] for _, at, _ in self.touches))


def _moment(at: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(at).timestamp()


def _entry(touch: Touch) -> Entry:
    return (touch.contact_uid, touch.at.isoformat(), touch.note)


def _entries(touches: list[Touch]) -> list[Entry]:
    return sorted(_entry(t) for t in touches)


# -- another process, killed at a named step of a write (the engine's fault hook) -----------

# Where a forked writer stops, in the write of one touch: "append", half of its journal line
# written; "appended", the line written, before its fsync; "write", half of the main file's
# new copy written; "replace-main", that copy complete, before it replaces the main file;
# "replaced", after, before the folder's fsync. "between": after its acknowledged touches.
STEPS = ("between", "append", "appended", "write", "replace-main", "replaced")
SAVED_AT = frozenset({"appended", "write", "replace-main", "replaced"})


class StopAt(Faults):
    """The fault hook of a forked writer: at `step`, say "paused" and wait to be killed."""

    def __init__(self, step: str, db: Path, journal: Path, say: int) -> None:
        self.step, self.db, self.journal, self.say = step, db.resolve(), journal.resolve(), say
        self.armed = False

    def stop(self) -> None:
        os.write(self.say, b"paused\n")
        while True:
            time.sleep(60)

    def write(self, path: Path, fd: int, data: memoryview, offset: int | None) -> int:
        if self.armed and path == self.journal and offset is not None:
            if self.step == "append" and len(data) > 1:
                super().write(path, fd, data[: len(data) // 2], offset)
                self.stop()
            if self.step == "appended":
                written = super().write(path, fd, data, offset)
                if written == len(data):
                    self.stop()
                return written
        if self.armed and path == self.db and self.step == "write" and len(data) > 1:
            super().write(path, fd, data[: len(data) // 2], offset)
            self.stop()
        return super().write(path, fd, data, offset)

    def reached(self, step: Step, path: Path) -> None:
        stops = (("replace", "replace-main"), ("fsync-folder", "replaced"))
        if self.armed and path == self.db and (step, self.step) in stops:
            self.stop()


def forked_touch(uid: str, n: int) -> Touch:
    at = NOW - timedelta(days=n % 3, minutes=n + 1)  # whole minutes: never a tie with ours
    return Touch(contact_uid=uid, at=at, channel="email", outcome="waiting", note=f"fork {n}")


def _forked(db: Path, uid: str, step: str, count: int, say: int) -> None:
    try:
        faults = StopAt(step, db, db.with_name("followup.touches.jsonl"), say)
        store = Store(db, clock=FixedClock(NOW), faults=faults)
        for n in range(count):
            store.log_fields(forked_touch(uid, n), {})
            os.write(say, b"acknowledged\n")
        if step == "between":
            faults.stop()
        faults.armed = True
        store.log_fields(forked_touch(uid, count), {})
    finally:
        os._exit(1)


def run_and_kill(db: Path, uid: str, step: str, count: int) -> int:
    """A forked process logs `count` touches, then stops at `step` of the next write and
    is killed there (SIGKILL); returns how many touches it acknowledged."""
    read_end, write_end = os.pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_forked, args=(db, uid, step, count, write_end)
    )
    child.start()
    os.close(write_end)
    heard = b""
    deadline = time.monotonic() + 60
    while b"paused\n" not in heard:
        ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(read_end, 4096) if ready else b""
        if not chunk:
            break
        heard += chunk
    if child.pid is not None and child.is_alive():
        os.kill(child.pid, 9)
    child.join(30)
    os.close(read_end)
    assert b"paused\n" in heard, f"the writer never reached {step}"
    return heard.count(b"acknowledged\n")


def _one_line(error: DatabaseError) -> None:
    text = str(error)
    assert text and "\n" not in text, f"a refusal is one line, not {text!r}"


class EngineMachine(RuleBasedStateMachine):
    """The engine against the model: the rules every run has (no outside damage)."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="followup-proof-"))
        self.db = self.folder / "followup.json"
        self.journal = self.folder / "followup.touches.jsonl"
        self.clock = FixedClock(NOW)
        self.model = Model()
        self.uids: list[str] = []
        self.n = 0
        self.damaged = False  # an outside event lost or damaged something: refusing is right
        self.saved: dict[str, bytes] = {}
        self.stores: dict[str, Store] = {}

    # -- set-up and the two processes ----------------------------------------------------

    @initialize()
    def seed(self) -> None:
        store = Store(self.db, clock=self.clock)
        contacts = [Contact(name=name, created_at=NOW, updated_at=NOW) for name in PEOPLE]
        store.add_many(contacts)
        for contact in contacts:
            self.uids.append(contact.uid)
            self.model.steps[contact.uid] = ""
            self.model.status[contact.uid] = "active"
        self.stores = {"a": store, "b": Store(self.db, clock=self.clock)}

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _store(self, which: str) -> Store:
        return self.stores[which]

    def _write(self, which: str, write: object) -> object:
        """Run a write; after damage a refusal (one line) is allowed, and the files are
        then put back."""
        assert callable(write)
        try:
            return write(self._store(which))
        except DatabaseError as error:
            _one_line(error)
            assert self.damaged, f"refused with nothing damaged: {error}"
            raise

    # -- the product's writes -------------------------------------------------------------

    def _touch(self, uid: str, days: int, note: str) -> Touch:
        self.n += 1
        at = NOW - timedelta(days=days) + timedelta(seconds=2 * self.n + 1)  # never a tie
        return Touch(contact_uid=uid, at=at, channel="call", outcome="reached", note=note)

    @rule(
        who=st.integers(0, 2),
        which=st.sampled_from("ab"),
        days=st.integers(0, 3),
        big=st.booleans(),
    )
    def log(self, who: int, which: str, days: int, big: bool) -> None:
        uid = self.uids[who]
        touch = self._touch(uid, days, ("x" * BIG if big else f"note {self.n}"))
        try:
            self._write(which, lambda s: s.log_fields(touch, {"next_step": f"after {self.n}"}))
        except InputError:
            assert self.model.status[uid] == "dropped", "only a dropped contact refuses a log"
            return
        except DatabaseError:
            return
        assert self.model.status[uid] == "active"
        self.model.touches.append(_entry(touch))
        self.model.steps[uid] = f"after {self.n}"

    @rule(who=st.integers(0, 2), which=st.sampled_from("ab"))
    def a_burst_of_long_logs(self, who: int, which: str) -> None:
        """About 70 KB of logs: more than the touch index's step, so a writer brings the
        index up to date."""
        for _ in range(8):
            self.log(who, which, 0, True)

    @rule(who=st.integers(0, 2), which=st.sampled_from("ab"))
    def unlog(self, who: int, which: str) -> None:
        uid = self.uids[who]
        store = self._store(which)
        try:
            undone = self._write(which, lambda s: undo.unlog(s, s.contact(uid)))
        except DatabaseError:
            return
        removed = None if undone is None else undone.touch
        expected = self.model.newest(uid)
        assert (None if removed is None else _entry(removed)) == expected, "unlog took the newest"  # type: ignore[arg-type]
        if expected is not None:
            self.model.touches.remove(expected)
        assert store is self._store(which)

    @rule(
        who=st.integers(0, 2),
        which=st.sampled_from("ab"),
        text=st.sampled_from(["Call", "Send the deck", ""]),
    )
    def edit(self, who: int, which: str, text: str) -> None:
        uid = self.uids[who]
        try:
            self._write(which, lambda s: s.update_fields(uid, {"next_step": text}))
        except InputError:
            assert self.model.status[uid] == "dropped"
            return
        except DatabaseError:
            return
        self.model.steps[uid] = text

    @rule(who=st.integers(0, 2), which=st.sampled_from("ab"))
    def drop_or_restore(self, who: int, which: str) -> None:
        uid = self.uids[who]
        if self.model.status[uid] == "active":
            changes = {"status": "dropped", "dropped_on": TODAY, "drop_reason": "no budget"}
        else:
            changes = dict(actions.RESTORED)
        try:
            self._write(which, lambda s: s.update_fields(uid, changes))
        except DatabaseError:
            return
        self.model.status[uid] = str(changes["status"])

    @precondition(lambda self: not self.damaged)
    @rule(which=st.sampled_from("ab"))
    def compact(self, which: str) -> None:
        """Logs and unlogs of long notes until the journal, mostly dead and large, is
        compacted (a new identity in its first line); the model is unchanged."""
        store = self._store(which)
        uid = (
            self.uids[[self.model.status[u] for u in self.uids].index("active")]
            if ("active" in self.model.status.values())
            else None
        )
        if uid is None:
            return
        first = self.journal.read_bytes().split(b"\n", 1)[0] if self.journal.exists() else b""
        store.touches()  # compaction is done by a writer that holds every record
        for _ in range(200):
            touch = self._touch(uid, 0, "z" * BIG)
            logged, _ = store.log_fields(touch, {})
            assert logged is not None
            store.delete_touch(logged.uid, uid)
            if self.journal.read_bytes().split(b"\n", 1)[0] != first:
                break
        else:
            raise AssertionError("the journal was never compacted")

    @precondition(lambda self: not self.damaged)
    @rule(who=st.integers(0, 2), count=st.integers(1, 3))
    def another_process_logs(self, who: int, count: int) -> None:
        """A forked process (a `followup log` of its own) logs `count` touches."""
        uid = self.uids[who]
        if self.model.status[uid] != "active":
            return
        assert run_and_kill(self.db, uid, "between", count) == count
        for n in range(count):
            self.model.touches.append(_entry(forked_touch(uid, n)))

    @precondition(lambda self: not self.damaged and self.journal.exists())
    @rule(who=st.integers(0, 2), point=st.sampled_from(STEPS))
    def a_process_killed_mid_write(self, who: int, point: str) -> None:
        """A forked writer killed at a named point of an append to the journal: its touch
        is there if the kill came after the append, else not; nothing else changes. (The
        journal's first write is a whole file, written atomically: test_storage_crash.)"""
        uid = self.uids[who]
        if self.model.status[uid] != "active":
            return
        assert run_and_kill(self.db, uid, point, 0) == 0
        if point in SAVED_AT:
            self.model.touches.append(_entry(forked_touch(uid, 0)))

    # -- outside events that lose nothing -----------------------------------------------

    @precondition(lambda self: not self.damaged and self.journal.exists())
    @rule()
    def a_torn_last_line(self) -> None:
        """Half a line with no newline (an append torn by a crash): ignored, then cut."""
        with open(self.journal, "ab") as handle:
            handle.write(b'{"put":"99999","doc":{"contact_uid":')

    # -- the check after every step --------------------------------------------------------

    @invariant()
    def equals_the_model_or_refuses(self) -> None:
        if not self.uids:
            return
        views = [
            ("a", lambda: self._store("a")),
            ("b", lambda: self._store("b")),
            ("a new show", lambda: Store(self.db, clock=self.clock)),
        ]
        refused = False
        for name, opened in views:
            try:
                self._check(name, opened())
            except DatabaseError as error:
                _one_line(error)
                assert self.damaged, f"{name} refused with nothing damaged: {error}"
                refused = True
        try:
            self._check_days(Store(self.db, clock=self.clock))
        except DatabaseError as error:
            _one_line(error)
            assert self.damaged, f"the streak refused with nothing damaged: {error}"
            refused = True
        if self.damaged:
            self._put_back(refused)

    def _check(self, name: str, store: Store) -> None:
        store.sync()  # what the dashboard's poll does (a new process has read it all)
        for uid in self.uids:  # one contact's touches first: by the index, as `show` reads
            wanted = sorted(t for t in self.model.touches if t[0] == uid)
            assert _entries(store.touches(uid)) == wanted, f"{name}: the touches of {uid}"
        contacts = {c.uid: c for c in store.contacts(include_dropped=True)}
        assert {u: c.next_step for u, c in contacts.items()} == self.model.steps, name
        assert {u: c.status for u, c in contacts.items()} == self.model.status, name
        everything = store.touches()
        assert _entries(everything) == sorted(self.model.touches), f"{name}: every touch"
        assert len({t.id for t in everything}) == len(everything), f"{name}: an id reused"
        assert len({t.uid for t in everything}) == len(everything), f"{name}: a touch twice"

    def _check_days(self, store: Store) -> None:
        counted = {d.isoformat(): n for d, n in store.touch_days().items() if n}
        assert counted == self.model.days(), "the day counts"

    def _put_back(self, refused: bool) -> None:
        """After damage: the user restores the files as they were before it (had the
        store not refused, it matched the model: nothing to restore but the damage)."""
        for name, data in self.saved.items():
            (self.folder / name).write_bytes(data)
        for name in {p.name for p in self.folder.glob("followup.touches.jsonl*")} - set(self.saved):
            (self.folder / name).unlink()
        self.saved = {}
        self.damaged = False
        self.stores = {w: Store(self.db, clock=self.clock) for w in "ab"}
        del refused

    def _save(self) -> None:
        self.saved = {
            p.name: p.read_bytes()
            for p in self.folder.glob("followup*")
            if p.is_file() and not p.name.endswith(".lock")
        }


def _last_complete_line(data: bytes) -> int:
    """Where the journal's last complete line starts (a torn tail after it is no line)."""
    end = data.rfind(b"\n")
    return data.rfind(b"\n", 0, end) + 1


class DamageMachine(EngineMachine):
    """The rules above, and one kind of outside damage (set by the subclass)."""

    def _damage(self) -> None:
        raise NotImplementedError

    @initialize()
    def seed(self) -> None:
        """A history to lose, and the damage at once, so that every run meets it (the
        rules may bring it again later)."""
        super().seed()
        for who in range(len(PEOPLE)):
            self.log(who, "a", who, False)
        self.before_more()
        self.log(0, "b", 1, False)
        self.unlog(1, "b")  # a removal last: lost, a touch would come back
        self.damage()

    def before_more(self) -> None:
        """Between the first touches and the last ones (an older copy is taken here)."""

    @precondition(lambda self: not self.damaged and self.model.touches)
    @rule()
    def damage(self) -> None:
        self._save()
        self.damaged = True
        self._damage()


class ByteFlipped(DamageMachine):
    """A byte changed in any whole line (the last by default), by a hand edit or by bit rot
    (the file's size and modification time put back: nothing on it says it changed)."""

    line = 1  # which whole line after the header (from the end when negative): at first,
    rot = True  # the first touch's, rotted under ~70 KB of later lines

    def before_more(self) -> None:
        self.a_burst_of_long_logs(2, "a")

    @precondition(lambda self: not self.damaged and self.model.touches)
    @rule(line=st.integers(-40, 40), rot=st.booleans())
    def a_byte_flipped_anywhere(self, line: int, rot: bool) -> None:
        self.line, self.rot = line, rot
        self.damage()

    def _damage(self) -> None:
        data = bytearray(self.journal.read_bytes())
        starts = [0, *(n + 1 for n, byte in enumerate(data) if byte == ord("\n"))][:-1]
        if len(starts) > 1:
            starts = starts[1:]  # the header's damage is another story: a line after it
        start = starts[self.line % len(starts)]
        at = data.find(b'"note":"', start, data.index(b"\n", start))
        at = at + 9 if at >= 0 else start + 3
        data[at] = ord("Q") if data[at] != ord("Q") else ord("R")
        st_before = self.journal.stat()
        with open(self.journal, "r+b") as handle:
            handle.write(bytes(data))
        if self.rot:
            os.utime(self.journal, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
        # no writer appends after the damage: a new process (`followup log`), and the
        # long-lived Stores, each refuse in one line and leave the files as they are
        before = {p.name: p.read_bytes() for p in (self.db, self.journal)}
        writers = [
            lambda: Store(self.db, clock=self.clock),
            *(lambda s=s: s for s in self.stores.values()),
        ]
        for writer in writers:
            touch = self._touch(self.uids[0], 0, "after the damage")
            with pytest.raises(DatabaseError) as refused:
                writer().log_fields(touch, {}, allow_dropped=True)
            _one_line(refused.value)
            assert {p.name: p.read_bytes() for p in (self.db, self.journal)} == before


class LineAppendedByHand(DamageMachine):
    def _damage(self) -> None:
        with open(self.journal, "ab") as handle:
            handle.write(b'{"put":"5000","doc":{"contact_uid":"nobody","note":"by hand"}}\n')


class Truncated(DamageMachine):
    def _damage(self) -> None:
        data = self.journal.read_bytes()
        cut = _last_complete_line(data)  # the last whole line gone, as a bad restore does
        self.journal.write_bytes(data[:cut])


class Removed(DamageMachine):
    def _damage(self) -> None:
        self.journal.unlink()


class OlderCopy(DamageMachine):
    """An older copy of the journal (a sync tool, a restore) renamed over the live one."""

    older: bytes | None = None

    def before_more(self) -> None:
        self.keep_a_copy()

    @rule()
    def keep_a_copy(self) -> None:
        self.older = self.journal.read_bytes() if self.journal.exists() else None

    def _damage(self) -> None:
        if self.older is None:
            self.journal.unlink()
            return
        copy = self.folder / "older.jsonl"
        copy.write_bytes(self.older)
        os.replace(copy, self.journal)


PROOF = settings(
    max_examples=8,
    stateful_step_count=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _run(machine: type[RuleBasedStateMachine], **changes: object) -> None:
    run_state_machine_as_test(machine, settings=settings(PROOF, **changes))  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_engine_equals_the_model_after_every_step() -> None:
    _run(EngineMachine)


MISSING = (
    "refusing damage, a shorter, missing or older journal (the pair record and the "
    "damage rule of the journal's reading and writing)"
)


# Still missing after the pair record (seen on a trial merge): a Store that read the journal
# keeps its own copy when another program deletes the journal, and its next write puts that
# copy back, without the touches another process logged meanwhile.
VANISHED = (
    "refusing a journal deleted under a Store that read it (today it keeps and writes back "
    "its own, older copy)"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "machine",
    [
        ByteFlipped,
        LineAppendedByHand,
        Truncated,
        Removed,
        OlderCopy,
    ],
    ids=lambda m: m.__name__,
)
def test_after_outside_damage_the_engine_equals_the_model_or_refuses(
    machine: type[RuleBasedStateMachine],
) -> None:
    # fewer, shorter runs, and no shrinking: a refusal that is missing shows in the first
    _run(machine, max_examples=4, stateful_step_count=12, phases=[Phase.generate])
