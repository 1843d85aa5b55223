"""Migration 0003 (medicine courses) from a database of the revision before it, with data in it.

The previous revision is read from the migration's own `down_revision`, so that this test keeps testing the
step into 0003 whatever migrations come after it.
"""

from __future__ import annotations

from datetime import datetime

from mstracker.services import medicines
from mstracker.services.context import open_context
from mstracker.storage import schema_version
from tests.migrations import at_revision, previous, run
from tests.migrations import rows as _rows

NOW = datetime(2027, 6, 20, 10, 0)


def _previous() -> str:
    return previous("0003")


def _at_previous(path) -> None:
    at_revision(path, _previous())


def test_a_file_of_the_previous_revision_gains_the_course_table_and_keeps_its_data(tmp_path):
    db = tmp_path / "old.sqlite3"
    _at_previous(db)
    before = _rows(db, "SELECT * FROM event ORDER BY id")
    ctx = open_context(str(db), clock=lambda: NOW)
    try:
        course = medicines.add_course(ctx, 1, name="aciclovir", times=[datetime(2027, 1, 1, 8).time()],
                                      first_day=NOW.date())
        assert [v.course.id for v in medicines.list_courses(ctx, 1)] == [course]
    finally:
        ctx.close()
    assert _rows(db, "SELECT version_num FROM alembic_version") == [(schema_version.HEAD,)]
    columns = {row[1] for row in _rows(db, "PRAGMA table_info(medicine_course)")}
    assert {"patient_id", "first_day", "last_day", "uid"} <= columns
    after = _rows(db, "SELECT * FROM event ORDER BY id")
    assert after[:len(before)] == before and [r[3] for r in after[len(before):]] == ["med_course"]


def test_the_migration_goes_down_and_up_again(tmp_path):
    db = tmp_path / "old.sqlite3"
    _at_previous(db)
    run(db, ("upgrade", "0003"), ("downgrade", _previous()), ("upgrade", "0003"))
    assert _rows(db, "SELECT count(*) FROM patient") == [(1,)]
