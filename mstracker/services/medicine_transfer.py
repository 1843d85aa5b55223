"""The medicine courses in the JSON export and import (lossless: every course, and every recorded dose as
the events it already is). Ids are renumbered on import; the events that name a course follow."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..domain.errors import UserError
from ..domain.medicines import course as rules
from ..storage import medicine_rows as rows

COURSE_EVENT_KINDS = ("med_course", "med_stop", rows.DOSE_KIND)
_DAYS = ("first_day", "last_day", "stopped_on", "ended_on")


def export_courses(s, patient_id: int) -> list[dict[str, Any]]:
    return [{
        "id": r.id, "key": r.key, "source": r.source, "name": r.name, "dose": r.dose, "route": r.route,
        "times": r.times, "every_days": r.every_days, "weekdays": r.weekdays, "pinned": bool(r.pinned),
        "purpose": r.purpose, "uid": r.uid, **{k: getattr(r, k).isoformat() if getattr(r, k) else None for k in _DAYS},
    } for r in rows.courses(s, patient_id)]


def validate_courses(data: dict[str, Any], fail) -> set[int]:
    """Check the file's courses (`fail(where, reason)` raises); returns their ids."""
    courses = data.get("courses", [])
    if not isinstance(courses, list):
        fail("courses", "expected a list")
    ids: set[int] = set()
    for i, c in enumerate(courses):
        where = f"courses[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("id"), int) or c["id"] in ids:
            fail(f"{where}.id", "missing or repeated")
        ids.add(c["id"])
        try:
            rules.check_text(str(c.get("name") or ""), "name", rules.NAME_LIMIT, empty=False)
            rules.check_text(str(c.get("dose") or ""), "dose")
            rules.parse_times(str(c.get("times") or ""), "times")
            rules.parse_route(str(c.get("route") or ""))
            if c.get("weekdays") is not None:
                rules.parse_weekdays(str(c["weekdays"]))
            for key in _DAYS:
                if c.get(key) is not None:
                    date.fromisoformat(c[key])
        except (UserError, ValueError, TypeError) as exc:
            fail(where, str(exc))
        for key in ("name", "dose", "times", "route", "purpose", "key", "uid", "weekdays"):
            if c.get(key) is not None and not isinstance(c[key], str):
                fail(f"{where}.{key}", "expected a text")
        every = c.get("every_days")
        if every is not None and (isinstance(every, bool) or not isinstance(every, int) or not 1 <= every <= 366):
            fail(f"{where}.every_days", "expected a whole number of days from 1 to 366")
        if not isinstance(c.get("pinned", False), bool):
            fail(f"{where}.pinned", "expected true or false")
        if c.get("source") not in ("protocol", "own"):
            fail(f"{where}.source", "expected protocol or own")
        if c["source"] == "protocol" and (not isinstance(c.get("key"), str) or data.get("journey") is None):
            fail(f"{where}.key", "a protocol's course needs its key and the journey")
    return ids


def import_courses(s, patient_id: int, journey_id: int | None, courses: list[dict[str, Any]]) -> dict[int, int]:
    """Insert the file's courses for the new patient; returns old id → new id."""
    mapping = {}
    for c in courses:
        protocol = c["source"] == "protocol"
        new_id = rows.insert_course(
            s, patient_id=patient_id, journey_id=journey_id if protocol else None, key=c.get("key") if protocol else None,
            source=c["source"], name=c["name"], dose=c.get("dose") or "", route=c["route"], times=c["times"],
            every_days=c.get("every_days"), weekdays=c.get("weekdays"), pinned=bool(c.get("pinned")),
            purpose=c.get("purpose") or "", uid=f"{journey_id}-course-{c['key']}@mstracker" if protocol else None,
            **{k: date.fromisoformat(c[k]) if c.get(k) else None for k in _DAYS},
        )
        mapping[c["id"]] = new_id
    return mapping


def renumber(kind: str, payload: dict[str, Any], mapping: dict[int, int]) -> dict[str, Any]:
    """A course event's payload naming the course by its new id."""
    if kind in COURSE_EVENT_KINDS and payload.get("course") in mapping:
        return {**payload, "course": mapping[payload["course"]]}
    return payload
