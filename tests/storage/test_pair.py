"""The main file and the journal as a pair, seen through the Store: an open store refuses
a journal swapped under it, and a write that fails at any step changes nothing."""

from __future__ import annotations

import errno
from datetime import timedelta
from pathlib import Path

import pytest

from store.clock import FixedClock
from store.engine.paths import journal_path
from store.errors import DatabaseError
from store.model import Touch
from store.store import Faults, Step, Store
from tests.conftest import NOW, Env


def _touch(env: Env, note: str, store: Store | None = None) -> Touch:
    logged, _ = (store or env.store).log_fields(
        Touch(
            contact_uid=env.uid("Anna Berg"), at=NOW, channel="call", outcome="reached", note=note
        ),
        {"next_step": "Send the deck", "next_due": NOW.date() + timedelta(days=7)},
    )
    assert logged is not None
    return logged


def _one_line(error: pytest.ExceptionInfo[DatabaseError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_an_older_journal_renamed_over_an_open_store_is_refused_at_every_sync(
    tmp_store: Env,
) -> None:
    journal = journal_path(tmp_store.path)
    older = journal.with_name("older-copy")
    older.write_bytes(journal.read_bytes())
    open_store = tmp_store.other_store()
    assert len(open_store.touches()) == 2  # the dashboard read every touch
    _touch(tmp_store, "third")
    assert open_store.sync()
    assert len(open_store.touches()) == 3
    older.rename(journal)
    for _ in range(2):  # and again: the refusal is not forgotten
        with pytest.raises(DatabaseError) as refused:
            open_store.sync()
        assert str(journal) in _one_line(refused) and "backup" in str(refused.value)
    with pytest.raises(DatabaseError):
        _touch(tmp_store, "fourth", open_store)


def test_a_journal_removed_under_an_open_store_is_refused_not_read_as_no_history(
    tmp_store: Env,
) -> None:
    open_store = tmp_store.other_store()
    assert len(open_store.touches()) == 2
    journal_path(tmp_store.path).unlink()
    with pytest.raises(DatabaseError) as refused:
        Store(tmp_store.path, clock=tmp_store.clock).touches()
    assert str(journal_path(tmp_store.path)) in _one_line(refused)


class FailAt(Faults):
    """Fails the named step of a commit with a full disk, once."""

    def __init__(self, step: str) -> None:
        self.step: str | None = step
        self.seen: list[str] = []

    def reached(self, step: Step, path: Path) -> None:
        self.seen.append(step)
        if step == self.step:
            self.step = None
            raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("step", ["backup", "append", "write-main"])
def test_a_write_that_fails_at_any_step_changes_nothing_and_a_retry_adds_once(
    tmp_path: Path, clock: FixedClock, tmp_store: Env, step: str
) -> None:
    files = [tmp_store.path, journal_path(tmp_store.path)]
    before = [path.read_bytes() for path in files]
    faults = FailAt(step)
    store = Store(tmp_store.path, clock=clock, faults=faults)
    if step == "backup":  # the day's backup is taken before the first write of the day
        for backup in (tmp_store.path.parent / "backups").glob("*"):
            backup.unlink()
    with pytest.raises(DatabaseError) as failed:
        _touch(tmp_store, "only once", store)
    assert "nothing was changed" in _one_line(failed)
    assert step in faults.seen
    assert [path.read_bytes() for path in files] == before
    assert len(store.touches()) == 2
    assert store.contact(tmp_store.uid("Anna Berg")).next_step == "Send the pricing deck"
    _touch(tmp_store, "only once", store)
    notes = [t.note for t in Store(tmp_store.path, clock=clock).touches()]
    assert notes.count("only once") == 1
