"""Where the database lives: `--db PATH`, else `$FOLLOWUP_DB`, else the user data folder.

The path is resolved once, here (`resolve`): through a symlinked file or folder every
file followup uses (the touches file, the lock, the backups, the temporary files) is the
one beside the real target, the link stays a link, and a link and its target take the
same lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from store.errors import InputError

ENV_VAR = "FOLLOWUP_DB"
FILE_NAME = "followup.json"


def default_path() -> Path:
    """`platformdirs.user_data_dir("followup")/followup.json` (imported only when needed)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("followup")) / FILE_NAME


def resolve(path: Path | str) -> Path:
    """The real path of a database file: `~` expanded, every symlink (of the file and of
    its folders) followed, made absolute."""
    return Path(os.path.realpath(Path(path).expanduser()))


def database_path(cli_value: str | None) -> Path:
    """The database file named by `--db`, else `$FOLLOWUP_DB`, else the default one.
    A path the user named must be in a folder that exists: a typo is refused rather
    than answered with a new, empty database (only the default folder is created)."""
    if cli_value is not None:
        if not cli_value.strip():
            raise InputError("--db needs a file path")
        return _existing_folder(Path(cli_value).expanduser(), "--db")
    env = os.environ.get(ENV_VAR, "")
    if env.strip():
        return _existing_folder(Path(env).expanduser(), f"${ENV_VAR}")
    return default_path()


def _existing_folder(path: Path, source: str) -> Path:
    folder = Path(os.path.realpath(path)).parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise InputError(
            f"the folder of {path} ({source}) {what}: {folder}; create it first or check "
            "the path; nothing was changed"
        )
    return path


def journal_path(path: Path) -> Path:
    """The touches journal beside a main file: `<stem>.touches.jsonl`."""
    return path.with_name(f"{path.stem}.touches.jsonl")
