"""Where a patient stands as of a moment: phase, Day, stay, engraftment, alerts, outcomes, what is next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from ..domain.clinical.alerts import (
    FEVER_SHOWS,
    LEVEL_RANK,
    PSEUDO_RELAPSE_AFTER,
    RELAPSE_SHOWS,
    TWO_READINGS_MAX,
    Alert,
    ReminderView,
    compute_alerts,
)
from ..domain.clinical.engraftment import Engraftment, compute_engraftment
from ..domain.clinical.outcomes import compute_outcomes
from ..domain.clinical.settings import ClinicalSettings
from ..domain.entries import LogEntry, LogKind
from ..domain.journey import Journey
from ..domain.phases import Phase
from ..domain.protocol import Protocol
from .medicine_status import MedicationStatus, medication_alerts, medication_status
from .replay import Reminder, journey_of, protocol_of, reminder_from_row, require_patient, to_entries

if TYPE_CHECKING:
    from .context import AppContext

NEXT_COUNT = 5
# What the clinical rules read: these kinds over the whole journey (engraftment, counts, outcomes), ...
RULE_KINDS = tuple(k.value for k in (LogKind.LAB, LogKind.SIDE_EFFECT, LogKind.TRANSFUSION, LogKind.RELAPSE,
                                     LogKind.MRI, LogKind.EDSS))
# ... temperatures only as far back as the fever and pseudo-relapse rules look (daily readings over ten years
# are most of a log), and symptoms and notes not at all.
TEMPERATURE_WINDOW = FEVER_SHOWS + TWO_READINGS_MAX + RELAPSE_SHOWS + PSEUDO_RELAPSE_AFTER + timedelta(days=1)


def clinical_settings(protocol: Protocol | None) -> ClinicalSettings:
    if protocol is None:
        return ClinicalSettings()
    return ClinicalSettings(
        engraftment_run_length=protocol.engraftment_run_length,
        transfusion_free_days=protocol.transfusion_free_days,
        edss_confirmation_days=protocol.edss_confirmation_days,
        mobilization_days=protocol.mobilization_days,
        stay_days=protocol.stay_days,
        eligibility_max_age=protocol.eligibility_max_age,
        eligibility_max_edss=protocol.eligibility_max_edss,
        eligibility_max_disease_years=protocol.eligibility_max_disease_years,
    )


@dataclass
class Status:
    patient: dict[str, Any]
    as_of: datetime
    journey: Journey  # as it stood at `as_of`
    full_journey: Journey
    protocol: Protocol | None
    engraftment: Engraftment
    alerts: list[Alert]
    outcomes: Any
    day_zero: date | None = None
    day_zero_is_planned: bool = False
    next: list[Reminder] = field(default_factory=list)
    medications: MedicationStatus | None = None

    @property
    def day(self) -> int | None:
        return None if self.day_zero is None else (self.as_of.date() - self.day_zero).days

    def to_json(self) -> dict[str, Any]:
        j = self.journey
        return {
            "patient": {"id": self.patient["id"], "name": self.patient["name"]},
            "phase": j.phase.value if j.phase else None,
            "phase_since": _d(j.phase_since),
            "day": self.day,
            "day_zero": _d(self.day_zero),
            "day_zero_is_planned": self.day_zero_is_planned,
            "admitted": _d(j.admitted), "discharged": _d(j.discharged),
            "length_of_stay_days": j.length_of_stay_days,
            "engraftment": self.engraftment.to_json(),
            "alerts": [a.to_json() for a in self.alerts],
            "next": [r.to_json() for r in self.next],
            "outcomes": self.outcomes.to_json(),
            "protocol": self.protocol.name if self.protocol else None,
            "medications": {
                "due_today": [d.to_json() for d in self.medications.due_today] if self.medications else [],
                "adherence_7d": self.medications.adherence_7d if self.medications else None,
            },
        }


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def status_entries(reads, patient_id: int, zone: tzinfo, moment: datetime) -> list[LogEntry]:
    """The entries the status rules need as of `moment`, in their latest versions."""
    rows = reads.entry_rows(patient_id, RULE_KINDS, (LogKind.TEMPERATURE.value,), moment - TEMPERATURE_WINDOW)
    return to_entries(rows, zone)


def status(ctx: AppContext, patient_id: int, as_of: datetime | None = None) -> Status:
    """`as_of` is a local wall time (default: now)."""
    moment = ctx.local(as_of) if as_of is not None else ctx.now()
    with ctx.reads() as reads:
        return status_from(reads, patient_id, moment, ctx.zone)


def status_from(reads, patient_id: int, moment: datetime, zone: tzinfo) -> Status:
    """Where the patient stands at `moment` (aware), from `reads` (a session's `SessionReads`, or the
    driver-only `SqliteReads` of a one-line command); entries count by their own date, in their latest
    version."""
    patient = require_patient(reads, patient_id)
    full = journey_of(reads, patient_id)
    protocol = protocol_of(reads, patient_id)
    entries = [e for e in status_entries(reads, patient_id, zone, moment) if e.at <= moment]
    reminders = [reminder_from_row(r) for r in reads.reminders(patient_id)]
    medications = medication_status(reads, patient_id, moment, zone)
    settings = clinical_settings(protocol)
    journey = full.as_of(moment.date())
    actual_zero = journey.entered(Phase.TRANSPLANT)
    # Before the transplant happened (as of `as_of`), the planned Day 0 — or the one recorded later — is shown
    # as planned.
    day_zero = actual_zero or journey.day_zero or full.day_zero
    engraftment = compute_engraftment(entries, actual_zero, settings)
    views = [ReminderView(r.id, r.title, r.due, r.status, r.snoozed_until) for r in reminders]
    alerts = compute_alerts(journey, entries, views, moment, settings, engraftment)
    alerts = sorted(alerts + medication_alerts(medications, full, moment, zone), key=lambda a: LEVEL_RANK[a.level])
    outcomes = compute_outcomes(journey, entries, moment.date(), settings)
    wall_now = moment.replace(tzinfo=None)
    start_of_day = wall_now.replace(hour=0, minute=0)
    upcoming = [r for r in reminders if r.status in ("pending", "snoozed") and r.effective_due >= start_of_day]
    upcoming.sort(key=lambda r: (r.effective_due, r.kind, r.title))
    return Status(
        patient={"id": patient.id, "name": patient.name, "born": patient.born, "diagnosed": patient.diagnosed,
                 "ms_type": patient.ms_type},
        as_of=moment, journey=journey, full_journey=full, day_zero=day_zero,
        day_zero_is_planned=day_zero is not None and actual_zero is None, protocol=protocol, engraftment=engraftment,
        alerts=alerts, outcomes=outcomes, next=upcoming[:NEXT_COUNT], medications=medications,
    )
