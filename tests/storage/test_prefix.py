"""The hash of a journal's first bytes followed as the journal grows (`Followed`): always
the digest of the file as it is now (`prefix_of`), hashing only the bytes appended since
the last digest of the same file, and the whole file again when it was cut, replaced or
rewritten in place (as a reader that follows the journal by offset tells: by the bytes just
before where it stopped; every writer checks every byte before it appends)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.engine.prefix import UNKNOWN, Followed, prefix_of


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _append(path: Path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


def test_only_the_bytes_appended_since_the_last_digest_are_hashed(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    _write(path, b"a" * 5000)
    followed = Followed()
    assert followed.digest(path, 5000) == prefix_of(path, 5000)
    assert followed.bytes_hashed == 5000
    _append(path, b"b" * 300)
    assert followed.digest(path, 5300) == prefix_of(path, 5300)
    assert followed.bytes_hashed == 5300
    assert followed.digest(path, 5300) == prefix_of(path, 5300)  # nothing new: nothing read
    assert followed.bytes_hashed == 5300


def test_a_file_rewritten_in_place_before_the_end_hashed_is_hashed_whole(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    _write(path, b"a" * 5000)
    followed = Followed()
    followed.digest(path, 5000)
    with open(path, "r+b") as handle:  # the same inode, the bytes before 5000 changed
        handle.seek(4990)
        handle.write(b"X")
    _append(path, b"b" * 100)
    assert followed.digest(path, 5100) == prefix_of(path, 5100)
    assert followed.bytes_hashed == 5000 + 5100


def test_a_file_replaced_or_cut_short_is_hashed_whole(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    _write(path, b"a" * 5000)
    followed = Followed()
    followed.digest(path, 5000)
    other = tmp_path / "older.jsonl"
    _write(other, b"a" * 5000 + b"c" * 10)  # the same first bytes, another file
    os.replace(other, path)
    assert followed.digest(path, 5010) == prefix_of(path, 5010)
    assert followed.bytes_hashed == 5000 + 5010
    os.truncate(path, 4000)
    assert followed.digest(path, 5010) == UNKNOWN == prefix_of(path, 5010)
    assert followed.digest(path, 4000) == prefix_of(path, 4000)
    assert followed.bytes_hashed == 5000 + 5010 + 4000


def test_a_missing_file_is_unknown_and_the_file_held_is_let_go(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    _write(path, b"a" * 100)
    followed = Followed()
    followed.digest(path, 100)
    path.unlink()
    assert followed.digest(path, 100) == UNKNOWN
    before = len(os.listdir("/proc/self/fd"))
    followed.forget()
    assert len(os.listdir("/proc/self/fd")) == before - 1


@pytest.mark.parametrize("held", [True, False])
@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["append", "flip", "cut", "replace"]), st.integers(0, 600)),
        max_size=8,
    )
)
def test_every_digest_is_that_of_the_file_as_it_is(
    tmp_path_factory: pytest.TempPathFactory, held: bool, steps: list[tuple[str, int]]
) -> None:
    path = tmp_path_factory.mktemp("followed") / "j.jsonl"
    _write(path, b"h" * 700)
    followed = Followed()
    for kind, n in steps:
        size = path.stat().st_size
        if kind == "append":
            _append(path, bytes([65 + n % 26]) * n)
        elif kind == "flip" and size:  # in place, among the last bytes hashed
            at = size - 1 - n % min(size, Followed.TAIL)
            with open(path, "r+b") as handle:
                handle.seek(at)
                old = handle.read(1)
                handle.seek(at)
                handle.write(bytes([old[0] ^ 1]))
        elif kind == "cut":
            os.truncate(path, min(n, size))
        elif kind == "replace":
            other = path.with_name("other")
            _write(other, path.read_bytes()[: min(n, size)])
            os.replace(other, path)
        size = path.stat().st_size
        for end in (max(size - n, 0), size):
            assert followed.digest(path, end) == prefix_of(path, end)
        if not held:
            followed.forget()
