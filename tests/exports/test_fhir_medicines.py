"""Medicine courses in the FHIR Bundle: a MedicationStatement per course, a MedicationAdministration per dose taken."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationstatement import MedicationStatement

from tests.cli import conftest as cli_helpers
from tests.cli.conftest import ok

walk = cli_helpers.walk  # the fixture: a patient walked through the phases


def test_statements_per_course_and_administrations_per_taken_dose(cli, walk, tmp_path):
    pid = walk("immune_rebuild")
    courses = {c["name"].split(" ")[0]: c["id"] for c in cli("med", "list", pid, "--json").json()}
    ok(cli("med", "taken", courses["aciclovir"], "--dose", "2027-06-17T08:00", "--at", "2027-06-17T13:00"))
    ok(cli("med", "taken", courses["aciclovir"], "--dose", "2027-06-17T20:00", "--at", "2027-06-17T20:05"))
    ok(cli("med", "skip", courses["co-trimoxazole"], "--dose", "2027-06-18T08:00"))
    out = tmp_path / "p.json"
    ok(cli("export", pid, "--format", "fhir", "--out", out))
    bundle = json.loads(out.read_text())
    Bundle.model_validate(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    statements = [MedicationStatement.model_validate(r) for r in resources if r["resourceType"] == "MedicationStatement"]
    given = [MedicationAdministration.model_validate(r) for r in resources
             if r["resourceType"] == "MedicationAdministration"]
    assert sorted(s.medicationCodeableConcept.text for s in statements) == [
        "G-CSF (filgrastim) injections", "aciclovir (antiviral prophylaxis)", "co-trimoxazole (PJP prophylaxis)"]
    aciclovir = next(s for s in statements if s.medicationCodeableConcept.text.startswith("aciclovir"))
    repeat = aciclovir.dosage[0].timing.repeat
    assert [str(t) for t in repeat.timeOfDay] == ["08:00:00", "20:00:00"]
    assert (str(aciclovir.effectivePeriod.start), str(aciclovir.effectivePeriod.end)) == ("2027-06-17", "2028-05-31")
    cotrim = next(s for s in statements if s.medicationCodeableConcept.text.startswith("co-trimoxazole"))
    assert cotrim.dosage[0].timing.repeat.dayOfWeek == ["mon", "wed", "fri"]
    assert sorted(a.effectiveDateTime.isoformat() for a in given) == [
        "2027-06-17T13:00:00+01:00", "2027-06-17T20:05:00+01:00"]
    ids = {e["fullUrl"] for e in bundle["entry"]}
    assert all(a.supportingInformation[0].reference in ids for a in given)
