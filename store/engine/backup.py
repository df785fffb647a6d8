"""Daily backups: before the day's first write, a copy of each database file
goes to `backups/` beside it; the newest seven days up to today are kept.

The folder is created private (0700) and never used when it is a symbolic link or
belongs to someone else. Each copy is written under an unpredictable temporary name
opened with O_EXCL | O_NOFOLLOW (a planted file or link is never written through), then
renamed into place; a copy that can't be completed is removed and named in one line.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from datetime import date
from pathlib import Path

from store.engine.atomic import atomic_write
from store.engine.faults import NO_FAULTS, Faults
from store.engine.files import open_regular
from store.errors import DatabaseError, describe_os_error

KEEP = 7
_CHUNK = 1 << 20
_DATED = re.compile(r"\.(\d{4}-\d{2}-\d{2})$")


def folder_for(database: Path) -> Path:
    return database.parent / "backups"


def backup_name(path: Path, day: date) -> str:
    return f"{path.name}.{day.isoformat()}"


def take_daily(
    files: list[Path], day: date, database: Path, faults: Faults = NO_FAULTS
) -> list[Path]:
    """Copy each existing file into the backup folder once for `day`. Raises
    DatabaseError (one line naming the backup) when a copy can't be made. Returns the
    backups dated after `day`, for the caller to report, when it made a copy."""
    folder = folder_for(database)
    copied: list[Path] = []
    for path in files:
        target = folder / backup_name(path, day)
        if not path.exists() or _is_file(target):
            continue
        _ensure_folder(folder)
        _remove_partials(folder, path)
        _copy_into(path, target, faults)
        copied.append(target)
    if not copied:
        return []
    prune(files, folder, day, keep=copied)
    return future_backups(database, day)


def _remove_partials(folder: Path, path: Path) -> None:
    """Copies a killed process left half made (the caller holds the lock): they only
    take space. Unlinking a planted link removes the link, never what it points to."""
    for pattern in (f".{path.name}.*.partial", f"{path.name}.*.partial"):
        for stale in folder.glob(pattern):
            with contextlib.suppress(OSError):
                stale.unlink()


def _is_file(path: Path) -> bool:
    """A regular file (not a link planted in its place: a rename replaces that)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def take_before_migration(
    files: list[Path], database: Path, faults: Faults = NO_FAULTS, what: str = "migration"
) -> list[Path]:
    """Copy each existing file aside, named for what comes next (`before-migration`,
    `before-repair`)."""
    folder = folder_for(database)
    _ensure_folder(folder)
    taken = []
    for path in files:
        if path.exists():
            target = _free_name(folder / f"{path.name}.before-{what}")
            _copy_into(path, target, faults)
            taken.append(target)
    return taken


def _ensure_folder(folder: Path) -> None:
    """Create `backups/` private, or check the one there: a link or a folder owned by
    someone else is refused (anyone who can plant one could read or redirect the copies)."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as error:
        raise DatabaseError(
            f"can't create the backup folder {folder}: {describe_os_error(error)}"
        ) from None
    try:
        st = os.lstat(folder)
    except OSError as error:
        reason = describe_os_error(error)
        raise DatabaseError(f"can't use the backup folder {folder}: {reason}") from None
    if stat.S_ISLNK(st.st_mode):
        raise DatabaseError(
            f"the backup folder {folder} is a symbolic link; followup does not back up "
            "through a link (make it a real folder)"
        )
    if not stat.S_ISDIR(st.st_mode):
        raise DatabaseError(f"the backup folder {folder} is not a folder")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise DatabaseError(
            f"the backup folder {folder} belongs to another user; followup does not use it"
        )


def _copy_into(path: Path, target: Path, faults: Faults) -> None:
    """Copy `path` to `target` (store.engine.atomic.atomic_write, in the file's own mode:
    a private database keeps private backups, never readable by others even for a
    moment). A copy that fails leaves nothing behind."""
    try:
        with open(open_regular(path), "rb") as source:
            mode = stat.S_IMODE(os.fstat(source.fileno()).st_mode)
            chunks = iter(lambda: source.read(_CHUNK), b"")
            atomic_write(target, chunks, mode, temp_suffix=".partial", faults=faults)
    except OSError as error:
        raise DatabaseError(
            f"could not make the backup {target}: {describe_os_error(error)}"
        ) from None


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate


def prune(
    files: list[Path], folder: Path, today: date | None = None, keep: list[Path] | None = None
) -> None:
    """Keep the newest `KEEP` copies dated up to `today` of each file; copies dated after
    today (a clock that ran ahead) are left alone (see `future_backups`), and the copies
    in `keep` (just made) are never deleted."""
    spare = set(keep or ())
    for path in files:
        dated = [p for p in backups_of(path, folder) if today is None or _day(p) <= today]
        for old in dated[KEEP:]:
            if old not in spare:
                with contextlib.suppress(OSError):
                    old.unlink()


def _day(path: Path) -> date:
    match = _DATED.search(path.name)
    return date.fromisoformat(match.group(1)) if match else date.min


def backups_of(path: Path, folder: Path | None = None) -> list[Path]:
    """Backups of `path`, newest first."""
    folder = folder or folder_for(path)
    if not folder.is_dir():
        return []
    found = []
    for candidate in folder.glob(f"{path.name}.*"):
        match = _DATED.search(candidate.name)
        if match and candidate.name == f"{path.name}.{match.group(1)}":
            try:
                date.fromisoformat(match.group(1))
            except ValueError:
                continue
            found.append((match.group(1), candidate))
    return [p for _, p in sorted(found, reverse=True)]


def future_backups(database: Path, today: date) -> list[Path]:
    """Backups of `database` dated after `today` (a clock that ran ahead, a demo run with
    FOLLOWUP_NOW): reported, never trusted as the newest."""
    return [p for p in backups_of(database, folder_for(database)) if _day(p) > today]


def newest_backup(database: Path, today: date | None = None) -> Path | None:
    """The newest backup of `database` dated up to `today` (any date when None)."""
    found = backups_of(database, folder_for(database))
    if today is not None:
        found = [p for p in found if _day(p) <= today]
    return found[0] if found else None
