"""FHIR R4 export: one Bundle (type `collection`) with the patient's record (codes: LOINC and SNOMED CT, listed below).

Written from plain dicts in one pass and encoded by orjson in one call, one resource per line (json's encoder
took a fifth of an export's time; an indented dump goes through its pure-Python encoder, seconds on a ten-year
log).
Each export validates its first resource of each kind with `fhir.resources`' R4B models (its default models
are R5; R4B matches R4 for these resources): every resource of a kind is built by the same code, and
validating each of 40,000 Observations took most of the export's time. The tests validate whole Bundles. Contents:

- Patient; Condition (multiple sclerosis, SNOMED CT 24700007);
- CarePlan: the protocol, with each phase stay (and each planned date) as an activity;
- Procedure for each mobilization attempt, the conditioning and the transplant (SNOMED CT 234336002, the
  generic procedure; the text says "autologous" when the protocol's cells are the patient's own);
- ServiceRequest for every scheduled MRI and blood test (status from the reminder's: done → completed,
  skipped → revoked, otherwise active);
- Observation for every lab value (LOINC), temperature (LOINC 8310-5) and EDSS score, each log entry in
  its latest version (exports/fhir_observations.py); retracted entries are left out (entered in error: no
  figure uses them);
- MedicationStatement for every medicine course, MedicationAdministration for every dose taken
  (exports/fhir_medicines.py).

Resource ids are UUIDs derived from the patient id and the thing they describe, so two exports of the same
record carry the same ids; references inside the Bundle are `urn:uuid:` full URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from ..domain.local_times import for_zone
from .fhir_ids import resource_id
from .fhir_medicines import medication_resources
from .fhir_observations import observations
from .model import ExportData, PhaseSpan, ScheduledItem

SNOMED = "http://snomed.info/sct"
PHASE_SYSTEM = "urn:mstracker:phase"
ID_SYSTEM = "urn:mstracker:patient"
REMINDER_SYSTEM = "urn:mstracker:reminder"
PROCEDURE_PHASES = ("mobilization", "conditioning", "transplant")
SERVICE_KINDS = ("mri", "blood_test")
_REMINDER_STATUS = {"pending": "active", "snoozed": "active", "done": "completed", "skipped": "revoked"}


def _uid(data: ExportData, *parts: object) -> str:
    return resource_id("/".join(str(p) for p in (data.patient.id, *parts)))


def _ref(uid: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{uid}"}


def _moment(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _wall(data: ExportData, wall: datetime) -> str:
    zone = ZoneInfo(data.zone_key) if data.zone_key else (data.zone or UTC)
    return _moment(wall.replace(tzinfo=zone))


def write_fhir(data: ExportData) -> bytes:
    """The Bundle as UTF-8 JSON: its envelope, then one entry per line."""
    envelope, resources = _parts(data)
    _validate_samples(resources)
    bundle = {**envelope, "entry": [{"fullUrl": f"urn:uuid:{rid}", "resource": res} for rid, res in resources]}
    # Encoded in one call (one per entry costs five times as much), then one entry put on each line for
    # people and diffs: `{"fullUrl":` can stand only at an entry's start, since inside a JSON string its
    # quotes would be escaped.
    return orjson.dumps(bundle).replace(b'{"fullUrl":', b'\n{"fullUrl":') + b"\n"


def _validate_samples(resources: list[tuple[str, dict[str, Any]]]) -> None:
    """The first resource of each kind, validated against its R4B model (a ValidationError is a bug)."""
    from fhir.resources.R4B import get_fhir_model_class

    seen: set[str] = set()
    for _rid, res in resources:
        kind = res["resourceType"]
        if kind not in seen:
            seen.add(kind)
            get_fhir_model_class(kind).model_validate(res)


def _parts(data: ExportData) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The Bundle's envelope (without entries) and its resources with their ids, in order."""
    resources: list[tuple[str, dict[str, Any]]] = []
    patient_id = _uid(data, "Patient")
    condition_id = _uid(data, "Condition", "ms")
    subject = _ref(patient_id)
    resources.append((patient_id, _patient(data, patient_id)))
    resources.append((condition_id, _condition(data, condition_id, subject)))
    careplan_id = None
    if data.phases:
        careplan_id = _uid(data, "CarePlan", data.journey_id)
        resources.append((careplan_id, _careplan(data, careplan_id, subject, condition_id)))
        for span in data.phases:
            if span.phase in PROCEDURE_PHASES and not span.planned:
                rid = _uid(data, "Procedure", span.phase, span.attempt)
                resources.append((rid, _procedure(data, rid, span, subject, careplan_id)))
    for item in data.reminders:
        if item.kind in SERVICE_KINDS:
            rid = _uid(data, "ServiceRequest", item.uid)
            resources.append((rid, _service_request(data, rid, item, subject, careplan_id)))
    resources += observations(data.live_entries, data.patient.id, subject, for_zone(data.zone or UTC).iso)
    resources += medication_resources(data, subject, lambda *parts: _uid(data, *parts), lambda t: _wall(data, t))
    envelope = {
        "resourceType": "Bundle", "id": _uid(data, "Bundle"), "type": "collection",
        "identifier": {"system": ID_SYSTEM, "value": str(data.patient.id)},
        "timestamp": _moment(data.generated_at),
    }
    return envelope, resources


def _patient(data: ExportData, rid: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Patient", "id": rid,
        "identifier": [{"system": ID_SYSTEM, "value": str(data.patient.id)}],
        "name": [{"text": data.patient.name}],
    }
    if data.patient.born:
        res["birthDate"] = data.patient.born.isoformat()
    return res


MS_TYPES = {"rrms": "relapsing-remitting", "spms": "secondary progressive", "ppms": "primary progressive",
            "cis": "clinically isolated syndrome"}


def _condition(data: ExportData, rid: str, subject: dict) -> dict[str, Any]:
    text = "Multiple sclerosis"
    if data.patient.ms_type in MS_TYPES:
        text += f" ({MS_TYPES[data.patient.ms_type]})"
    res: dict[str, Any] = {
        "resourceType": "Condition", "id": rid,
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                       "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                           "code": "confirmed"}]},
        "code": {"coding": [{"system": SNOMED, "code": "24700007", "display": "Multiple sclerosis"}], "text": text},
        "subject": subject,
    }
    if data.patient.diagnosed:
        res["onsetDateTime"] = data.patient.diagnosed.isoformat()
    return res


def _activity_status(span: PhaseSpan) -> str:
    if span.planned:
        return "scheduled"
    if span.end is not None or span.phase in ("completed", "withdrawn"):
        return "completed"
    return "in-progress"


def _careplan(data: ExportData, rid: str, subject: dict, condition_id: str) -> dict[str, Any]:
    status = {"completed": "completed", "withdrawn": "revoked"}.get(data.phase or "", "active")
    recorded = [s for s in data.phases if not s.planned]
    period: dict[str, str] = {}
    if recorded:
        period["start"] = recorded[0].start.isoformat()
        if status != "active":
            period["end"] = recorded[-1].start.isoformat()
    activities = []
    for span in data.phases:
        scheduled = {"start": span.start.isoformat()}
        if span.end is not None:
            scheduled["end"] = span.end.isoformat()
        detail: dict[str, Any] = {
            "code": {"coding": [{"system": PHASE_SYSTEM, "code": span.phase, "display": span.label}],
                     "text": span.label},
            "status": _activity_status(span), "scheduledPeriod": scheduled,
            "description": _phase_text(data, span),
        }
        if span.reason:
            detail["statusReason"] = {"text": span.reason}
        activities.append({"detail": detail})
    res: dict[str, Any] = {
        "resourceType": "CarePlan", "id": rid, "status": status, "intent": "plan",
        "title": f"aHSCT for multiple sclerosis: {data.protocol_title or data.protocol_name or 'protocol'}",
        "subject": subject, "addresses": [_ref(condition_id)], "activity": activities,
    }
    if period:
        res["period"] = period
    return res


def _phase_text(data: ExportData, span: PhaseSpan) -> str:
    text = f"{'planned: ' if span.planned else ''}{span.label} from {span.start.isoformat()}"
    if span.day is not None:
        text += f" ({data.day_label(span.day)})"
    if span.attempt > 1:
        text += f", attempt {span.attempt}"
    return text


def _procedure(data: ExportData, rid: str, span: PhaseSpan, subject: dict, careplan_id: str) -> dict[str, Any]:
    own = "autologous " if data.autologous else ""
    res: dict[str, Any] = {"resourceType": "Procedure", "id": rid,
                           "status": "completed" if span.end is not None else "in-progress",
                           "subject": subject, "basedOn": [_ref(careplan_id)]}
    if span.phase == "transplant":
        res["code"] = {"coding": [{"system": SNOMED, "code": "234336002",
                                   "display": "Hemopoietic stem cell transplant"}],
                       "text": ("Autologous haematopoietic" if own else "Haematopoietic")
                       + " stem cell transplant (reinfusion, Day 0)"}
        res["status"] = "completed"  # the reinfusion is done on Day 0; recovery is a phase, not the procedure
        res["performedDateTime"] = span.start.isoformat()
        return res
    if span.phase == "mobilization":
        text = "Stem cell mobilization and collection (apheresis)"
        if span.attempt > 1:
            text += f", attempt {span.attempt}"
    else:
        text = f"Conditioning chemotherapy before {own}stem cell transplant"
        if data.protocol_title:
            text += f": {data.protocol_title}"
    res["code"] = {"text": text}
    period = {"start": span.start.isoformat()}
    if span.end is not None:
        period["end"] = span.end.isoformat()
    res["performedPeriod"] = period
    return res


def _service_request(data: ExportData, rid: str, item: ScheduledItem, subject: dict,
                     careplan_id: str | None) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "ServiceRequest", "id": rid,
        "identifier": [{"system": REMINDER_SYSTEM, "value": item.uid}],
        "status": _REMINDER_STATUS.get(item.status, "unknown"), "intent": "plan",
        "category": [{"text": "MRI" if item.kind == "mri" else "blood test"}],
        "code": {"text": item.title}, "subject": subject,
        "occurrenceDateTime": _wall(data, item.effective_due),
    }
    if careplan_id:
        res["basedOn"] = [_ref(careplan_id)]
    return res
