"""Today's doses as the window shows them, read through `ctx.reads()` without the storage engine
(`medicines` holds the changes and hands these out too)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.medicines.doses import Dose
from .medicine_status import medication_status
from .replay import require_patient


@dataclass(frozen=True)
class Today:
    """What the main window and the caregiver show: today's doses, the week's adherence, missed doses."""

    doses: list[Dose]
    adherence_7d: float | None
    missed: list[Dose]


def today(ctx, patient_id: int) -> Today:
    """Today's doses with their status, the adherence over the last 7 days and the doses missed in the last
    24 hours: what the patient and the caregiver see on the main window."""
    now = ctx.now()
    with ctx.reads() as reads:
        require_patient(reads, patient_id)
        found = medication_status(reads, patient_id, now, ctx.zone)
    return Today(found.due_today, found.adherence_7d, found.missed)
