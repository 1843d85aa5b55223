"""`db_target`: the same test on a SQLite file and on a fresh PostgreSQL database."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "target.sqlite3")
    return request.getfixturevalue("postgres_url")
