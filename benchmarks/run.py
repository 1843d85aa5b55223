"""mstracker at scale: prints one `name: value` line per figure (issue 7), then exits 0.

    python benchmarks/run.py [--quick] [--keep DIR]

The data sets are generated once (seeded) and cached by version in a temporary folder, or in DIR with
--keep. Ratios divide a figure by a floor measured in the same run (the same work done with plain sqlite3,
or a bare Qt window), since machines differ. --quick uses small data sets and few runs: a smoke test only.
A figure that cannot be measured yet prints `n/a (why)`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import time as wall_time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TZ", "Europe/London")
time.tzset()

import clinic_server  # noqa: E402 (after the environment is set)
import datasets  # noqa: E402
import floors  # noqa: E402
from measure import interleaved_children, median_child, median_ms  # noqa: E402

from mstracker.exports.formats import FORMAT_NAMES  # noqa: E402
from mstracker.services import logbook, patients, reminders, status, transfer  # noqa: E402

EXPORT_FORMATS = FORMAT_NAMES  # every format the registry declares is timed
HISTORY_ROWS = 50  # the first screen of the history


def emit(name: str, value: float | str, digits: int = 2) -> None:
    text = value if isinstance(value, str) else f"{value:.{digits}f}"
    print(f"{name}: {text}", flush=True)


def na(reason: str) -> str:
    return f"n/a ({reason})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data sets, few runs (smoke test)")
    parser.add_argument("--keep", metavar="DIR", help="generate (or reuse) the data sets in DIR and keep them")
    parser.add_argument("--only", metavar="PARTS", type=lambda text: set(text.split(",")),
                        help=f"run only these parts, comma-separated: {','.join(PARTS)} (default: all)")
    args = parser.parse_args(argv)
    only = args.only or set(PARTS)
    if only - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(only - set(PARTS)))}; the parts are {', '.join(PARTS)}")
    sizes = datasets.QUICK if args.quick else datasets.FULL
    cache = Path(args.keep) if args.keep else Path(tempfile.gettempdir()) / "mstracker-bench"
    runs = 3 if args.quick else 7

    start = time.perf_counter()
    patient_db, clinic_db = datasets.ensure(cache, sizes)
    emit("data_ready_s", time.perf_counter() - start)
    with tempfile.TemporaryDirectory(prefix="mstracker-bench-") as scratch_text:
        scratch = Path(scratch_text)
        _isolate(scratch)
        if "startup" in only:
            _startup(patient_db, clinic_db, scratch, runs=11 if not args.quick else 2)
        if "ingest" in only:
            _ingest(scratch, sizes.ingest_events, runs=1 if args.quick else 3)
        if "reads" in only:
            _reads(patient_db, clinic_db, runs)
        if "medicines" in only:
            _medicines(patient_db, scratch, runs)
        if "clinic" in only:  # the same dashboard on a clinic's PostgreSQL, with row-level security and without
            clinic_server.measure(clinic_db, max(3, runs // 2), emit, na, datasets.NOW)
        if "cli" in only:
            _cli(patient_db, clinic_db, scratch, runs=3 if args.quick else 9)
        if "exports" in only:
            _exports(patient_db, scratch, runs=2 if args.quick else 5)
        if "export_all" in only:
            _export_all(clinic_db, scratch)
    return 0


PARTS = ("startup", "ingest", "reads", "medicines", "clinic", "cli", "exports", "export_all")


def _isolate(scratch: Path) -> None:
    """The app's settings and data folder go to the scratch folder, never the user's own."""
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    os.environ["MSTRACKER_NOW"] = datasets.NOW_TEXT
    os.environ.setdefault("MSTRACKER_USER", "bench")


def _copy_db(source: Path, dest: Path) -> Path:
    shutil.copyfile(source, dest)
    return dest


# ---- start-up and memory ---------------------------------------------------------------------------
def _mstracker_argv() -> list[str]:
    script = Path(sys.executable).with_name("mstracker")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from mstracker.cli import entry; sys.exit(entry())"]


def _compile_package() -> None:
    """mstracker as installed: its bytecode compiled once, as pip does on install. Without this, where
    PYTHONDONTWRITEBYTECODE is set (as on the development machines) every start would compile the app's
    sources again, while the floor's PySide6 comes compiled; stale files are recompiled by Python itself."""
    import compileall

    import mstracker

    compileall.compile_dir(str(Path(mstracker.__file__).parent), quiet=1)


def _startup(patient_db: Path, clinic_db: Path, scratch: Path, runs: int) -> None:
    env = dict(os.environ)
    _compile_package()
    # The app may write to the file it opens (settings, a migration): run it on copies.
    patient_copy = _copy_db(patient_db, scratch / "gui-patient.sqlite3")
    stall_file = scratch / "stall.json"
    loaded_argv = [sys.executable, str(HERE / "loaded_window.py"), str(patient_copy), str(stall_file)]
    bare, app = interleaved_children([[sys.executable, str(HERE / "bare_window.py")],
                                      _mstracker_argv() + ["--db", str(patient_copy), "gui", "--smoke"]], env, runs)
    if bare.code != 0:
        for name in ("startup_ratio", "peak_rss_mb", "peak_rss_ratio"):
            emit(name, na(f"bare window failed: {_first_line(bare.stderr)}"))
        return
    emit("bare_window_ms", bare.seconds * 1000, 1)
    emit("bare_window_rss_mb", bare.peak_rss_mb, 1)
    if app.code != 0:
        for name in ("startup_ratio", "peak_rss_mb", "peak_rss_ratio"):
            emit(name, na(f"gui not available: {_first_line(app.stderr)}"))
        return
    emit("startup_ms", app.seconds * 1000, 1)
    emit("startup_ratio", app.seconds / bare.seconds)
    emit("startup_patient_rss_mb", app.peak_rss_mb, 1)
    # Not a target: until the window is complete (database open, status, first history page and reminders
    # shown), which the first paint does not wait for.
    loaded = median_child(loaded_argv, env, max(1, runs // 2))  # apart: its weight would slow the others
    if loaded.code == 0:
        emit("startup_loaded_ms", loaded.seconds * 1000, 1)
        emit("startup_loaded_ratio", loaded.seconds / bare.seconds)
        # The longest the window did not answer meanwhile (of the last run): the opening is off the UI thread.
        emit("startup_ui_stall_ms", json.loads(stall_file.read_text())["longest_stall_ms"], 1)
    else:
        emit("startup_loaded_ms", na(f"gui failed: {_first_line(loaded.stderr)}"))
    clinic_copy = _copy_db(clinic_db, scratch / "gui-clinic.sqlite3")
    clinic = median_child(_mstracker_argv() + ["--db", str(clinic_copy), "--role", "coordinator", "gui", "--smoke"],
                          env, max(1, runs // 2))
    if clinic.code != 0:
        emit("peak_rss_mb", na(f"gui failed on clinic-1000: {_first_line(clinic.stderr)}"))
        emit("peak_rss_ratio", na("no peak_rss_mb"))
        return
    emit("startup_clinic_ms", clinic.seconds * 1000, 1)
    emit("peak_rss_mb", clinic.peak_rss_mb, 1)
    emit("peak_rss_ratio", clinic.peak_rss_mb / bare.peak_rss_mb)
    # Not a target: the coordinators' window once complete (SQLAlchemy, 1,000 rows and their red flags).
    complete = median_child([sys.executable, str(HERE / "coordinator_window.py"), str(clinic_copy)], env, 1)
    if complete.code == 0:
        emit("coordinator_window_rss_mb", complete.peak_rss_mb, 1)
        emit("coordinator_window_rss_ratio", complete.peak_rss_mb / bare.peak_rss_mb)
    else:
        emit("coordinator_window_rss_mb", na(f"failed: {_first_line(complete.stderr)}"))


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    return (errors or lines or ["no output"])[-1][:160]


# ---- ingest ------------------------------------------------------------------------------------------
def _ingest(scratch: Path, count: int, runs: int) -> None:
    template = scratch / "ingest-template.sqlite3"
    ctx = datasets.open_bench(template)
    try:
        pid = patients.add_patient(ctx, "Ingest")
        zone = ctx.zone
    finally:
        ctx.close()
    datasets.checkpoint(template)
    end = datasets.NOW.date()
    import random

    entries = datasets.patient_entries(random.Random(7), end - timedelta(days=count // 8 + 2), end, 5,
                                       datasets.journey_dates(end - timedelta(days=400)))[-count:]
    service_times, raw_times = [], []
    for i in range(runs):
        path = _copy_db(template, scratch / f"ingest-service-{i}.sqlite3")
        ctx = datasets.open_bench(path)
        try:
            started = time.perf_counter()
            logbook.log_many(ctx, pid, entries)
            service_times.append(time.perf_counter() - started)
        finally:
            ctx.close()
        path = _copy_db(template, scratch / f"ingest-raw-{i}.sqlite3")
        rows = floors.ingest_rows(pid, entries, zone, datasets.NOW.strftime("%Y-%m-%d %H:%M:%S.%f"))
        conn = floors.connect(path)
        try:
            started = time.perf_counter()
            floors.ingest(conn, rows)
            raw_times.append(time.perf_counter() - started)
        finally:
            conn.close()
    service, raw = sorted(service_times)[runs // 2], sorted(raw_times)[runs // 2]
    emit("ingest_events", len(entries), 0)
    emit("ingest_service_ms", service * 1000, 1)
    emit("ingest_raw_ms", raw * 1000, 1)
    emit("ingest_ratio", service / raw)


# ---- reads --------------------------------------------------------------------------------------------
def _history_first_page(ctx, pid: int) -> Callable[[], object]:
    page = getattr(logbook, "history_page", None)
    if page is not None:
        return lambda: page(ctx, pid, limit=HISTORY_ROWS)
    return lambda: logbook.history(ctx, pid)[:HISTORY_ROWS]  # before the paged service existed


def _reads(patient_db: Path, clinic_db: Path, runs: int) -> None:
    ctx = datasets.open_bench(patient_db)
    try:
        pid = patients.list_patients(ctx)[0].id
        zone = ctx.zone
        emit("status_ms", median_ms(lambda: status.status(ctx, pid), runs), 1)
        emit("schedule_ms", median_ms(lambda: reminders.schedule(ctx, pid), runs * 3), 2)
        service = _history_first_page(ctx, pid)
        conn = floors.connect(patient_db)
        try:
            # Interleaved, so that a busy machine weighs on both sides alike.
            history_ms, raw_ms, query_ms = [], [], []
            for _ in range(runs):
                history_ms.append(median_ms(service, 5))
                raw_ms.append(median_ms(lambda: floors.history_page_decoded(conn, pid, HISTORY_ROWS, zone), 5))
                query_ms.append(median_ms(lambda: floors.history_page(conn, pid, HISTORY_ROWS), 5))
        finally:
            conn.close()
    finally:
        ctx.close()
    history, raw, query = statistics.median(history_ms), statistics.median(raw_ms), statistics.median(query_ms)
    emit("history_first_page_ms", history, 2)
    emit("history_raw_ms", raw, 3)
    emit("history_first_page_ratio", history / raw)
    emit("history_query_only_ms", query, 3)
    emit("history_query_only_ratio", history / query)

    now = datasets.NOW
    overdue_before = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ctx = datasets.open_bench(clinic_db, role="coordinator")
    conn = floors.connect(clinic_db)
    try:
        service_ms, raw_ms = [], []
        for _ in range(runs):  # interleaved, as for the history
            service_ms.append(median_ms(lambda: patients.list_patients(ctx), 3))
            raw_ms.append(median_ms(lambda: floors.dashboard(conn, overdue_before, now.date().isoformat()), 3))
        flags = _dashboard_flags(ctx)
        flags_ms = median_ms(lambda: flags(ctx), runs) if flags else None
    finally:
        conn.close()
        ctx.close()
    dashboard, raw = statistics.median(service_ms), statistics.median(raw_ms)
    emit("dashboard_ms", dashboard, 1)
    emit("dashboard_raw_ms", raw, 1)
    emit("dashboard_ratio", dashboard / raw)
    emit("dashboard_flags_ms", flags_ms if flags_ms is not None else na("no services.dashboard.alert_flags"), 1)


def _dashboard_flags(ctx):
    """The coordinators' red-flag column, where that service exists (informative; no target)."""
    try:
        from mstracker.services import dashboard
    except ImportError:
        return None
    return getattr(dashboard, "alert_flags", None)


# ---- medicines -------------------------------------------------------------------------------------------
MED_DAYS = 730  # a two-year course, twice a day, every dose recorded: 1,460 dose records


def _with_recorded_course(path: Path) -> int:
    """Adds to patient-10y's copy a twice-daily course running for two years, its last 1,460 doses (every one
    up to now) recorded as taken."""
    from mstracker.services import medicines
    from mstracker.storage import repository as repo

    ctx = datasets.open_bench(path)
    try:
        pid = patients.list_patients(ctx)[0].id
        first = datasets.NOW.date() - timedelta(days=MED_DAYS)
        course = medicines.add_course(ctx, pid, name="aciclovir", times=[wall_time(8), wall_time(20)], first_day=first,
                                      dose="400 mg")
        due = [d for d in medicines.doses(ctx, pid, first, datasets.NOW.date())
               if d.course.id == course and d.due <= datasets.NOW][-2 * MED_DAYS:]
        now = ctx.now()
        rows = [{"patient_id": pid, "kind": "med_dose", "occurred_at": ctx.local(d.due), "recorded_at": now,
                 "user": "bench", "role": "patient",
                 "payload": {"course": course, "name": "aciclovir", "due": d.due.strftime("%Y-%m-%dT%H:%M"),
                             "status": "taken", "taken_at": d.due.strftime("%Y-%m-%dT%H:%M")}} for d in due]
        with ctx.db.writing() as s:  # a list insert, as the data sets are made (an ORM object per row is slow)
            repo.append_events(s, rows)
        return len(rows)
    finally:
        ctx.close()


def _medicines(patient_db: Path, scratch: Path, runs: int) -> None:
    """status with a two-year twice-daily course fully recorded, beside status without it; `med doses`."""
    from mstracker.services import medicines

    path = _copy_db(patient_db, scratch / "medicines-patient.sqlite3")
    recorded = _with_recorded_course(path)
    ctx = datasets.open_bench(path)
    plain = datasets.open_bench(patient_db)
    try:
        pid = patients.list_patients(ctx)[0].id
        with_meds, without = [], []
        for _ in range(runs):  # interleaved, so that a busy machine weighs on both alike
            with_meds.append(median_ms(lambda: status.status(ctx, pid), 3))
            without.append(median_ms(lambda: status.status(plain, pid), 3))
        today_ms = median_ms(lambda: medicines.doses(ctx, pid), runs * 3)
        first = datasets.NOW.date() - timedelta(days=MED_DAYS - 1)
        all_ms = median_ms(lambda: medicines.doses(ctx, pid, first, datasets.NOW.date()), runs)
    finally:
        ctx.close()
        plain.close()
    emit("med_dose_records", recorded, 0)
    emit("status_ms_with_medicines", statistics.median(with_meds), 1)
    emit("status_medicines_ratio", statistics.median(with_meds) / statistics.median(without))
    emit("med_doses_today_ms", today_ms, 2)
    emit("med_doses_two_years_ms", all_ms, 1)


# ---- the command line, whole processes ------------------------------------------------------------------
FLOOR_CLI = HERE / "floor_cli.py"


def _cli(patient_db: Path, clinic_db: Path, scratch: Path, runs: int) -> None:
    """One command as a user runs it (a whole process, its imports included) against a python + sqlite3
    process doing the least the answer needs, in turns (see measure.interleaved_children)."""
    env = dict(os.environ)
    patient_copy = _copy_db(patient_db, scratch / "cli-patient.sqlite3")
    clinic_copy = _copy_db(clinic_db, scratch / "cli-clinic.sqlite3")
    pid = _first_patient(patient_copy)
    app, floor = interleaved_children([_mstracker_argv() + ["--db", str(patient_copy), "status", str(pid), "--json"],
                                       [sys.executable, str(FLOOR_CLI), "status", str(patient_copy), str(pid)]],
                                      env, runs)
    _emit_pair("cli_status", app, floor)
    app, floor = interleaved_children([_mstracker_argv() + ["--db", str(clinic_copy), "--role", "coordinator",
                                                            "patient", "list", "--json"],
                                       [sys.executable, str(FLOOR_CLI), "dashboard", str(clinic_copy),
                                        datasets.NOW.isoformat()]], env, runs)
    _emit_pair("cli_dashboard", app, floor)


def _emit_pair(name: str, app, floor) -> None:
    if app.code != 0 or floor.code != 0:
        emit(f"{name}_ratio", na(f"failed: {_first_line(app.stderr if app.code else floor.stderr)}"))
        return
    emit(f"{name}_ms", app.seconds * 1000, 1)
    emit(f"{name}_floor_ms", floor.seconds * 1000, 1)
    emit(f"{name}_ratio", app.seconds / floor.seconds)


def _first_patient(path: Path) -> int:
    conn = floors.connect(path)
    try:
        return floors.patient_ids(conn)[0]
    finally:
        conn.close()


# ---- exports ---------------------------------------------------------------------------------------------
def _exports(patient_db: Path, scratch: Path, runs: int) -> None:
    """Each format of patient-10y written to a file, in turns with the floor: the same patient's events and
    reminders read with sqlite3 and written as JSON (floors.export_json)."""
    path = _copy_db(patient_db, scratch / "export-patient.sqlite3")
    ctx = datasets.open_bench(path)
    conn = floors.connect(path)
    try:
        pid = patients.list_patients(ctx)[0].id
        for fmt in EXPORT_FORMATS:
            out, floor_out = scratch / f"export.{fmt}", scratch / f"floor-{fmt}.json"
            failure = _cannot_export(lambda fmt=fmt, out=out: transfer.export_patient(ctx, pid, fmt, out))
            if failure:
                emit(f"export_ms_{fmt}", failure)
                continue
            app_ms, floor_ms = [], []
            for _ in range(runs):  # interleaved, as for the history
                app_ms.append(median_ms(lambda fmt=fmt, out=out: transfer.export_patient(ctx, pid, fmt, out), 1, 0))
                floor_ms.append(median_ms(lambda floor_out=floor_out: floors.export_json(conn, pid, floor_out), 1, 0))
            app, floor = statistics.median(app_ms), statistics.median(floor_ms)
            emit(f"export_ms_{fmt}", app, 1)
            emit(f"export_floor_ms_{fmt}", floor, 1)
            emit(f"export_ratio_{fmt}", app / floor)
    finally:
        conn.close()
        ctx.close()


def _cannot_export(export: Callable[[], object]) -> str | None:
    """One untimed run (imports, caches); why the format cannot be measured where it fails."""
    try:
        export()
    except Exception as exc:  # a format still being built: report it, carry on
        return na(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}")
    return None


def _export_all(clinic_db: Path, scratch: Path) -> None:
    """`export --all --format fhir` on clinic-1000, a whole process, against a process writing every
    patient's events and reminders as JSON with sqlite3 (one run each, the floor first: minutes of work)."""
    env = dict(os.environ)
    clinic_copy = _copy_db(clinic_db, scratch / "export-all-clinic.sqlite3")
    base = _mstracker_argv() + ["--db", str(clinic_copy), "--role", "coordinator"]
    median_child(base + ["patient", "list"], env, 1)  # the day's first command takes the daily backup: untimed
    floor = median_child([sys.executable, str(FLOOR_CLI), "export-all", str(clinic_copy), str(scratch / "all-floor")],
                         env, 1, timeout=3600)
    app = median_child(base + ["export", "--all", "--format", "fhir", "--out", str(scratch / "all-fhir")], env, 1,
                       timeout=3600)
    shutil.rmtree(scratch / "all-floor", ignore_errors=True)
    shutil.rmtree(scratch / "all-fhir", ignore_errors=True)
    if app.code != 0 or floor.code != 0:
        emit("export_all_fhir_ratio", na(f"failed: {_first_line(app.stderr if app.code else floor.stderr)}"))
        return
    emit("export_all_fhir_s", app.seconds)
    emit("export_all_floor_s", floor.seconds)
    emit("export_all_fhir_rss_mb", app.peak_rss_mb, 1)
    emit("export_all_fhir_ratio", app.seconds / floor.seconds)


if __name__ == "__main__":
    sys.exit(main())
