"""The benchmark data sets, generated deterministically (seeded) and cached by version.

patient-10y: one patient through the services (journey phases, `log_many`, a few corrections): ten years of
daily temperatures and symptoms, weekly labs, quarterly EDSS, half-yearly MRI.
clinic-1000: many patients at random points of their journeys, written with list inserts at the storage
level (an ORM object per row is ten times slower), then one projection refresh per patient.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from mstracker.domain.phases import Phase
from mstracker.services import journeys, logbook, patients, reminders
from mstracker.services.context import AppContext, open_context
from mstracker.services.protocols import read_protocol
from mstracker.services.records import refresh
from mstracker.storage import repository as repo
from mstracker.storage import schema_version

# Bump when the generators change: cached files of another version are not reused.
GENERATOR_VERSION = 4
NOW = datetime(2036, 6, 20, 10, 0)  # local wall time; the clock of every benchmark context
NOW_TEXT = NOW.strftime("%Y-%m-%dT%H:%M")
PROTOCOL = "cy-atg"
SYMPTOMS = ("fatigue", "pain", "numbness", "spasticity", "bladder", "mood", "walking")
TEMPERATURE_TIMES = (time(7, 30), time(12, 30), time(17, 30), time(22, 0))


@dataclass(frozen=True)
class Sizes:
    years: int  # patient-10y's span of daily logs
    symptoms_per_day: int
    clinic_patients: int
    clinic_max_days: int  # each clinic patient is somewhere in its first N days
    ingest_events: int

    @property
    def key(self) -> str:
        return f"v{GENERATOR_VERSION}-s{schema_version.HEAD}-{self.years}y{self.symptoms_per_day}-" \
               f"{self.clinic_patients}p{self.clinic_max_days}d"


FULL = Sizes(years=10, symptoms_per_day=7, clinic_patients=1000, clinic_max_days=1750, ingest_events=100_000)
QUICK = Sizes(years=1, symptoms_per_day=2, clinic_patients=40, clinic_max_days=400, ingest_events=5_000)


def open_bench(path: Path, role: str = "patient") -> AppContext:
    ctx = open_context(str(path), role=role)
    ctx.clock = lambda: NOW.replace(tzinfo=ctx.zone)
    return ctx


def ensure(folder: Path, sizes: Sizes) -> tuple[Path, Path]:
    """Both data sets in `folder/<version key>/`, generated once; returns (patient-10y, clinic-1000) paths."""
    where = folder / sizes.key
    where.mkdir(parents=True, exist_ok=True)
    patient_db = where / "patient-10y.sqlite3"
    clinic_db = where / "clinic-1000.sqlite3"
    for path, make in ((patient_db, make_patient_10y), (clinic_db, make_clinic)):
        if not path.exists():
            partial = path.with_name(path.name + ".partial")
            _remove_db(partial)
            make(partial, sizes)
            checkpoint(partial)
            partial.replace(path)
    return patient_db, clinic_db


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(path.parent / "backups", ignore_errors=True)


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file, so that renaming the file moves all of it."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


# ---- patient-10y ----------------------------------------------------------------------------------
def journey_dates(start: date) -> list[tuple[Phase, date]]:
    """Every phase of the usual path (assessment to long-term follow-up), as days from `start`."""
    offsets = ((Phase.ASSESSMENT, 0), (Phase.MOBILIZATION, 21), (Phase.CELLS_STORED, 32),
               (Phase.CONDITIONING, 60), (Phase.TRANSPLANT, 66), (Phase.IMMUNE_REBUILD, 80),
               (Phase.FOLLOW_UP, 66 + 365))
    return [(phase, start + timedelta(days=n)) for phase, n in offsets]


def patient_entries(rng: random.Random, start: date, end: date, symptoms_per_day: int,
                    phases: list[tuple[Phase, date]]) -> list[logbook.NewEntry]:
    day_zero = dict(phases)[Phase.TRANSPLANT]
    entries: list[logbook.NewEntry] = []
    add = entries.append
    day = start
    n = 0
    while day < end:
        since_zero = (day - day_zero).days
        aplastic = 0 <= since_zero <= 10
        for at in TEMPERATURE_TIMES:
            celsius = rng.gauss(36.8, 0.25) + (1.6 if aplastic and rng.random() < 0.15 else 0)
            add(logbook.NewEntry("temperature", datetime.combine(day, at),
                                 {"celsius": f"{min(max(celsius, 35.0), 41.5):.1f}"}))
        for name in SYMPTOMS[:symptoms_per_day]:
            add(logbook.NewEntry("symptom", datetime.combine(day, time(20, 0)),
                                 {"name": name, "severity": str(rng.randint(0, 6))}))
        if n % 7 == 0 or -7 <= since_zero <= 21:
            anc = 0.2 if 0 <= since_zero <= 9 else rng.uniform(1.8, 5.0)
            platelets = 25 if 0 <= since_zero <= 11 else rng.uniform(150, 350)
            add(logbook.NewEntry("lab", datetime.combine(day, time(8, 0)), {
                "wbc": f"{anc + 1.5:.1f}", "anc": f"{anc:.1f}", "platelets": f"{platelets:.0f}",
                "hb": f"{rng.uniform(10, 15):.1f}", "lymphocytes": f"{rng.uniform(0.5, 2.5):.1f}"}))
        if 2 <= since_zero <= 9 and n % 2 == 0:
            add(logbook.NewEntry("side_effect", datetime.combine(day, time(14, 0)),
                                 {"name": rng.choice(("mucositis", "nausea", "fatigue")), "grade": "2"}))
        if n % 91 == 0:
            add(logbook.NewEntry("edss", datetime.combine(day, time(11, 0)),
                                 {"score": f"{rng.choice((3.0, 3.5, 4.0, 3.5)):.1f}"}))
        if n % 182 == 0:
            add(logbook.NewEntry("mri", datetime.combine(day, time(10, 0)),
                                 {"new_t2": str(rng.choice((0, 0, 0, 1))), "gd_enhancing": "0"}))
        if n % 30 == 0:
            add(logbook.NewEntry("note", datetime.combine(day, time(21, 0)), {"text": f"month {n // 30}: ok"}))
        day += timedelta(days=1)
        n += 1
    return entries


def make_patient_10y(path: Path, sizes: Sizes) -> None:
    rng = random.Random(10)
    ctx = open_bench(path)
    try:
        end = NOW.date()
        start = end - timedelta(days=365 * sizes.years + sizes.years // 4)
        pid = patients.add_patient(ctx, "Ten Years", born=date(1990, 4, 2), diagnosed=date(2015, 1, 9),
                                   ms_type="rrms")
        phases = journey_dates(start)
        journeys.start_journey(ctx, pid, PROTOCOL, phases[0][1], phase=Phase.ASSESSMENT)
        for phase, on in phases[1:]:
            if on <= end:
                journeys.advance(ctx, pid, phase, on)
        entries = patient_entries(rng, start, end, sizes.symptoms_per_day, phases)
        ids = logbook.log_many(ctx, pid, entries)
        # Ten years of follow-up: the reminders that came due were done (one in ten a day late).
        for k, reminder in enumerate(reminders.schedule(ctx, pid, end=end - timedelta(days=1))):
            if reminder.status == "pending":
                reminders.complete(ctx, reminder.id, reminder.due + timedelta(days=1 if k % 10 == 0 else 0))
        # A few corrections, as real logs have: amended values and moved times, retractions.
        for entry_id in rng.sample(ids, min(30, len(ids))):
            kind = entries[ids.index(entry_id)].kind
            if kind == "temperature":
                logbook.amend(ctx, entry_id, None, {"celsius": "37.0"})
            elif rng.random() < 0.5:
                logbook.retract(ctx, entry_id, "entered in error")
    finally:
        ctx.close()


# ---- clinic-1000 ----------------------------------------------------------------------------------
def _noon(ctx: AppContext, day: date) -> datetime:
    return ctx.local(datetime.combine(day, time(12, 0)))


def make_clinic(path: Path, sizes: Sizes) -> None:
    rng = random.Random(1000)
    ctx = open_bench(path, role="coordinator")
    protocol, protocol_text = read_protocol(PROTOCOL)
    now = ctx.now()
    today = now.date()
    try:
        with ctx.db.writing() as s:
            for i in range(sizes.clinic_patients):
                elapsed = rng.randint(0, sizes.clinic_max_days)
                start = today - timedelta(days=elapsed)
                pid = repo.insert_patient(s, name=f"Patient {i + 1:04d}", born=date(1970 + i % 30, 1 + i % 12, 1),
                                          diagnosed=None, ms_type=("rrms", "spms", "ppms", "cis")[i % 4], now=now)
                rows = [_event(ctx, pid, "patient_add", now, {"name": f"Patient {i + 1:04d}"})]
                repo.insert_journey(s, patient_id=pid, protocol_name=protocol.name, protocol_text=protocol_text,
                                    now=now)
                phases = [(p, on) for p, on in journey_dates(start - timedelta(days=21))[1:] if on <= today]
                if rng.random() < 0.03 and len(phases) > 1:
                    phases.append((Phase.WITHDRAWN, phases[-1][1] + timedelta(days=1)))
                for k, (phase, on) in enumerate(phases):
                    payload = {"phase": phase.value, "on": on.isoformat()}
                    if k == 0:
                        payload["protocol"] = protocol.name
                    rows.append(_event(ctx, pid, "start" if k == 0 else "transition", _noon(ctx, on), payload))
                rows += _clinic_logs(ctx, rng, pid, start, today)
                repo.append_events(s, rows)
                refresh(s, pid)
    finally:
        ctx.close()
    _complete_past_reminders(path, NOW_TEXT)


def _event(ctx: AppContext, pid: int, kind: str, occurred: datetime, payload: dict) -> dict:
    return {"patient_id": pid, "kind": kind, "occurred_at": occurred, "recorded_at": occurred,
            "user": "bench", "role": ctx.role, "payload": payload}


def _clinic_logs(ctx: AppContext, rng: random.Random, pid: int, start: date, today: date) -> list[dict]:
    rows = []
    day = start
    n = 0
    while day < today:
        at = ctx.local(datetime.combine(day, time(20, 0)))
        rows.append(_event(ctx, pid, "temperature", at, {"fields": {"celsius": round(rng.gauss(36.8, 0.3), 1)}}))
        if n % 7 == 0:
            rows.append(_event(ctx, pid, "lab", ctx.local(datetime.combine(day, time(8, 0))),
                               {"fields": {"anc": round(rng.uniform(1.5, 5), 1), "platelets": rng.randint(120, 380)}}))
        if rng.random() < 0.05:
            rows.append(_event(ctx, pid, "symptom", at, {"fields": {"name": "fatigue", "severity": rng.randint(0, 8)}}))
        day += timedelta(days=1)
        n += 1
    return rows


def _complete_past_reminders(path: Path, now_text: str) -> None:
    """Most past reminders were done; one in ten was not (the coordinator's overdue column)."""
    conn = sqlite3.connect(str(path))
    try:
        with conn:
            conn.execute("UPDATE reminder SET status = 'done', done_at = due "
                         "WHERE status = 'pending' AND due < ? AND (id * 7919) % 10 != 0", (now_text,))
            conn.execute("UPDATE patient_state SET next_due = (SELECT min(due) FROM reminder r "
                         "WHERE r.patient_id = patient_state.patient_id AND r.status = 'pending')")
    finally:
        conn.close()
