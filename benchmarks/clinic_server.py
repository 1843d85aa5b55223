"""The coordinators' dashboard on a clinic's PostgreSQL with row-level security, against the same without it.

clinic-1000 is copied into a throwaway PostgreSQL server (the test suite's cluster helper) and migrated, so
its tables carry the forced row-level security policies. The same services then read it:
- as a coordinator login (its group's policies apply), and
- as the superuser, whom PostgreSQL exempts from row-level security: the same query without it;
and, for information, as a caregiver login granted every patient (the membership subquery at work).
The calls are interleaved, so that a busy machine weighs on all alike.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from measure import median_ms

ROOT = Path(__file__).resolve().parents[1]
# The columns copied, table by table, in an order that keeps every reference valid.
TABLES = ("patient", "journey", "patient_state", "event", "reminder")
PASSWORD = "bench-only"


def measure(clinic_db: Path, runs: int, emit: Callable[..., None], na: Callable[[str], str], now) -> None:
    try:
        cluster = _cluster()
    except BaseException as exc:  # no PostgreSQL here (pytest.fail raises an outcome, not an Exception)
        for name in ("clinic_dashboard_rls_ms", "clinic_dashboard_rls_ratio"):
            emit(name, na(f"no PostgreSQL server programs: {str(exc).splitlines()[0][:80]}"))
        return
    from mstracker.services import clinic, dashboard, patients
    from mstracker.services.context import open_context

    started = time.perf_counter()
    url = cluster.new_database()
    owner = open_context(url)  # the superuser creates the schema, its groups and policies
    try:
        _copy(clinic_db, url)
        ids = [p.id for p in patients.list_patients(owner)]
        for login, role, pids in (("bench_coordinator", "coordinator", None), ("bench_caregiver", "caregiver", ids)):
            clinic.grant(owner, f"{login}_{cluster.port}", role, pids, PASSWORD)
    finally:
        owner.close()
    emit("clinic_pg_data_ready_s", time.perf_counter() - started)
    contexts = {name: open_context(url if name == "plain" else cluster.login_url(url, f"bench_{name}_{cluster.port}",
                                                                                PASSWORD))
                for name in ("plain", "coordinator", "caregiver")}
    try:
        for ctx in contexts.values():
            ctx.clock = lambda ctx=ctx: now.replace(tzinfo=ctx.zone)
        assert contexts["coordinator"].role == "coordinator" and contexts["caregiver"].role == "caregiver"
        counts = {name: len(patients.list_patients(ctx)) for name, ctx in contexts.items()}
        assert len(set(counts.values())) == 1, counts  # the same rows, or the comparison means nothing
        lists: dict[str, list[float]] = {name: [] for name in contexts}
        flags: dict[str, list[float]] = {name: [] for name in contexts}
        for _ in range(runs):
            for name, ctx in contexts.items():
                lists[name].append(median_ms(lambda ctx=ctx: patients.list_patients(ctx), 3))
                flags[name].append(median_ms(lambda ctx=ctx: dashboard.alert_flags(ctx), 1))
    finally:
        for ctx in contexts.values():
            ctx.close()
    plain, rls, caregiver = (statistics.median(lists[n]) for n in ("plain", "coordinator", "caregiver"))
    emit("clinic_dashboard_no_rls_ms", plain, 1)
    emit("clinic_dashboard_rls_ms", rls, 1)
    emit("clinic_dashboard_rls_ratio", rls / plain)
    emit("clinic_dashboard_caregiver_all_ratio", caregiver / plain)
    plain_flags, rls_flags = statistics.median(flags["plain"]), statistics.median(flags["coordinator"])
    emit("clinic_dashboard_flags_rls_ms", rls_flags, 1)
    emit("clinic_dashboard_flags_rls_ratio", rls_flags / plain_flags)


def _cluster():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.postgres_fixture import cluster

    return cluster()


def _copy(clinic_db: Path, url: str) -> None:
    """clinic-1000's rows into the migrated PostgreSQL database with COPY (as the superuser), then the
    sequences moved past the copied ids."""
    import psycopg

    source = sqlite3.connect(f"file:{clinic_db}?mode=ro", uri=True)
    try:
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
            for table in TABLES:
                columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
                names = ", ".join(f'"{c}"' for c in columns)
                booleans = {c for c, kind in ((r[1], r[2]) for r in source.execute(f"PRAGMA table_info({table})"))
                            if kind.upper() == "BOOLEAN"}
                flags = [c in booleans for c in columns]
                with conn.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in source.execute(f"SELECT {names} FROM {table}"):
                        copy.write_row([bool(v) if flag and v is not None else v for v, flag in zip(row, flags)])
                if "id" in columns:
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))")
            conn.execute("ANALYZE")
    finally:
        source.close()
