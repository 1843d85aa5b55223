"""Adding and listing patients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain import reminder_times
from ..domain.dates import day_label
from ..domain.errors import UserError
from ..domain.limits import NAME_MAX, check_day, check_text
from ..storage import repository as repo
from .context import AppContext
from .records import record

MS_TYPES = ("rrms", "spms", "ppms", "cis")


@dataclass(frozen=True)
class PatientSummary:
    id: int
    name: str
    phase: str | None
    day: int | None
    day_zero_planned: bool = False
    next_due: str | None = None
    next_title: str | None = None
    overdue: int = 0

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "phase": self.phase, "day": self.day}

    @property
    def day_text(self) -> str:
        return day_label(self.day, self.day_zero_planned)


def add_patient(ctx: AppContext, name: str, born: date | None = None, diagnosed: date | None = None,
                ms_type: str | None = None) -> int:
    ctx.require_write("add a patient")
    name = check_details(name, born, diagnosed, ms_type, ctx.today())
    with ctx.db.writing() as s:
        pid = repo.insert_patient(s, name=name, born=born, diagnosed=diagnosed, ms_type=ms_type, now=ctx.now())
        record(ctx, s, pid, "patient_add", ctx.now(), {
            "name": name, "born": born.isoformat() if born else None,
            "diagnosed": diagnosed.isoformat() if diagnosed else None, "ms_type": ms_type,
        })
    return pid


def check_details(name: str, born: date | None, diagnosed: date | None, ms_type: str | None, today: date) -> str:
    """A new patient's details checked (the same for `patient add` and import); returns the name as stored."""
    if not isinstance(name, str) or not name.strip():
        raise UserError("the patient's name is empty; give it with --name \"First Last\"")
    name = check_text(name, "the name", NAME_MAX)
    if ms_type is not None and ms_type not in MS_TYPES:
        raise UserError(f"unknown MS type {ms_type!r}; use one of: {', '.join(MS_TYPES)}")
    for label, value in (("birth date", born), ("diagnosis date", diagnosed)):
        if value is not None:
            check_day(value, f"the {label}")
        if value is not None and value > today:
            raise UserError(f"the {label} {value.isoformat()} is in the future; check it")
    if born and diagnosed and diagnosed < born:
        raise UserError("the diagnosis date is before the birth date; check both")
    return name


def list_patients(ctx: AppContext) -> list[PatientSummary]:
    """Every patient from the projection, with Day, next due and overdue count: no replay."""
    now = ctx.now()
    today = now.date()
    overdue_before = reminder_times.overdue_before(now).strftime("%Y-%m-%dT%H:%M")  # the alerts' rule
    with ctx.db.reading() as s:
        rows = repo.patient_summaries(s, overdue_before, today.isoformat())
    return [PatientSummary(id=pid, name=name, phase=phase, day=(today - day_zero).days if day_zero else None,
                           day_zero_planned=planned, next_due=next_due, next_title=next_title,
                           overdue=overdue or 0)
            for pid, name, phase, day_zero, planned, overdue, next_due, next_title in rows]


def get_patient(ctx: AppContext, patient_id: int) -> dict:
    from .records import require_patient

    with ctx.db.reading() as s:
        p = require_patient(s, patient_id)
        return {"id": p.id, "name": p.name, "born": p.born, "diagnosed": p.diagnosed, "ms_type": p.ms_type}

