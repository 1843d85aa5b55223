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
