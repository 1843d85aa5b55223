"""Typed log entries: kinds, fields, plausible ranges (docs/command-line.md, "Log kinds and fields")."""

from __future__ import annotations

import pytest

from mstracker.domain.entries import KINDS, LogKind, parse_assignments, parse_kind, validate_fields
from mstracker.domain.errors import UserError

GOOD = [
    (LogKind.LAB, {"anc": "0.6", "platelets": "31"}, {"anc": 0.6, "platelets": 31}),
    (LogKind.LAB, {"cmv_pcr": "1000000000", "hb": "2"}, {"cmv_pcr": 1000000000, "hb": 2}),
    (LogKind.TEMPERATURE, {"celsius": "34.0"}, {"celsius": 34}),
    (LogKind.TEMPERATURE, {"celsius": "43"}, {"celsius": 43}),
    (LogKind.SYMPTOM, {"name": "tingling", "severity": "0"}, {"name": "tingling", "severity": 0}),
    (LogKind.SIDE_EFFECT, {"name": "mucositis", "grade": "3"}, {"name": "mucositis", "grade": 3}),
    (LogKind.SIDE_EFFECT, {"name": "other", "grade": "1", "note": "rash"}, {"name": "other", "grade": 1, "note": "rash"}),
    (LogKind.TRANSFUSION, {"product": "red_cells"}, {"product": "red_cells"}),
    (LogKind.RELAPSE, {}, {}),
    (LogKind.RELAPSE, {"confirmed": "no"}, {"confirmed": "no"}),
    (LogKind.MRI, {"new_t2": "0", "gd_enhancing": "500"}, {"new_t2": 0, "gd_enhancing": 500}),
    (LogKind.EDSS, {"score": "3.5"}, {"score": 3.5}),
    (LogKind.EDSS, {"score": "10"}, {"score": 10.0}),
    (LogKind.NOTE, {"text": " felt fine "}, {"text": "felt fine"}),
]


@pytest.mark.parametrize(("kind", "raw", "expected"), GOOD, ids=lambda x: str(x))
def test_plausible_values_are_kept(kind, raw, expected):
    assert validate_fields(kind, raw) == expected


BAD = [
    (LogKind.TEMPERATURE, {"celsius": "48"}, "outside the plausible range"),
    (LogKind.TEMPERATURE, {"celsius": "33.9"}, "outside the plausible range"),
    (LogKind.TEMPERATURE, {"celsius": "warm"}, "not a number"),
    (LogKind.TEMPERATURE, {"celsius": "nan"}, "not a number"),
    (LogKind.TEMPERATURE, {"celsius": "inf"}, "not a number"),
    (LogKind.LAB, {"platelets": "-3"}, "outside the plausible range"),
    (LogKind.LAB, {"anc": "501"}, "outside the plausible range"),
    (LogKind.LAB, {"hb": "1.9"}, "outside the plausible range"),
    (LogKind.LAB, {"creatinine": "9"}, "outside the plausible range"),
    (LogKind.LAB, {"cmv_pcr": "1e10"}, "outside the plausible range"),
    (LogKind.LAB, {}, "at least one of"),
    (LogKind.LAB, {"sodium": "140"}, "unknown field 'sodium'"),
    (LogKind.SYMPTOM, {"name": "x", "severity": "11"}, "outside the plausible range"),
    (LogKind.SYMPTOM, {"name": "x", "severity": "2.5"}, "whole number"),
    (LogKind.SYMPTOM, {"name": "x"}, "needs severity"),
    (LogKind.SYMPTOM, {"name": "  ", "severity": "1"}, "empty"),
    (LogKind.SIDE_EFFECT, {"name": "mucositis", "grade": "0"}, "outside the plausible range"),
    (LogKind.SIDE_EFFECT, {"name": "mucositis", "grade": "6"}, "outside the plausible range"),
    (LogKind.SIDE_EFFECT, {"name": "headache", "grade": "2"}, "not known"),
    (LogKind.SIDE_EFFECT, {"name": "other", "grade": "2"}, "needs a note"),
    (LogKind.SIDE_EFFECT, {"name": "gvhd", "grade": "2"}, "donor"),
    (LogKind.TRANSFUSION, {"product": "plasma"}, "not known"),
    (LogKind.RELAPSE, {"confirmed": "maybe"}, "not known"),
    (LogKind.MRI, {"new_t2": "1"}, "needs gd_enhancing"),
    (LogKind.MRI, {"new_t2": "-1", "gd_enhancing": "0"}, "outside the plausible range"),
    (LogKind.EDSS, {"score": "7.3"}, "steps of 0.5"),
    (LogKind.EDSS, {"score": "10.5"}, "steps of 0.5"),
    (LogKind.EDSS, {"score": "-0.5"}, "steps of 0.5"),
    (LogKind.EDSS, {"score": "NaN"}, "steps of 0.5"),
    (LogKind.EDSS, {"score": "three"}, "steps of 0.5"),
    (LogKind.NOTE, {"text": "x" * 2001}, "longer than 2000"),
]


@pytest.mark.parametrize(("kind", "raw", "reason"), BAD, ids=lambda x: str(x)[:30])
def test_implausible_values_are_refused_with_the_reason(kind, raw, reason):
    with pytest.raises(UserError, match=reason):
        validate_fields(kind, raw)


def test_unknown_field_names_the_allowed_ones():
    with pytest.raises(UserError) as refused:
        validate_fields(LogKind.TEMPERATURE, {"fahrenheit": "99"})
    assert "allowed fields: celsius" in str(refused.value)


def test_unknown_kind_names_the_allowed_ones():
    with pytest.raises(UserError) as refused:
        parse_kind("bloodpressure")
    assert all(k.value in str(refused.value) for k in LogKind)


def test_gvhd_only_for_donor_cells():
    assert validate_fields(LogKind.SIDE_EFFECT, {"name": "gvhd", "grade": "2"}, gvhd_allowed=True)["name"] == "gvhd"


def test_partial_validation_for_amendments_checks_only_named_fields():
    assert validate_fields(LogKind.MRI, {"new_t2": "2"}, partial=True) == {"new_t2": 2}
    with pytest.raises(UserError):
        validate_fields(LogKind.MRI, {"new_t2": "x"}, partial=True)


def test_every_kind_of_cli_md_is_known():
    assert {k.value for k in KINDS} == {"lab", "temperature", "symptom", "side_effect", "transfusion", "relapse",
                                        "mri", "edss", "note"}


def test_assignments():
    assert parse_assignments(["anc=0.6", "note=a=b"]) == {"anc": "0.6", "note": "a=b"}
    for bad in (["anc"], ["=3"], ["anc=1", "anc=2"]):
        with pytest.raises(UserError):
            parse_assignments(bad)
