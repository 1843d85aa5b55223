"""The plain data every export writer takes: one patient's timeline, gathered by the services layer.

Writers never see the database: services/exporting.py builds an `ExportData` and hands it over.
Times: `ScheduledItem.due` is a naive local wall time (it stays 09:00 across a DST change); every other
moment is an aware datetime in the local zone; dates are local calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any

from ..domain.dates import day_label as _day_label


@dataclass(frozen=True)
class PatientInfo:
    id: int
    name: str
    born: date | None = None
    diagnosed: date | None = None
    ms_type: str | None = None


@dataclass(frozen=True)
class PhaseSpan:
    """One stay in a phase (`end` = the next phase's start, None while it lasts), or a planned date."""

    phase: str
    label: str  # plain words, e.g. "recovery in hospital"
    start: date
    end: date | None = None
    planned: bool = False
    attempt: int = 1  # 2 for a repeated mobilization, …
    reason: str | None = None
    day: int | None = None  # Day number of `start` (None while no Day 0 is known)


@dataclass(frozen=True)
class ScheduledItem:
    id: int
    uid: str
    due: datetime  # naive local wall time
    kind: str
    title: str
    status: str  # pending | done | snoozed | skipped
    snoozed_until: datetime | None = None
    done_at: datetime | None = None

    @property
    def effective_due(self) -> datetime:
        return self.snoozed_until if self.status == "snoozed" and self.snoozed_until else self.due


@dataclass(frozen=True)
class Entry:
    """A log entry in its latest version."""

    entry_id: int
    kind: str
    at: datetime
    fields: dict[str, Any]
    amended: bool = False
    retracted: bool = False
    day: int | None = None


@dataclass(frozen=True)
class EventRecord:
    """One stored event, as the audit trail holds it, with whether it still stands."""

    event_id: int
    entry_id: int
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    user: str
    role: str
    status: str  # current | superseded | retracted | correction
    entry_kind: str | None = None  # the log kind an amend/retract belongs to
    phase: str | None = None
    on: date | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    supersedes: int | None = None
    details: dict[str, Any] = field(default_factory=dict)  # the rest of the payload


@dataclass(frozen=True)
class CourseItem:
    """A medicine course as it runs (its last day is the earliest of its own, a stop and the journey's end).
    `first_day` None: not scheduled yet. `weekdays` 0 = Monday; None for an every-N-days course."""

    id: int
    uid: str
    name: str
    dose: str
    route: str
    times: tuple[time, ...]
    first_day: date | None
    last_day: date | None
    every_days: int | None = 1
    weekdays: tuple[int, ...] | None = None
    purpose: str = ""
    source: str = "own"
    status: str = "active"  # planned | active | ended
    adherence_7d: float | None = None


@dataclass(frozen=True)
class DoseItem:
    """A recorded dose (taken or skipped) in its latest version. Times are naive local wall times."""

    record_id: int
    course_id: int
    due: datetime
    status: str  # taken | skipped
    taken_at: datetime | None = None
    late: bool = False
    reason: str = ""


@dataclass(frozen=True)
class AlertNote:
    """A current alert as the export shows it (the status rules as of `generated_at`)."""

    level: str  # urgent | warning | info
    message: str


# Where a writer may cut an `extra_html` section into blocks of its own (the PDF keeps a block on one page).
BLOCK_BREAK = "<!-- block -->"


@dataclass(frozen=True)
class ExportData:
    patient: PatientInfo
    generated_at: datetime  # aware, local
    zone_key: str | None  # IANA name of the local zone, e.g. "Europe/London"; None when it has none
    zone: tzinfo | None = None  # the local zone itself (for a zone without an IANA name)
    journey_id: int | None = None
    protocol_name: str | None = None
    protocol_title: str | None = None
    autologous: bool = True
    phase: str | None = None
    phase_label: str | None = None
    day: int | None = None  # as of generated_at
    day_zero: date | None = None
    day_zero_is_planned: bool = False
    admitted: date | None = None
    discharged: date | None = None
    length_of_stay_days: int | None = None
    phases: tuple[PhaseSpan, ...] = ()
    reminders: tuple[ScheduledItem, ...] = ()
    entries: tuple[Entry, ...] = ()  # latest versions, retracted ones included (marked)
    events: tuple[EventRecord, ...] = ()  # every stored event, in the order written
    courses: tuple[CourseItem, ...] = ()  # medicines taken at home
    doses: tuple[DoseItem, ...] = ()  # recorded doses, oldest first
    adherence_7d: float | None = None  # all courses, the last 7 days
    alerts: tuple[AlertNote, ...] = ()  # filled for the PDF only (the status rules cost a read of their own)

    def day_label(self, day: int | None) -> str:
        return _day_label(day, self.day_zero_is_planned)

    @property
    def live_entries(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.retracted)
