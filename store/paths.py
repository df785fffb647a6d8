"""Where the database lives: `--db PATH`, else `$FOLLOWUP_DB`, else the user data folder."""

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


def database_path(cli_value: str | None) -> Path:
    """The database file named by `--db`, else `$FOLLOWUP_DB`, else the default one."""
    if cli_value is not None:
        if not cli_value.strip():
            raise InputError("--db needs a file path")
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR, "")
    if env.strip():
        return Path(env).expanduser()
    return default_path()
