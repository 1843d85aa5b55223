"""SIGKILL a writer at random moments: the file stays sound and every write reported as saved is there."""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from mstracker.services import patients
from mstracker.services.context import open_context

from .procs import Reader, sqlite_ids, sqlite_integrity, start_writer


def _kill_rounds(tmp_path, rounds: int, seed: int) -> int:
    db = tmp_path / "durable.sqlite3"
    ctx = open_context(str(db))
    pid = patients.add_patient(ctx, "Anna Example")
    ctx.close()
    rng = random.Random(seed)
    reported: set[int] = set()
    for n in range(rounds):
        proc = start_writer("service", str(db), pid, 100_000)
        reader = Reader(proc)
        assert reader.ready.wait(30), f"round {n}: the writer did not start: {proc.stderr.read()}"
        time.sleep(rng.uniform(0.0, 0.25))  # mid-transaction, between transactions, mid-fsync: anywhere
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        proc.stderr.close()
        lines = reader.finish()
        reported.update(int(x) for x in lines)
        assert sqlite_integrity(db) == ["ok"], f"round {n} (seed {seed})"
        missing = reported - sqlite_ids(db)
        assert not missing, f"round {n} (seed {seed}): saved ids lost: {sorted(missing)[:10]}"
    return len(reported)


def test_killed_writer_loses_nothing(tmp_path):
    seed = random.randrange(1 << 30)
    assert _kill_rounds(tmp_path, 5, seed) > 0


@pytest.mark.slow
def test_killed_writer_loses_nothing_many_times(tmp_path):
    seed = random.randrange(1 << 30)
    saved = _kill_rounds(tmp_path, 100, seed)
    assert saved > 100
