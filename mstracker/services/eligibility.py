"""The informational eligibility checklist for a patient, from what is recorded (docs/clinical-rules.md, "Eligibility")."""

from __future__ import annotations

from datetime import date

from ..domain.clinical.eligibility import EligibilityItem, check_eligibility
from .context import AppContext
from .records import journey_protocol, load_entries, require_patient
from .status import clinical_settings


def eligibility(ctx: AppContext, patient_id: int, today: date | None = None) -> list[EligibilityItem]:
    """Each criterion met / not met / unknown / discuss, as of `today` (default: the clock's today).

    The limits come from the journey's protocol when there is one (a centre's settings), else the defaults.
    """
    day = today or ctx.today()
    with ctx.db.reading() as s:
        patient = require_patient(s, patient_id)
        protocol = journey_protocol(s, patient_id)
        entries = load_entries(s, patient_id, ctx.zone)
        born, diagnosed, ms_type = patient.born, patient.diagnosed, patient.ms_type
    return check_eligibility(born, diagnosed, ms_type, entries, day, clinical_settings(protocol))
