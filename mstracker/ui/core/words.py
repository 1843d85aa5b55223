"""Plain words for what the app shows: entries, kinds, reminders, days (no Qt here, easy to test)."""

from __future__ import annotations

from ...domain.entries import KINDS, SIDE_EFFECTS, LogEntry, LogKind
from .day_words import due_words, moment_words, phase_words

__all__ = ["LOG_KIND_WORDS", "PRODUCT_WORDS", "REMINDER_KIND_WORDS", "counted", "describe_entry", "describe_fields",
           "due_words", "moment_words", "phase_words"]

# What each kind of log entry and each kind of reminder is called: two vocabularies, two names.
LOG_KIND_WORDS: dict[LogKind, str] = {kind: spec.label for kind, spec in KINDS.items()}
PRODUCT_WORDS = {"platelets": "platelets", "red_cells": "red blood cells"}
REMINDER_KIND_WORDS = {
    "mri": "MRI", "blood_test": "blood test", "evaluation": "check-up", "vaccination": "vaccination",
    "medication": "medication", "appointment": "appointment", "custom": "reminder",
}


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """'1 entry', '3 entries', '0 patients': the word agrees with the number."""
    if n == 1:
        return f"1 {singular}"
    if plural is None:
        plural = f"{singular[:-1]}ies" if singular.endswith("y") and singular[-2:-1] not in "aeiou" else f"{singular}s"
    return f"{n} {plural}"


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def describe_fields(kind: LogKind, fields: dict) -> str:
    """One line a patient reads at a glance: '38.4 °C', 'mouth sores (mucositis), grade 2'."""
    spec = KINDS[kind]
    if kind is LogKind.SIDE_EFFECT:
        text = f"{SIDE_EFFECTS.get(fields.get('name', ''), fields.get('name', ''))}, grade {fields.get('grade', '?')}"
        return f"{text}: {fields['note']}" if fields.get("note") else text
    if kind is LogKind.TRANSFUSION:
        return PRODUCT_WORDS.get(fields.get("product", ""), str(fields.get("product", "")))
    if kind is LogKind.TEMPERATURE:
        celsius = fields.get("celsius")
        return f"{celsius:.1f} °C" if isinstance(celsius, (int, float)) else f"{celsius} °C"
    if kind is LogKind.SYMPTOM:
        text = f"{fields.get('name', '')}, severity {fields.get('severity', '?')} of 10"
        return f"{text}: {fields['note']}" if fields.get("note") else text
    if kind is LogKind.NOTE:
        return str(fields.get("text", ""))
    if kind is LogKind.MRI:
        return _mri_words(fields)
    parts = []
    for fspec in spec.fields:
        if fspec.name not in fields:
            continue
        value = fields[fspec.name]
        if fspec.name in ("note", "text"):
            parts.append(str(value))
        elif fspec.name == "confirmed":
            parts.append("confirmed by the MS team" if value == "yes" else "not confirmed")
        else:
            unit = f" {fspec.unit}" if fspec.unit and not fspec.unit[0].isdigit() else ""
            parts.append(f"{fspec.label or fspec.name} {_number(value)}{unit}")
    return ", ".join(parts) or "—"


def _mri_words(fields: dict) -> str:
    """'3 new or enlarging T2 lesions, 1 gadolinium-enhancing lesion: note' (the count leads, no unit twice)."""

    def count(name: str, singular: str, plural: str) -> str | None:
        if name not in fields:
            return None
        n = fields[name]
        return f"{_number(n)} {singular if n == 1 else plural}"

    parts = [p for p in (count("new_t2", "new or enlarging T2 lesion", "new or enlarging T2 lesions"),
                         count("gd_enhancing", "gadolinium-enhancing lesion", "gadolinium-enhancing lesions")) if p]
    text = ", ".join(parts) or "MRI"
    return f"{text}: {fields['note']}" if fields.get("note") else text


def describe_entry(entry: LogEntry) -> str:
    return describe_fields(entry.kind, entry.fields)
