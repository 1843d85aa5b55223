"""Many generated patients for the dashboard, written with list inserts (one statement per table),
not one ORM object per row: 1,000 patients with their projection, journeys, reminders and recent entries.

Which patients carry which red flag is fixed by their number, so tests can check the alerts column.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from mstracker.services.protocols import read_protocol
from mstracker.storage.models import EventRow, JourneyRow, PatientRow, PatientStateRow, ReminderRow

FIRST = ("Ana", "Ben", "Chloé", "Dev", "Eva", "Farid", "Grace", "Hugo", "Iris", "Jon", "Kemi", "Lars")
LAST = ("Silva", "Okafor", "Nowak", "Patel", "Müller", "Haddad", "Kim", "Rossi", "Dubois", "Evans")
PHASES = (None, "assessment", "mobilization", "cells_stored", "conditioning", "transplant", "immune_rebuild",
          "follow_up", "completed", "withdrawn")
# Day 0 relative to today for each phase (None: no Day 0 yet); planned before the transplant.
DAY_ZERO = {"mobilization": 20, "cells_stored": 12, "conditioning": 4, "transplant": -9, "immune_rebuild": -40,
            "follow_up": -400, "completed": -1900, "withdrawn": None, "assessment": None, None: None}


def name_of(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i:04d}"


def phase_of(i: int) -> str | None:
    return PHASES[i % len(PHASES)]


def expected_flags(i: int) -> list[str]:
    flags = []
    if i % 10 == 3:
        flags.append("fever")
    if i % 7 == 2:
        flags.append("low_platelets")
    if i % 11 == 5:
        flags.append("neutropenia")
    if i % 13 == 4:
        flags.append("relapse")
    return flags


def generate(ctx, count: int, now: datetime) -> None:
    """`count` patients as of `now` (aware local); ids are 1..count."""
    today = now.date()
    utc_now = now.astimezone(UTC).replace(tzinfo=None)
    _, protocol_text = read_protocol("cy-atg")
    patients, states, journeys, reminders, events = [], [], [], [], []
    event_id = 0

    def event(pid: int, kind: str, hours_ago: float, payload: dict, **extra) -> int:
        nonlocal event_id
        event_id += 1
        events.append({"id": event_id, "patient_id": pid, "kind": kind,
                       "occurred_at": utc_now - timedelta(hours=hours_ago), "recorded_at": utc_now,
                       "user": "generator", "role": "coordinator", "payload": json.dumps(payload),
                       "entry_id": extra.get("entry_id"), "supersedes": extra.get("supersedes")})
        return event_id

    for i in range(1, count + 1):
        phase = phase_of(i)
        offset = DAY_ZERO[phase]
        day_zero = today + timedelta(days=offset) if offset is not None else None
        patients.append({"id": i, "name": name_of(i), "born": date(1985, 1, 1), "diagnosed": None,
                         "ms_type": "rrms", "created_at": utc_now})
        states.append({"patient_id": i, "phase": phase, "phase_since": today - timedelta(days=3),
                       "day_zero": day_zero, "day_zero_planned": bool(offset and offset > 0)})
        if phase is None:
            continue
        journeys.append({"id": i, "patient_id": i, "protocol_name": "cy-atg", "protocol_text": protocol_text,
                         "created_at": utc_now})
        event(i, "start", 24 * 60, {"phase": "mobilization", "on": (today - timedelta(days=60)).isoformat()})
        for n in range(24):  # from 6 days ago to about 11 weeks ahead; two a day are overdue for some
            due = datetime.combine(today + timedelta(days=n * 3 - 6 + i % 3), datetime.min.time()).replace(hour=9)
            reminders.append({"patient_id": i, "journey_id": i, "item_id": "gen", "occurrence": n,
                              "kind": "blood_test", "title": f"Blood test {n + 1}", "due": f"{due:%Y-%m-%dT%H:%M}",
                              "status": "done" if (n < 2 and i % 4) else "pending", "edited": False,
                              "uid": f"{i}-gen-{n}@mstracker"})
        event(i, "temperature", 3, {"fields": {"celsius": 38.6 if i % 10 == 3 else 36.8}})
        event(i, "lab", 30, {"fields": {"platelets": 150, "anc": 2.5}})
        event(i, "lab", 6, {"fields": {"platelets": 15 if i % 7 == 2 else 140, "anc": 0.3 if i % 11 == 5 else 2.1}})
        if i % 13 == 4:
            event(i, "relapse", 24 * 5, {"fields": {"note": "blurred vision"}})
        if i % 10 == 6:  # a fever reading corrected to normal: the latest version counts
            first = event(i, "temperature", 2, {"fields": {"celsius": 39.0}})
            event(i, "amend", 2, {"fields": {"celsius": 37.0}, "log_kind": "temperature"}, entry_id=first,
                  supersedes=first)
        if i % 10 == 8:  # a low platelet count entered in error, then retracted
            first = event(i, "lab", 1, {"fields": {"platelets": 5}})
            event(i, "retract", 0.5, {"reason": "entered in error", "log_kind": "lab"}, entry_id=first,
                  supersedes=first)
    with ctx.db.writing() as s:
        for model, rows in ((PatientRow, patients), (PatientStateRow, states), (JourneyRow, journeys),
                            (ReminderRow, reminders), (EventRow, events)):
            if rows:
                s.execute(insert(model), rows)
