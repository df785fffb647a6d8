"""The token and the feed key: random, 0600 beside the database, kept across restarts,
replaced by --new-token; a file others can read is refused in one line."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from store.errors import DatabaseError
from tui.web.secrets import load_or_create, secrets_path


def test_made_once_kept_then_replaced(tmp_path: Path) -> None:
    db = tmp_path / "followup.json"
    first = load_or_create(db)
    path = secrets_path(db)
    assert path.parent == tmp_path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.token != first.feed_key
    assert min(len(first.token), len(first.feed_key)) >= 40
    assert load_or_create(db) == first  # a restart keeps bookmarks and subscriptions
    renewed = load_or_create(db, renew=True)
    assert renewed.token != first.token and renewed.feed_key != first.feed_key
    assert load_or_create(db) == renewed
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_two_databases_two_tokens(tmp_path: Path) -> None:
    assert load_or_create(tmp_path / "a.json") != load_or_create(tmp_path / "b.json")


@pytest.mark.parametrize(
    ("content", "mode", "says"),
    [
        ('{"token": "x"}', 0o600, "damaged"),
        ("not json", 0o600, "damaged"),
        (f'{{"token": "{"a" * 43}", "feed_key": "{"b" * 43}"}}', 0o644, "readable by others"),
    ],
)
def test_a_file_not_to_trust_is_one_line(
    tmp_path: Path, content: str, mode: int, says: str
) -> None:
    db = tmp_path / "followup.json"
    path = secrets_path(db)
    path.write_text(content)
    os.chmod(path, mode)
    with pytest.raises(DatabaseError) as raised:
        load_or_create(db)
    assert says in str(raised.value) and "\n" not in str(raised.value)
    assert load_or_create(db, renew=True).token  # --new-token is the way out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
