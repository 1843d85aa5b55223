"""One app instance per database: the second is told so (None) and can offer read-only."""

from __future__ import annotations

import subprocess
import sys

from mstracker.services import maintenance, patients
from mstracker.services.context import open_context
from mstracker.services.locking import acquire_instance_lock, lock_holder

from .procs import env

HOLDER = """
import sys
from mstracker.services.context import open_context
from mstracker.services.locking import acquire_instance_lock
ctx = open_context(sys.argv[1])
lock = acquire_instance_lock(ctx)
print("locked" if lock else "refused", flush=True)
sys.stdin.read()  # hold it until the test closes stdin
"""


def _holder(db) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env())


def test_second_instance_is_refused_until_the_first_exits(tmp_path):
    db = tmp_path / "one.sqlite3"
    first = _holder(db)
    try:
        assert first.stdout.readline().strip() == "locked"
        ctx = open_context(str(db))
        try:
            assert acquire_instance_lock(ctx) is None
            assert lock_holder(db) == first.pid
            # Read-only is still on offer: the same file opens for a caregiver.
            carer = open_context(str(db), role="caregiver")
            assert patients.list_patients(carer) == []
            carer.close()
        finally:
            ctx.close()
    finally:
        first.stdin.close()
        first.wait(10)
        first.stdout.close()
    ctx = open_context(str(db))
    try:
        lock = acquire_instance_lock(ctx)
        assert lock is not None
        second = _holder(db)
        assert second.stdout.readline().strip() == "refused"
        second.stdin.close()
        second.wait(10)
        second.stdout.close()
        lock.release()
        assert acquire_instance_lock(ctx) is not None
    finally:
        ctx.close()


def test_a_killed_holder_releases_the_lock(tmp_path):
    db = tmp_path / "one.sqlite3"
    first = _holder(db)
    assert first.stdout.readline().strip() == "locked"
    first.kill()
    first.wait(10)
    first.stdout.close()
    first.stdin.close()
    ctx = open_context(str(db))
    try:
        assert acquire_instance_lock(ctx) is not None
    finally:
        ctx.close()


def test_restore_refuses_while_another_instance_holds_the_database(tmp_path):
    db = tmp_path / "one.sqlite3"
    ctx = open_context(str(db))
    patients.add_patient(ctx, "Anna Example")
    backup = maintenance.backup(ctx, tmp_path / "copy.sqlite3")
    ctx.close()
    before = db.read_bytes()
    first = _holder(db)
    try:
        assert first.stdout.readline().strip() == "locked"
        result = subprocess.run([sys.executable, "-m", "mstracker.cli", "--db", str(db), "restore", str(backup)],
                                capture_output=True, text=True, env=env())
        assert result.returncode == 2
        assert result.stderr.startswith("error: ") and "open in another mstracker window" in result.stderr
        assert db.read_bytes() == before
    finally:
        first.stdin.close()
        first.wait(10)
        first.stdout.close()


def test_a_server_database_has_no_instance_lock(postgres_url):
    ctx = open_context(postgres_url, role="coordinator")
    try:
        first, second = acquire_instance_lock(ctx), acquire_instance_lock(ctx)
        assert first is not None and second is not None and first.path is None
    finally:
        ctx.close()
