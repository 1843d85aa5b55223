"""Where the data live and who may act: light enough for the app's first paint (no storage engine imported)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ..storage.private import private_dir
from .roles import ROLE_NAMES as ROLES  # noqa: F401  (kept for the callers that read it here)

APP_NAME = "mstracker"


def data_dir() -> Path:
    """The per-user data folder, shared by the CLI and the app: one file for both, wherever the platform keeps user data."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def data_subdir(*parts: str) -> Path:
    """A folder in the data folder, it and the data folder created 0700 where missing."""
    folder = private_dir(data_dir())
    for part in parts:
        folder = private_dir(folder / part)
    return folder


def default_db_target() -> str:
    return os.environ.get("MSTRACKER_DB") or str(data_dir() / "mstracker.sqlite3")


def is_server_target(target: str | None) -> bool:
    """Whether the data live on a database server (a clinic's PostgreSQL) rather than in a SQLite file."""
    text = target or default_db_target()
    return "://" in text and not text.startswith("sqlite")
