"""Patients for the caregiver's-calendar tests, and a service context whose clock a test can move."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from mstracker.domain.phases import Phase
from mstracker.services import journeys, patients, protocols
from mstracker.services.context import local_zone, open_context

NOW = datetime(2027, 6, 20, 10, 0)
PROTOCOLS = Path(__file__).resolve().parents[2] / "resources" / "protocols"


class Clock:
    def __init__(self, start: datetime = NOW) -> None:
        self.zone = local_zone()
        self.moment = start.replace(tzinfo=self.zone)

    def __call__(self) -> datetime:
        return self.moment

    def forward(self, **delta) -> None:
        self.moment += timedelta(**delta)


def context(db: Path, clock: Clock, role: str = "patient"):
    return open_context(str(db), role=role, clock=clock)


def planned_day_zero(ctx, name: str = "Anna Example", protocol: str = "cy-atg") -> int:
    """In conditioning, with Day 0 and the discharge planned ahead (the schedule hangs on both)."""
    pid = patients.add_patient(ctx, name, date(1990, 4, 2))
    journeys.start_journey(ctx, pid, protocol, date(2027, 3, 1), Phase.MOBILIZATION)
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 3, 12))
    journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 6, 15))
    journeys.plan(ctx, pid, Phase.TRANSPLANT, date(2027, 6, 21))
    journeys.plan(ctx, pid, Phase.IMMUNE_REBUILD, date(2027, 7, 6))
    return pid


def at_home(ctx, name: str = "Ben Example") -> int:
    """Discharged four days ago (2027-06-16): a fever now is urgent."""
    pid = patients.add_patient(ctx, name, date(1985, 1, 9))
    journeys.start_journey(ctx, pid, "cy-atg", date(2027, 3, 1), Phase.MOBILIZATION)
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 3, 12))
    journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 5, 25))
    journeys.advance(ctx, pid, Phase.TRANSPLANT, date(2027, 5, 31))
    journeys.advance(ctx, pid, Phase.IMMUNE_REBUILD, date(2027, 6, 16))
    return pid


def install_year_protocol(folder: Path) -> str:
    """cy-atg with a temperature check every evening for a year at home: a year of reminders."""
    text = (PROTOCOLS / "cy-atg.toml").read_text(encoding="utf-8")
    text = text.replace('name = "cy-atg"', 'name = "cy-atg-year"', 1)
    marker = 'id = "temperature"'
    head, tail = text.split(marker, 1)
    tail = tail.replace("last = 29", "last = 364", 1)
    path = folder / "cy-atg-year.toml"
    path.write_text(head + marker + tail, encoding="utf-8")
    return protocols.install_protocol(path, role="coordinator").name
