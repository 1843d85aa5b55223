"""Which doses to announce now (Qt-free): each dose at its time, and once more when it is still unrecorded an
hour later. After 4 hours the dose is missed and the `missed_dose` warning takes over, so announcing stops.

Elapsed time is real time (UTC): the night the clocks change, "an hour later" is still sixty minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from ...domain.medicines.doses import MISSED_AFTER, Dose, DoseStatus, real

REPEAT_AFTER = timedelta(hours=1)

Key = tuple[int, datetime, bool]  # course id, due (wall time), whether it is the repeat


class Announcement(NamedTuple):
    dose: Dose
    repeat: bool


def due_announcements(doses: Iterable[Dose], now: datetime, zone: tzinfo, announced: set[Key]) -> list[Announcement]:
    """The announcements to make now, and not made before (`announced` is updated). A dose seen first when
    its repeat is already due is announced once, as the repeat."""
    out = []
    for dose in sorted(doses, key=lambda d: (d.due, d.course.name)):
        if dose.status != DoseStatus.PENDING:
            continue
        elapsed = now - real(dose.due, zone)
        if elapsed < timedelta(0) or elapsed >= MISSED_AFTER:
            continue
        repeat = elapsed >= REPEAT_AFTER
        key = (dose.course.id, dose.due, repeat)
        if key in announced:
            continue
        announced.add(key)
        announced.add((dose.course.id, dose.due, False))
        out.append(Announcement(dose, repeat))
    return out
