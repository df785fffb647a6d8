"""The web view's two secrets: the token that opens the dashboard and the key of the
calendar feed. Random (`secrets.token_urlsafe`), kept in a file beside the database
readable by its owner only (0600), so a bookmark and a calendar subscription survive a
restart; `--new-token` replaces both.

    <stem>.web-secrets.json   {"token": "...", "feed_key": "..."}
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from pathlib import Path

import msgspec

from store.errors import DatabaseError

SECRET_BYTES = 32  # 256 bits each, 43 URL-safe characters


class WebSecrets(msgspec.Struct, frozen=True):
    token: str
    feed_key: str

    @classmethod
    def fresh(cls) -> WebSecrets:
        return cls(secrets.token_urlsafe(SECRET_BYTES), secrets.token_urlsafe(SECRET_BYTES))


def secrets_path(database: Path) -> Path:
    """The secrets file of a database: `<stem>.web-secrets.json` beside it."""
    return database.with_name(f"{database.stem}.web-secrets.json")


def load_or_create(database: Path, *, renew: bool = False) -> WebSecrets:
    """The secrets kept beside `database`; new ones (written first) when there are none
    or `renew` is asked. A file that is not ours to trust is one clear line."""
    path = secrets_path(database)
    if not renew:
        found = _read(path)
        if found is not None:
            return found
    fresh = WebSecrets.fresh()
    _write(path, fresh)
    return fresh


def _read(path: Path) -> WebSecrets | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DatabaseError(f"{path}: can't read the web secrets ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseError(f"{path}: not a regular file; remove it or use --new-token")
        if info.st_mode & 0o077 or info.st_uid != os.getuid():
            raise DatabaseError(
                f"{path}: readable by others or not yours; remove it or use --new-token"
            )
        raw = handle.read(4096)
    try:
        doc = json.loads(raw)
        token, key = doc["token"], doc["feed_key"]
    except (ValueError, KeyError, TypeError):
        raise DatabaseError(f"{path}: damaged; use --new-token to make new secrets") from None
    if not (isinstance(token, str) and isinstance(key, str) and min(len(token), len(key)) >= 32):
        raise DatabaseError(f"{path}: damaged; use --new-token to make new secrets")
    return WebSecrets(token, key)


def _write(path: Path, value: WebSecrets) -> None:
    """Atomically: a 0600 temporary file created exclusively in the same folder, fsynced,
    then renamed over the old one."""
    payload = json.dumps({"token": value.token, "feed_key": value.feed_key}).encode() + b"\n"
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        fd = os.open(temporary, flags, 0o600)
        try:
            os.write(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise DatabaseError(f"{path}: can't write the web secrets ({error.strerror})") from None
