"""Every patient at a glance (the coordinators' list, `patient list`): from the projection, no replay."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import reminder_times
from ..domain.dates import day_label


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


def list_patients(ctx) -> list[PatientSummary]:
    """Every patient with Day, next due and overdue count; `ctx` is an AppContext or a QuickContext."""
    now = ctx.now()
    today = now.date()
    overdue_before = reminder_times.overdue_before(now).strftime("%Y-%m-%dT%H:%M")  # the alerts' rule
    with ctx.reads() as reads:
        rows = reads.patient_summaries(overdue_before, today.isoformat())
    return [PatientSummary(id=pid, name=name, phase=phase, day=(today - day_zero).days if day_zero else None,
                           day_zero_planned=planned, next_due=next_due, next_title=next_title,
                           overdue=overdue or 0)
            for pid, name, phase, day_zero, planned, overdue, next_due, next_title in rows]
