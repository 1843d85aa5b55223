"""The log's measurements in the FHIR R4 Bundle: an Observation for every lab value (LOINC), temperature
(LOINC 8310-5) and EDSS score, each log entry in its latest version.

Most of a long log's Bundle is these (a ten-year log: 40,000), so what is the same for every Observation
of a measure (its category, code and unit) is built once, here, and shared by all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, NamedTuple

from ..domain.entries import LAB_FIELDS
from .fhir_ids import resource_id
from .model import Entry

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ENTRY_SYSTEM = "urn:mstracker:entry"

# field -> (LOINC code or None, LOINC display, UCUM unit code)
LAB_CODES: dict[str, tuple[str | None, str, str]] = {
    "wbc": ("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*9/L"),
    "anc": ("751-8", "Neutrophils [#/volume] in Blood by Automated count", "10*9/L"),
    "lymphocytes": ("731-0", "Lymphocytes [#/volume] in Blood by Automated count", "10*9/L"),
    "platelets": ("777-3", "Platelets [#/volume] in Blood by Automated count", "10*9/L"),
    "hb": ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL"),
    "cd4": ("24467-3", "CD3+CD4+ (T4 helper) cells [#/volume] in Blood", "/uL"),
    "tsh": ("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "m[IU]/L"),
    "alt": ("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L"),
    "creatinine": ("14682-9", "Creatinine [Moles/volume] in Serum or Plasma", "umol/L"),
    "cmv_pcr": (None, "CMV DNA PCR", "[IU]/mL"),  # no agreed LOINC code for this assay: text only
}
TEMPERATURE = ("8310-5", "Body temperature", "Cel")


class Measure(NamedTuple):
    """What every Observation of one field of one log kind shares."""

    category: list[dict[str, Any]]
    code: dict[str, Any]
    unit: str  # as people read it
    ucum: str  # the unit's UCUM code


def _category(code: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBS_CATEGORY, "code": code}]}]


def _lab(name: str, unit: str, label: str) -> Measure:
    loinc, display, ucum = LAB_CODES[name]
    code: dict[str, Any] = {"text": label}
    if loinc:
        code["coding"] = [{"system": LOINC, "code": loinc, "display": display}]
    return Measure(_category("laboratory"), code, unit, ucum)


# log kind -> field -> its Measure; the fields of other kinds (symptoms, notes, …) are not measurements.
MEASURES: dict[str, dict[str, Measure]] = {
    "lab": {spec.name: _lab(spec.name, spec.unit, spec.label) for spec in LAB_FIELDS if spec.name in LAB_CODES},
    "temperature": {"celsius": Measure(
        _category("vital-signs"),
        {"coding": [{"system": LOINC, "code": TEMPERATURE[0], "display": TEMPERATURE[1]}], "text": "Body temperature"},
        "°C", TEMPERATURE[2])},
    "edss": {"score": Measure(
        _category("exam"), {"text": "EDSS (Kurtzke Expanded Disability Status Scale) score"}, "score", "{score}")},
}


def observations(entries: Iterable[Entry], patient_id: int, subject: dict[str, str],
                 iso: Callable[[datetime], str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, Observation) for every measured value of `entries` (retracted ones are the caller's to leave
    out); `iso` writes an entry's time as a FHIR dateTime."""
    prefix = f"{patient_id}/Observation/"
    for entry in entries:
        measures = MEASURES.get(entry.kind)
        if measures is None:  # most of a long log (symptoms, notes): nothing to build
            continue
        status = "amended" if entry.amended else "final"
        at = iso(entry.at)
        identifier = [{"system": ENTRY_SYSTEM, "value": str(entry.entry_id)}]
        for name, value in entry.fields.items():
            measure = measures.get(name)
            if measure is None:
                continue
            rid = resource_id(f"{prefix}{entry.entry_id}/{name}")
            yield rid, {
                "resourceType": "Observation", "id": rid, "identifier": identifier, "status": status,
                "category": measure.category, "code": measure.code, "subject": subject, "effectiveDateTime": at,
                "valueQuantity": {"value": value, "unit": measure.unit, "system": UCUM, "code": measure.ucum},
            }
