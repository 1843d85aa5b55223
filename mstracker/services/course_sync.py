"""Keeping a journey's protocol courses in step with its anchors, in the transaction of every journey write."""

from __future__ import annotations

from typing import Any

from ..domain.journey import Journey
from ..domain.medicines.course import Source, weekday_names
from ..domain.medicines.template import final_day
from ..domain.protocol import Protocol
from ..storage import medicine_rows as rows


def sync_courses(s, patient_id: int, journey_id: int | None, protocol: Protocol | None, journey: Journey) -> None:
    """Create or move the protocol's courses for the journey's anchors (same transaction as the write that
    moved them). A course keeps its id and UID; once a dose is recorded its first day stays where it is.
    After withdrawn or completed every course of the patient ends on that date."""
    existing = rows.courses(s, patient_id)
    ended = final_day(journey)
    if journey_id is not None and protocol is not None:
        by_key = {r.key: r for r in existing if r.journey_id == journey_id and r.key}
        new = []
        for template in protocol.courses:
            first, last = template.span(journey)
            row = by_key.get(template.id)
            if row is None:
                new.append({
                    "patient_id": patient_id, "journey_id": journey_id, "key": template.id,
                    "source": Source.PROTOCOL.value, "name": template.name, "dose": template.dose,
                    "route": template.route.value, "times": ",".join(t.strftime("%H:%M") for t in template.times),
                    "every_days": template.every_days, "weekdays": ",".join(weekday_names(template.weekdays))
                    if template.weekdays else None, "first_day": first, "last_day": last, "ended_on": ended,
                    "pinned": False, "purpose": template.purpose, "uid": f"{journey_id}-course-{template.id}@mstracker",
                })
                continue
            values: dict[str, Any] = {}
            if row.last_day != last:
                values["last_day"] = last
            if not row.pinned and row.first_day != first:
                values["first_day"] = first
            if values:
                rows.update_course(s, row.id, **values)
        rows.insert_courses(s, new)
    for row in existing:
        if row.ended_on != ended:
            rows.update_course(s, row.id, ended_on=ended)


