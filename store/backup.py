"""Daily backups: before the day's first write, a copy of each database file
goes to `backups/` beside it; the newest seven days are kept."""

from __future__ import annotations

import os
import re
import stat
from datetime import date
from pathlib import Path

from store.files import fsync_folder

KEEP = 7
_DATED = re.compile(r"\.(\d{4}-\d{2}-\d{2})$")


def folder_for(database: Path) -> Path:
    return database.parent / "backups"


def backup_name(path: Path, day: date) -> str:
    return f"{path.name}.{day.isoformat()}"


def take_daily(files: list[Path], day: date, database: Path) -> None:
    """Copy each existing file into the backup folder once for `day`."""
    folder = folder_for(database)
    copied = False
    for path in files:
        target = folder / backup_name(path, day)
        if target.exists() or not path.exists():
            continue
        folder.mkdir(exist_ok=True)
        temp = target.with_name(target.name + ".partial")
        _copy(path, temp)
        os.replace(temp, target)
        copied = True
    if copied:
        fsync_folder(folder)
        prune(files, folder)


def take_before_migration(files: list[Path], database: Path) -> list[Path]:
    """Copy each existing file aside, named for the schema change, before a migration."""
    folder = folder_for(database)
    folder.mkdir(exist_ok=True)
    taken = []
    for path in files:
        if path.exists():
            target = _free_name(folder / f"{path.name}.before-migration")
            _copy(path, target)
            taken.append(target)
    fsync_folder(folder)
    return taken


def _copy(path: Path, target: Path) -> None:
    """Copy `path` to `target` with the same file mode (a private database keeps private
    backups: the copy is never readable by others, not even for a moment), and fsync it."""
    import shutil  # only when copying: the quick read path never needs it

    with open(path, "rb") as source:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as out:
            os.fchmod(fd, 0o600)
            shutil.copyfileobj(source, out)
            out.flush()
            os.fchmod(fd, stat.S_IMODE(os.fstat(source.fileno()).st_mode))
            os.fsync(fd)


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate


def prune(files: list[Path], folder: Path) -> None:
    for path in files:
        for old in backups_of(path, folder)[KEEP:]:
            old.unlink(missing_ok=True)


def backups_of(path: Path, folder: Path | None = None) -> list[Path]:
    """Backups of `path`, newest first."""
    folder = folder or folder_for(path)
    if not folder.is_dir():
        return []
    found = []
    for candidate in folder.glob(f"{path.name}.*"):
        match = _DATED.search(candidate.name)
        if match and candidate.name == f"{path.name}.{match.group(1)}":
            found.append((match.group(1), candidate))
    return [p for _, p in sorted(found, reverse=True)]


def newest_backup(database: Path) -> Path | None:
    found = backups_of(database, folder_for(database))
    return found[0] if found else None
