"""The FHIR export, parsed and validated with fhir.resources' R4B models."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from fhir.resources.R4B.bundle import Bundle

LOINC = "http://loinc.org"


def _bundle(path) -> Bundle:
    return Bundle.model_validate_json(path.read_bytes())


def _resources(bundle: Bundle, kind: str | None = None):
    return [e.resource for e in bundle.entry if kind is None or e.resource.get_resource_type() == kind]


def _loinc(resource) -> str | None:
    for coding in resource.code.coding or []:
        if coding.system == LOINC:
            return coding.code
    return None


def test_one_valid_r4_bundle_with_the_expected_resources(journey):
    bundle = _bundle(journey.export("fhir"))
    assert bundle.type == "collection"
    counts = Counter(r.get_resource_type() for r in _resources(bundle))
    scheduled = [r for r in journey.schedule() if r["kind"] in ("mri", "blood_test")]
    assert counts["Patient"] == counts["Condition"] == counts["CarePlan"] == 1
    assert counts["Procedure"] == 3  # mobilization, conditioning, transplant
    assert counts["ServiceRequest"] == len(scheduled) > 0
    # lab1 4 values, lab2 2 values, temperature, EDSS; the retracted lab is left out.
    assert counts["Observation"] == 8
    # Every reference points at a resource in the Bundle.
    urls = {e.fullUrl for e in bundle.entry}
    refs = [r.subject.reference for r in _resources(bundle) if getattr(r, "subject", None)]
    assert refs and set(refs) <= urls


def test_patient_condition_careplan_and_procedures(journey):
    bundle = _bundle(journey.export("fhir"))
    patient = _resources(bundle, "Patient")[0]
    assert patient.name[0].text == "Anna Example" and str(patient.birthDate) == "1990-04-02"
    condition = _resources(bundle, "Condition")[0]
    assert [(c.system, c.code) for c in condition.code.coding] == [("http://snomed.info/sct", "24700007")]
    careplan = _resources(bundle, "CarePlan")[0]
    activities = [(a.detail.code.coding[0].code, a.detail.status, str(a.detail.scheduledPeriod.start))
                  for a in careplan.activity]
    assert activities == [("mobilization", "completed", "2027-03-01"), ("cells_stored", "completed", "2027-03-12"),
                          ("conditioning", "completed", "2027-05-25"), ("transplant", "in-progress", "2027-05-31"),
                          ("immune_rebuild", "scheduled", "2027-06-14")]
    procedures = {p.code.text: p for p in _resources(bundle, "Procedure")}
    transplant = next(p for text, p in procedures.items() if "transplant (reinfusion" in text)
    assert [(c.system, c.code) for c in transplant.code.coding] == [("http://snomed.info/sct", "234336002")]
    assert "autologous" in transplant.code.text.lower()
    assert str(transplant.performedDateTime) == "2027-05-31"
    mobilization = next(p for text, p in procedures.items() if "mobilization" in text.lower())
    assert (str(mobilization.performedPeriod.start), str(mobilization.performedPeriod.end)) == ("2027-03-01",
                                                                                               "2027-03-12")


def test_observations_carry_loinc_codes_and_the_logged_values(journey):
    bundle = _bundle(journey.export("fhir"))
    values = sorted((_loinc(o), float(o.valueQuantity.value), o.effectiveDateTime.isoformat(), o.status)
                    for o in _resources(bundle, "Observation") if _loinc(o))
    assert values == sorted([
        ("751-8", 0.3, "2027-06-01T07:00:00+01:00", "final"), ("777-3", 45, "2027-06-01T07:00:00+01:00", "final"),
        ("718-7", 9.4, "2027-06-01T07:00:00+01:00", "final"), ("6690-2", 0.8, "2027-06-01T07:00:00+01:00", "final"),
        ("751-8", 0.1, "2027-06-05T07:00:00+01:00", "amended"), ("777-3", 14, "2027-06-05T07:00:00+01:00", "amended"),
        ("8310-5", 38.4, "2027-06-04T22:00:00+01:00", "final"),
    ])
    units = {_loinc(o): o.valueQuantity.code for o in _resources(bundle, "Observation") if _loinc(o)}
    assert units["751-8"] == "10*9/L" and units["8310-5"] == "Cel" and units["718-7"] == "g/dL"
    edss = [o for o in _resources(bundle, "Observation") if "EDSS" in (o.code.text or "")]
    assert [float(o.valueQuantity.value) for o in edss] == [3.5]
    assert 9.9 not in [float(o.valueQuantity.value) for o in _resources(bundle, "Observation")]


def _london(wall: str) -> str:
    return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo("Europe/London")).isoformat()


def test_service_requests_follow_the_schedule(journey):
    done = next(r for r in journey.schedule() if r["kind"] == "blood_test")
    journey.run("reminder", "done", str(done["id"]), "--at", "2027-06-10T11:00", now="2027-06-10T12:00")
    bundle = _bundle(journey.export("fhir"))
    requests = {(r.code.text, r.occurrenceDateTime.isoformat()): r.status for r in _resources(bundle, "ServiceRequest")}
    expected = {(r["title"], _london(r["due"])) for r in journey.schedule() if r["kind"] in ("mri", "blood_test")}
    assert set(requests) == expected
    assert requests[(done["title"], _london(done["due"]))] == "completed"
    mri = [key for key in requests if key[0].startswith("Brain MRI")]
    assert mri and all(requests[k] == "active" for k in mri)


def test_ids_are_stable_across_exports(journey):
    first = [e.fullUrl for e in _bundle(journey.export("fhir", "a.json")).entry]
    second = [e.fullUrl for e in _bundle(journey.export("fhir", "b.json")).entry]
    assert first == second and len(set(first)) == len(first)


def test_one_entry_per_line_whatever_the_text(cli, tmp_path):
    # A name that spells what the writer breaks lines before: inside a JSON string it is escaped, so it
    # neither breaks a line nor the document.
    name = 'Ann {"fullUrl": "x"}, \\"fullUrl\\": Ü'
    pid = cli("patient", "add", "--name", name).out.strip()
    assert cli("journey", "start", pid, "--protocol", "cy-atg", "--on", "2027-03-01").code == 0
    assert cli("log", pid, "temperature", "--at", "2027-03-02T20:00", "celsius=37.2").code == 0
    out = tmp_path / "anna.json"
    assert cli("export", pid, "--format", "fhir", "--out", str(out)).code == 0
    bundle = _bundle(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('{"resourceType":"Bundle"') and lines[0].endswith('"entry":[')
    entries = [json.loads(line.removesuffix(",").removesuffix("]}")) for line in lines[1:]]
    assert [e["fullUrl"] for e in entries] == [e.fullUrl for e in bundle.entry]
    assert _resources(bundle, "Patient")[0].name[0].text == name


def test_the_export_reads_the_log_kinds_it_turns_into_observations():
    from mstracker.exports.fhir_observations import MEASURES
    from mstracker.exports.formats import FORMATS

    assert set(FORMATS["fhir"].entry_kinds) == set(MEASURES)
