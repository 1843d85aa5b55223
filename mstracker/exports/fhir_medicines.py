"""The medicine courses in the FHIR R4 Bundle: a MedicationStatement per course (dosage timing and period) and a
MedicationAdministration per dose taken. Plain JSON-ready dicts; the Bundle's validation checks them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .model import CourseItem, DoseItem, ExportData

COURSE_SYSTEM = "urn:mstracker:course"
DOSE_SYSTEM = "urn:mstracker:dose"
_DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STATUS = {"planned": "intended", "active": "active", "ended": "completed"}
ROUTES = {  # SNOMED CT routes
    "oral": ("26643006", "Oral route"),
    "injection": ("34206005", "Subcutaneous route"),
}


def medication_resources(data: ExportData, subject: dict[str, str], uid: Callable[..., str],
                         wall: Callable[[datetime], str]) -> list[tuple[str, dict[str, Any]]]:
    """(id, resource) pairs: `uid(*parts)` makes a stable id, `wall(naive local time)` a FHIR dateTime."""
    out: list[tuple[str, dict[str, Any]]] = []
    statements: dict[int, str] = {}
    for course in data.courses:
        rid = uid("MedicationStatement", course.uid)
        statements[course.id] = rid
        out.append((rid, _statement(course, rid, subject)))
    by_id = {c.id: c for c in data.courses}
    for dose in data.doses:
        if dose.status == "taken" and dose.course_id in by_id:
            rid = uid("MedicationAdministration", dose.record_id)
            out.append((rid, _administration(by_id[dose.course_id], dose, rid, subject, statements, wall)))
    return out


def _concept(course: CourseItem) -> dict[str, Any]:
    return {"text": course.name}


def _timing(course: CourseItem) -> dict[str, Any]:
    repeat: dict[str, Any] = {"timeOfDay": [t.strftime("%H:%M:%S") for t in course.times]}
    if course.weekdays is not None:
        repeat["dayOfWeek"] = [_DAY_CODES[d] for d in course.weekdays]
    else:
        repeat.update(frequency=len(course.times), period=course.every_days or 1, periodUnit="d")
    bounds: dict[str, str] = {}
    if course.first_day:
        bounds["start"] = course.first_day.isoformat()
    if course.last_day:
        bounds["end"] = course.last_day.isoformat()
    if bounds:
        repeat["boundsPeriod"] = bounds
    return {"repeat": repeat}


def _statement(course: CourseItem, rid: str, subject: dict[str, str]) -> dict[str, Any]:
    dosage: dict[str, Any] = {"text": f"{course.dose} at {', '.join(t.strftime('%H:%M') for t in course.times)}",
                              "timing": _timing(course)}
    if course.route in ROUTES:
        code, display = ROUTES[course.route]
        dosage["route"] = {"coding": [{"system": "http://snomed.info/sct", "code": code, "display": display}],
                           "text": course.route}
    else:
        dosage["route"] = {"text": course.route}
    res: dict[str, Any] = {
        "resourceType": "MedicationStatement", "id": rid,
        "identifier": [{"system": COURSE_SYSTEM, "value": course.uid}],
        "status": _STATUS.get(course.status, "active"),
        "medicationCodeableConcept": _concept(course), "subject": subject, "dosage": [dosage],
    }
    period = _timing(course)["repeat"].get("boundsPeriod")
    if period:
        res["effectivePeriod"] = period
    if course.purpose:
        res["reasonCode"] = [{"text": course.purpose}]
    if course.source == "protocol":
        res["informationSource"] = {"display": "the transplant centre's protocol"}
    return res


def _administration(course: CourseItem, dose: DoseItem, rid: str, subject: dict[str, str],
                    statements: dict[int, str], wall: Callable[[datetime], str]) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "MedicationAdministration", "id": rid,
        "identifier": [{"system": DOSE_SYSTEM, "value": str(dose.record_id)}],
        "status": "completed", "medicationCodeableConcept": _concept(course), "subject": subject,
        "effectiveDateTime": wall(dose.taken_at or dose.due),
        "supportingInformation": [{"reference": f"urn:uuid:{statements[course.id]}"}],
        "dosage": {"text": f"{course.dose} (the {dose.due:%Y-%m-%d %H:%M} dose"
                           + (", taken late)" if dose.late else ")")},
    }
    return res
