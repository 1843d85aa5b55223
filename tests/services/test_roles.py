"""The roles and what each may do, declared once."""

from mstracker.services.roles import ROLE_NAMES, Role


def test_only_the_caregiver_is_read_only():
    assert [r for r in Role if r.read_only] == [Role.CAREGIVER]


def test_only_the_coordinator_edits_protocols_and_sees_the_dashboard():
    assert [r for r in Role if r.edits_protocols] == [Role.COORDINATOR]
    assert [r for r in Role if r.sees_dashboard] == [Role.COORDINATOR]


def test_parse_takes_the_three_names_and_nothing_else():
    assert [Role.parse(n) for n in ROLE_NAMES] == list(Role)
    assert Role.parse("admin") is None
    assert Role.parse(None) is None
    assert Role.parse("Patient") is None


def test_a_role_switch_is_in_the_audit_trail_and_survives_export_and_import(tmp_path):
    from datetime import datetime

    from dateutil import tz

    from mstracker.services import audit, patients, transfer
    from mstracker.services.context import open_context

    moment = datetime(2027, 6, 20, 10, 0, tzinfo=tz.gettz("Europe/London"))
    ctx = open_context(str(tmp_path / "a.sqlite3"), role="patient", clock=lambda: moment)
    try:
        pid = patients.add_patient(ctx, "Anna Test")
        audit.record_role_switch(ctx, pid, "caregiver")
        (row,) = [r for r in audit.audit(ctx, pid) if r["action"] == "role_switch"]
        assert (row["role"], row["detail"]) == ("patient", "role switched from caregiver to patient")
        for fmt in ("json", "fhir", "ics", "csv", "pdf"):  # every writer takes the new kind of event
            assert transfer.render(ctx, pid, fmt)
        copy = transfer.import_data(ctx, transfer.export_data(ctx, pid))
        assert any(r["action"] == "role_switch" for r in audit.audit(ctx, copy))
    finally:
        ctx.close()
