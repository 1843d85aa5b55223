"""The `missed_dose` warning (docs/medicines.md, "Missed doses").

A dose missed within the last 24 hours: it shows from the moment the dose became missed (its time + 4 hours)
for 24 hours, or until it is recorded. A G-CSF injection missed during mobilization asks for a call to the
apheresis unit today: the stem cell collection is timed on those injections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone, tzinfo

from ..clinical.alerts import Alert
from ..phases import Phase
from .doses import MISSED_AFTER, Dose, DoseStatus, real

MISSED_SHOWS = timedelta(hours=24)
_G_CSF = re.compile(r"g-?csf|filgrastim|lenograstim", re.IGNORECASE)


def is_g_csf(name: str) -> bool:
    return bool(_G_CSF.search(name))


def recently_missed(doses: Iterable[Dose], now: datetime, zone: tzinfo) -> list[Dose]:
    """The doses that became missed within the last 24 hours, oldest first."""
    limit = now.astimezone(timezone.utc)
    return [d for d in doses if d.status is DoseStatus.MISSED
            and limit - MISSED_SHOWS < real(d.due, zone) + MISSED_AFTER <= limit]


def missed_dose_alerts(doses: Iterable[Dose], now: datetime, zone: tzinfo,
                       phase_on: Callable[[date], Phase | None]) -> list[Alert]:
    """One warning per dose missed within the last 24 hours. `phase_on(day)` is the journey's phase that day."""
    alerts = []
    for dose in recently_missed(doses, now, zone):
        name, when = dose.course.name, f"{dose.due:%H:%M} on {dose.due:%Y-%m-%d}"
        if is_g_csf(name) and phase_on(dose.due.date()) is Phase.MOBILIZATION:
            message = (f"Missed dose: {name} at {when} was not recorded. Call the apheresis unit today: "
                       "the stem cell collection is timed on these injections.")
        else:
            message = (f"Missed dose: {name} at {when} was not recorded. Take it as the leaflet or your team "
                       "says, and tell your team.")
        alerts.append(Alert("warning", "missed_dose", message))
    return alerts
