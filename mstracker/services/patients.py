"""Adding and listing patients."""

from __future__ import annotations

from datetime import date

from ..domain.errors import UserError
from ..domain.limits import NAME_MAX, check_day, check_text
from ..storage import repository as repo
from .context import AppContext
from .patient_list import PatientSummary, list_patients  # noqa: F401  (the listing is read the quick way too)
from .records import record

MS_TYPES = ("rrms", "spms", "ppms", "cis")


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


def get_patient(ctx: AppContext, patient_id: int) -> dict:
    from .records import require_patient

    with ctx.db.reading() as s:
        p = require_patient(s, patient_id)
        return {"id": p.id, "name": p.name, "born": p.born, "diagnosed": p.diagnosed, "ms_type": p.ms_type}

