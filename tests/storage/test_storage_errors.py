"""What the disk or the server refuses becomes a message for the user; anything else stays unexpected."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from mstracker.domain.errors import ReadOnlyError, UserError
from mstracker.services import maintenance, patients
from mstracker.services.context import open_context
from mstracker.storage.errors import storage_error


class FakePgError(Exception):
    def __init__(self, text: str, sqlstate: str) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("error", "kind", "words"), [
    (sqlite3.OperationalError("database or disk is full"), UserError, "is full; nothing was saved"),
    (sqlite3.OperationalError("attempt to write a readonly database"), ReadOnlyError, "read-only: "),
    (sqlite3.OperationalError("unable to open database file"), UserError, "missing or not writable"),
    (sqlite3.OperationalError("disk I/O error"), UserError, "reported an error"),
    (sqlite3.OperationalError("database is locked"), UserError, "is busy"),
    (sqlite3.DatabaseError("database disk image is malformed"), UserError, "db check"),
    (FakePgError("could not extend file: No space left on device", "53100"), UserError, "is full"),
    (FakePgError("cannot execute INSERT in a read-only transaction", "25006"), ReadOnlyError, "read-only: "),
])
def test_known_failures_become_user_errors(error, kind, words):
    mapped = storage_error(error, "the.db")
    assert isinstance(mapped, kind) and words in str(mapped) and "the.db" in str(mapped)


def test_other_failures_stay_unexpected():
    assert storage_error(sqlite3.IntegrityError("UNIQUE constraint failed: reminder.uid"), "db") is None
    assert storage_error(sqlite3.OperationalError("no such table: patient"), "db") is None


def test_startup_check(tmp_path):
    db = tmp_path / "start.sqlite3"
    ctx = open_context(str(db), clock=lambda: datetime(2027, 6, 20, 10, 0))
    try:
        patients.add_patient(ctx, "Anna Example")
        report = maintenance.startup_check(ctx)
        assert report.sound and report.message() == "sound"
    finally:
        ctx.close()
