"""Typed log entries: the kinds a patient logs, their fields, units and plausible ranges (docs/command-line.md, "Log kinds and fields")."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from .errors import UserError
from .limits import REASON_MAX, check_text


class LogKind(StrEnum):
    LAB = "lab"
    TEMPERATURE = "temperature"
    SYMPTOM = "symptom"
    SIDE_EFFECT = "side_effect"
    TRANSFUSION = "transfusion"
    RELAPSE = "relapse"
    MRI = "mri"
    EDSS = "edss"
    NOTE = "note"


SIDE_EFFECTS: dict[str, str] = {
    "neutropenia": "low white cells (neutropenia)",
    "anemia": "anaemia (low red cells)",
    "thrombocytopenia": "low platelets (thrombocytopenia)",
    "mucositis": "mouth sores (mucositis)",
    "infection": "infection",
    "fever": "fever",
    "nausea": "nausea",
    "fatigue": "fatigue",
    "hair_loss": "hair loss",
    "engraftment_syndrome": "engraftment syndrome",
    "viral_reactivation": "viral reactivation (CMV, EBV)",
    "thyroid": "thyroid problems",
    "ms_symptoms_worse": "worsening of MS symptoms",
    "gvhd": "graft-versus-host disease",
    "other": "other",
}
TRANSFUSION_PRODUCTS = ("platelets", "red_cells")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    unit: str
    parse: Callable[[str, FieldSpec], Any]
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    label: str = ""


# Decimal numbers in ASCII digits: Python's float() would also read '1_000', '٣٧' and 'infinity'.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _plain(text: str) -> str:
    value = text.strip()
    if not _DECIMAL.fullmatch(value):
        raise ValueError(text)
    return value


def _number(text: str, spec: FieldSpec) -> float:
    try:
        value = float(_plain(text))
    except ValueError:
        raise UserError(f"{spec.name}={text!r} is not a number; write it like {spec.name}=1.5") from None
    if not math.isfinite(value):
        raise UserError(f"{spec.name}={text!r} is not a number; write it like {spec.name}=1.5")
    _check_range(value, spec)
    return int(value) if value.is_integer() else value


def _whole(text: str, spec: FieldSpec) -> int:
    try:
        value = float(_plain(text))
    except ValueError:
        raise UserError(f"{spec.name}={text!r} must be a whole number from {spec.low:g} to {spec.high:g}") from None
    if not math.isfinite(value) or not value.is_integer():
        raise UserError(f"{spec.name}={text!r} must be a whole number from {spec.low:g} to {spec.high:g}")
    _check_range(value, spec)
    return int(value)


def _half_step(text: str, spec: FieldSpec) -> float:
    try:
        value = Decimal(_plain(text))
    except (InvalidOperation, ValueError):
        raise UserError(f"{spec.name}={text!r} must be a number from 0 to 10 in steps of 0.5") from None
    # The range first: the step test on a huge value (1E30) raises decimal's DivisionImpossible.
    if not value.is_finite() or not (0 <= value <= 10) or (value * 2) % 1 != 0:
        raise UserError(f"{spec.name}={text!r} must be from 0 to 10 in steps of 0.5 (e.g. 3.5)")
    return float(value)


def _text(text: str, spec: FieldSpec) -> str:
    if not text.strip():
        raise UserError(f"{spec.name} is empty; write some text, e.g. {spec.name}=\"...\"")
    return check_text(text, spec.name, REASON_MAX, lines=True)


def _choice(text: str, spec: FieldSpec) -> str:
    value = text.strip()
    if value not in spec.choices:
        raise UserError(f"{spec.name}={text!r} is not known; use one of: {', '.join(spec.choices)}")
    return value


def _check_range(value: float, spec: FieldSpec) -> None:
    if spec.low is not None and spec.high is not None and not (spec.low <= value <= spec.high):
        unit = f" {spec.unit}" if spec.unit else ""
        raise UserError(
            f"{spec.name}={value:g} is outside the plausible range {spec.low:g}–{spec.high:g}{unit}; check the value"
        )


LAB_FIELDS = (
    FieldSpec("wbc", "×10⁹/L", _number, 0, 500, label="white cells"),
    FieldSpec("anc", "×10⁹/L", _number, 0, 500, label="neutrophils (ANC)"),
    FieldSpec("lymphocytes", "×10⁹/L", _number, 0, 500, label="lymphocytes"),
    FieldSpec("platelets", "×10⁹/L", _number, 0, 2000, label="platelets"),
    FieldSpec("hb", "g/dL", _number, 2, 25, label="haemoglobin"),
    FieldSpec("cd4", "cells/µL", _number, 0, 5000, label="CD4 count"),
    FieldSpec("alt", "U/L", _number, 0, 10000, label="ALT (liver)"),
    FieldSpec("creatinine", "µmol/L", _number, 10, 3000, label="creatinine (kidney)"),
    FieldSpec("tsh", "mIU/L", _number, 0, 500, label="TSH (thyroid)"),
    FieldSpec("cmv_pcr", "IU/mL", _number, 0, 1e9, label="CMV PCR"),
)


@dataclass(frozen=True)
class KindSpec:
    kind: LogKind
    fields: tuple[FieldSpec, ...]
    required: tuple[str, ...] = ()
    at_least_one: bool = False
    label: str = ""

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        allowed = ", ".join(s.name for s in self.fields)
        raise UserError(f"unknown field {name!r} for {self.kind.value}; allowed fields: {allowed}")


KINDS: dict[LogKind, KindSpec] = {
    LogKind.LAB: KindSpec(LogKind.LAB, LAB_FIELDS, at_least_one=True, label="Lab result"),
    LogKind.TEMPERATURE: KindSpec(
        LogKind.TEMPERATURE, (FieldSpec("celsius", "°C", _number, 34.0, 43.0, label="temperature"),),
        required=("celsius",), label="Temperature",
    ),
    LogKind.SYMPTOM: KindSpec(
        LogKind.SYMPTOM,
        (FieldSpec("name", "", _text, label="symptom"), FieldSpec("severity", "0–10", _whole, 0, 10, label="severity"),
         FieldSpec("note", "", _text, label="note")),
        required=("name", "severity"), label="Symptom",
    ),
    LogKind.SIDE_EFFECT: KindSpec(
        LogKind.SIDE_EFFECT,
        (FieldSpec("name", "", _choice, choices=tuple(SIDE_EFFECTS), label="side effect"),
         FieldSpec("grade", "CTCAE 1–5", _whole, 1, 5, label="grade"), FieldSpec("note", "", _text, label="note")),
        required=("name", "grade"), label="Side effect",
    ),
    LogKind.TRANSFUSION: KindSpec(
        LogKind.TRANSFUSION, (FieldSpec("product", "", _choice, choices=TRANSFUSION_PRODUCTS, label="product"),),
        required=("product",), label="Transfusion",
    ),
    LogKind.RELAPSE: KindSpec(
        LogKind.RELAPSE,
        (FieldSpec("note", "", _text, label="note"), FieldSpec("confirmed", "", _choice, choices=("yes", "no"),
                                                               label="confirmed by the MS team")),
        label="Relapse",
    ),
    LogKind.MRI: KindSpec(
        LogKind.MRI,
        (FieldSpec("new_t2", "lesions", _whole, 0, 500, label="new or enlarging T2 lesions"),
         FieldSpec("gd_enhancing", "lesions", _whole, 0, 500, label="gadolinium-enhancing lesions"),
         FieldSpec("note", "", _text, label="note")),
        required=("new_t2", "gd_enhancing"), label="MRI result",
    ),
    LogKind.EDSS: KindSpec(
        LogKind.EDSS, (FieldSpec("score", "0–10", _half_step, label="EDSS score"),), required=("score",),
        label="EDSS score",
    ),
    LogKind.NOTE: KindSpec(LogKind.NOTE, (FieldSpec("text", "", _text, label="note"),), required=("text",),
                           label="Note"),
}


def parse_kind(text: str) -> LogKind:
    try:
        return LogKind(text)
    except ValueError:
        raise UserError(f"unknown kind {text!r}; use one of: {', '.join(k.value for k in LogKind)}") from None


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """`FIELD=VALUE` words from the command line into a dict (a field given twice is refused)."""
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UserError(f"{pair!r} is not FIELD=VALUE; write e.g. celsius=37.8")
        if name in result:
            raise UserError(f"field {name!r} is given twice; give it once")
        result[name] = value
    return result


def validate_fields(kind: LogKind, raw: dict[str, Any], *, partial: bool = False,
                    gvhd_allowed: bool = False) -> dict[str, Any]:
    """Parse and check every field of a `kind` entry. `partial` is for amendments (only named fields)."""
    spec = KINDS[kind]
    values: dict[str, Any] = {}
    for name, text in raw.items():
        fspec = spec.field(name)
        values[name] = fspec.parse(str(text), fspec)
    if kind is LogKind.SIDE_EFFECT and values.get("name") == "gvhd" and not gvhd_allowed:
        raise UserError("gvhd applies only to donor (non-autologous) cells; this protocol's cells are the patient's own")
    if not partial:
        check_complete(kind, values)
    return values


def check_complete(kind: LogKind, values: dict[str, Any]) -> None:
    spec = KINDS[kind]
    missing = [name for name in spec.required if name not in values]
    if missing:
        raise UserError(f"{kind.value} needs {', '.join(missing)}; e.g. " +
                        " ".join(f"{m}=..." for m in missing))
    if spec.at_least_one and not values:
        raise UserError(f"{kind.value} needs at least one of: {', '.join(s.name for s in spec.fields)}")
    if kind is LogKind.SIDE_EFFECT and values.get("name") == "other" and "note" not in values:
        raise UserError("side_effect name=other needs a note=... saying what it is")


@dataclass(frozen=True)
class LogEntry:
    """One logged entry in its latest version. `at` is an aware datetime in local time."""

    entry_id: int
    kind: LogKind
    at: datetime
    fields: dict[str, Any] = field(default_factory=dict)
    amended: bool = False
    retracted: bool = False
