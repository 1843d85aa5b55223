"""Neutrophil and platelet engraftment, the registry (CIBMTR/EBMT) way (docs/clinical-rules.md, "Engraftment").

- One value per local calendar day: the lowest of that day.
- Counting starts at the nadir: the first day on or after Day 0 with a value below the threshold (for
  platelets also a platelet transfusion on or after Day 0).
- Engraftment is the first of `engraftment_run_length` consecutive *measured* days at or above the
  threshold. A day without a value does not break the run; a value below the threshold restarts it.
- Platelets must be unsupported: no platelet transfusion on the value's own day or the
  `transfusion_free_days - 1` days before it. A supported value, or a platelet transfusion itself,
  restarts the run (the patient needed platelets, so the count is not yet self-sustained).
- No platelet nadir: no engraftment date; `platelet_never_low` is set once Day 0 is known and at least
  `engraftment_run_length` days on or after Day 0 have a platelet value (all ≥ 20 by then), so a lone
  early value does not already claim "platelets never fell below 20".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..entries import LogEntry, LogKind
from ._util import number, usable
from .settings import DEFAULT_SETTINGS, ClinicalSettings

ANC_THRESHOLD = 0.5        # ×10⁹/L
PLATELET_THRESHOLD = 20.0  # ×10⁹/L


@dataclass(frozen=True)
class Engraftment:
    neutrophil: date | None = None
    platelet: date | None = None
    platelet_never_low: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "neutrophil": self.neutrophil.isoformat() if self.neutrophil else None,
            "platelet": self.platelet.isoformat() if self.platelet else None,
        }
        if self.platelet_never_low:
            data["platelet_never_low"] = True
        return data


def daily_lowest(entries: Iterable[LogEntry], name: str) -> dict[date, float]:
    """The lowest `name` lab value of each local day."""
    lowest: dict[date, float] = {}
    for entry in entries:
        if entry.kind is not LogKind.LAB:
            continue
        value = number(entry, name)
        if value is None:
            continue
        day = entry.at.date()
        lowest[day] = min(value, lowest.get(day, value))
    return lowest


def platelet_transfusion_days(entries: Iterable[LogEntry]) -> set[date]:
    return {e.at.date() for e in entries
            if e.kind is LogKind.TRANSFUSION and e.fields.get("product") == "platelets"}


def _first_run(values: dict[date, float], start: date, threshold: float, run_length: int,
               resets: set[date], supported: Callable[[date], bool]) -> date | None:
    run: list[date] = []
    for day in sorted({d for d in values if d >= start} | {d for d in resets if d >= start}):
        if day in resets:
            run = []
        if day not in values:
            continue
        if values[day] >= threshold and not supported(day):
            run.append(day)
            if len(run) >= run_length:
                return run[0]
        else:
            run = []
    return None


def compute_engraftment(entries: Iterable[LogEntry], day_zero: date | None,
                        settings: ClinicalSettings = DEFAULT_SETTINGS, *,
                        as_of: datetime | None = None) -> Engraftment:
    """Engraftment dates from the log. `as_of` (aware) ignores entries dated later; retracted ones never count."""
    if day_zero is None:
        return Engraftment()
    kept = usable(entries, until=as_of)
    run = max(1, settings.engraftment_run_length)

    anc = daily_lowest(kept, "anc")
    anc_nadir = min((d for d, v in anc.items() if d >= day_zero and v < ANC_THRESHOLD), default=None)
    neutrophil = None
    if anc_nadir is not None:
        neutrophil = _first_run(anc, anc_nadir, ANC_THRESHOLD, run, set(), lambda _d: False)

    plt = daily_lowest(kept, "platelets")
    transfused = platelet_transfusion_days(kept)
    window = max(1, settings.transfusion_free_days) - 1  # days before the value's own day

    def supported(day: date) -> bool:
        return any(day - timedelta(days=window) <= t <= day for t in transfused)

    candidates = [d for d, v in plt.items() if d >= day_zero and v < PLATELET_THRESHOLD]
    candidates += [t for t in transfused if t >= day_zero]
    plt_nadir = min(candidates, default=None)
    if plt_nadir is None:
        measured_after = sum(1 for d in plt if d >= day_zero)
        return Engraftment(neutrophil, None, platelet_never_low=measured_after >= run)
    platelet = _first_run(plt, plt_nadir, PLATELET_THRESHOLD, run, transfused, supported)
    return Engraftment(neutrophil, platelet, False)
