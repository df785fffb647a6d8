"""Bit rot in the middle of the journal (one byte changed in place, the file's size and
modification time put back): every Store that writes refuses, naming the file and the
line, and appends nothing; a Store that reads one contact or the streak refuses too."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from store.engine.paths import journal_path
from store.errors import DatabaseError
from store.model import Touch
from tests.conftest import NOW, Env


def _touch(env: Env, name: str, n: int, size: int = 3000) -> Touch:
    return Touch(
        contact_uid=env.uid(name),
        at=NOW - timedelta(minutes=n),
        channel="call",
        outcome="reached",
        note=f"call {n} ".ljust(size, "x"),
    )


def _files(env: Env) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (env.path, journal_path(env.path))}


def _rot(path: Path, number: int) -> None:
    """Change one byte inside line `number` (1-based), size and mtime kept."""
    st = path.stat()
    data = bytearray(path.read_bytes())
    start = 0
    for _ in range(number - 1):
        start = data.index(b"\n", start) + 1
    at = data.index(b'"', start + 12) + 1  # inside the first key after `CCCCCCCC {"`
    data[at] ^= 0x01
    with open(path, "r+b") as handle:
        handle.write(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.fixture
def rotten(tmp_store: Env) -> tuple[Env, int]:
    """~120 KB of touches (past a quick read's tail and the index's step), then a byte of
    one of Jonas's early lines changed in place."""
    for n in range(40):
        tmp_store.store.log_fields(_touch(tmp_store, "Jonas Weber", n), {})
    tmp_store.store.log_fields(_touch(tmp_store, "Marco Rossi", 99, size=10), {})
    _rot(journal_path(tmp_store.path), 6)
    return tmp_store, 6


def _refuses(env: Env, number: int, write: object) -> None:
    assert callable(write)
    before = _files(env)
    with pytest.raises(DatabaseError) as refused:
        write()
    text = str(refused.value)
    assert f"{journal_path(env.path)}: line {number} is damaged" in text, text
    assert "\n" not in text
    assert _files(env) == before


def test_a_store_that_read_every_touch_refuses_to_append_after_bit_rot(
    rotten: tuple[Env, int],
) -> None:
    env, number = rotten
    store = env.store  # as the dashboard: every touch read before the rot
    assert store.touches_loaded
    _refuses(env, number, lambda: store.log_fields(_touch(env, "Marco Rossi", 1), {}))
    _refuses(env, number, lambda: store.log_fields(_touch(env, "Anna Berg", 2), {}))


def test_a_new_store_refuses_to_append_after_bit_rot(rotten: tuple[Env, int]) -> None:
    env, number = rotten
    _refuses(env, number, lambda: env.other_store().log_fields(_touch(env, "Marco Rossi", 1), {}))
    marco = env.other_store().contact(env.uid("Marco Rossi"))
    _refuses(env, number, lambda: env.other_store().touches(marco.uid))
    _refuses(env, number, lambda: env.other_store().touch_days())
    touch = next(iter(env.store.touches(marco.uid)))  # read by the store that read it all
    _refuses(env, number, lambda: env.other_store().delete_touch(touch.uid, marco.uid))


def test_bit_rot_after_the_last_write_of_a_store_is_found_at_its_next_write(
    tmp_store: Env,
) -> None:
    for n in range(40):
        tmp_store.store.log_fields(_touch(tmp_store, "Jonas Weber", n), {})
    writer = tmp_store.other_store()
    writer.log_fields(_touch(tmp_store, "Marco Rossi", 1), {})  # a tail read, then written
    _rot(journal_path(tmp_store.path), 10)
    _refuses(tmp_store, 10, lambda: writer.log_fields(_touch(tmp_store, "Marco Rossi", 2), {}))


def test_a_store_that_read_every_touch_reads_again_a_journal_rewritten_in_place(
    tmp_store: Env,
) -> None:
    """Two whole lines swapped in place, each still holding its check (a program that
    knows the format), size and mtime kept: the Store's write refuses, nothing written,
    and its next read takes the journal as it now is."""
    store = tmp_store.store
    for n in range(3):
        store.log_fields(_touch(tmp_store, "Jonas Weber", n, size=10), {})
    journal = journal_path(tmp_store.path)
    st = journal.stat()
    lines = journal.read_bytes().split(b"\n")
    lines[1], lines[2] = lines[2], lines[1]  # Anna's two touches
    journal.write_bytes(b"\n".join(lines))
    os.utime(journal, ns=(st.st_atime_ns, st.st_mtime_ns))
    before = _files(tmp_store)
    with pytest.raises(DatabaseError, match="changed in place by another program"):
        store.log_fields(_touch(tmp_store, "Marco Rossi", 9, size=10), {})
    assert _files(tmp_store) == before
    store.sync()
    store.log_fields(_touch(tmp_store, "Marco Rossi", 9, size=10), {})
    fresh = tmp_store.other_store()
    assert sorted(t.uid for t in store.touches()) == sorted(t.uid for t in fresh.touches())
    assert len(fresh.touches()) == 2 + 3 + 1
