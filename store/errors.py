"""The errors the store raises. Each carries one line for the user.

`InputError` is bad usage or input (exit code 2); `DatabaseError` means the
database could not be used (exit code 1). Neither ever leaves anything written.
"""

from __future__ import annotations

import errno


class FollowupError(Exception):
    """Base of every expected error; `str(error)` is the one line to show."""

    exit_code = 1


class InputError(FollowupError):
    """Bad usage or input: nothing was written."""

    exit_code = 2


class DatabaseError(FollowupError):
    """The database file could not be read or written: nothing was changed."""

    exit_code = 1


class NotFound(InputError):
    """No contact matches a name; `candidates` lists near misses."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class Ambiguous(InputError):
    """More than one contact matches a name; `candidates` lists them."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


def describe_os_error(error: OSError) -> str:
    """An OSError in a few words for the user's one line."""
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (read-only?)"
    return error.strerror or str(error)
