"""NEDA-3 at 1, 2 and 5 years and confirmed EDSS progression (docs/clinical-rules.md, "NEDA-3" and "EDSS progression").

Decisions the published definitions leave open:
- Day 0 is the recorded one (entering `transplant`); a planned Day 0 gives "unknown" everywhere.
- A window "N years" is Day 0 … Day 0 + N years (relativedelta), both ends included; it has closed once
  `as_of` reaches its last day (an as-of date counts to its end).
- A progression fails a window when it is confirmed within it (both its first score and the
  confirming score fall in the window), so a closed window's result never changes afterwards.
- Scores within 30 days after a counted relapse (0–30 days, by date) are left out altogether: they
  neither start, confirm nor interrupt a progression.
- With no baseline EDSS, progression cannot be judged: the window is "unknown" with `no_edss`.
- `neda_reasons` lists what failed a `not_met` window, or what is missing for an `unknown` one; it is
  empty for `met` and `pending` (and when there is no Day 0).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from ..entries import LogEntry, LogKind
from ..journey import Journey
from ..phases import Phase
from ._util import counted_relapses, mri_active, number, usable
from .settings import DEFAULT_SETTINGS, ClinicalSettings

NEDA_YEARS = (1, 2, 5)
REBASELINE_MONTHS = 5
RELAPSE_EXCLUDES_DAYS = 30
NEDA_REFERENCE: dict[str, Any] = {
    "2": 0.83,
    "5": 0.67,
    "source": "Sormani M.P. et al., Neurology 2017 (meta-analysis of aHSCT studies; NEDA pooled from the "
              "studies that reported it)",
    "text": "For comparison: about 83 % of patients had no evidence of disease activity at 2 years and "
            "67 % at 5 years (Sormani 2017).",
}


@dataclass(frozen=True)
class EdssProgression:
    confirmed: bool = False
    since: date | None = None       # the first score of the confirmed progression
    confirmed_on: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"confirmed": self.confirmed, "since": self.since.isoformat() if self.since else None}


@dataclass(frozen=True)
class Outcomes:
    neda: dict[str, str]
    neda_reasons: dict[str, list[str]]
    edss_progression: EdssProgression
    baseline_edss: float | None = None
    reference: dict[str, Any] = field(default_factory=lambda: dict(NEDA_REFERENCE))

    def to_json(self) -> dict[str, Any]:
        return {"neda": dict(self.neda),
                "neda_reasons": {k: list(v) for k, v in self.neda_reasons.items()},
                "edss_progression": self.edss_progression.to_json()}


def progression_threshold(baseline: float) -> float:
    if baseline <= 0:
        return 1.5
    if baseline <= 5.5:
        return 1.0
    return 0.5


def _spans(journey: Journey, phases: set[Phase]) -> list[tuple[date, date | None]]:
    spans = []
    for i, t in enumerate(journey.transitions):
        if t.phase in phases:
            end = journey.transitions[i + 1].on if i + 1 < len(journey.transitions) else None
            spans.append((t.on, end))
    return spans


def edss_baseline(journey: Journey, edss: list[LogEntry], day_zero: date) -> LogEntry | None:
    """The last EDSS on or before Day 0 not taken during mobilization or conditioning; else the last one."""
    before = [e for e in edss if e.at.date() <= day_zero]
    spans = _spans(journey, {Phase.MOBILIZATION, Phase.CONDITIONING})

    def during(day: date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in spans)

    calm = [e for e in before if not during(e.at.date())]
    if calm:
        return calm[-1]
    return before[-1] if before else None


def confirmed_progression(baseline: float, scores: list[tuple[date, float]],
                          confirmation_days: int) -> EdssProgression:
    """The first confirmed progression in `scores` (date order, relapse-related scores already left out)."""
    need = progression_threshold(baseline)

    def meets(score: float) -> bool:
        return score - baseline >= need - 1e-9

    for i, (start, score) in enumerate(scores):
        if not meets(score):
            continue
        for later, later_score in scores[i + 1:]:
            if not meets(later_score):
                break
            if (later - start).days >= confirmation_days:
                return EdssProgression(True, start, later)
    return EdssProgression()


def compute_outcomes(journey: Journey, entries: Iterable[LogEntry], as_of: date,
                     settings: ClinicalSettings = DEFAULT_SETTINGS) -> Outcomes:
    keys = [str(n) for n in NEDA_YEARS]
    j = journey.as_of(as_of)
    day_zero = j.entered(Phase.TRANSPLANT)
    if day_zero is None:
        return Outcomes({k: "unknown" for k in keys}, {k: [] for k in keys}, EdssProgression())

    kept = usable(entries, until_day=as_of)
    relapses = [e.at.date() for e in counted_relapses(kept)]
    edss = [e for e in kept if e.kind is LogKind.EDSS and number(e, "score") is not None]
    baseline_entry = edss_baseline(j, edss, day_zero)
    baseline = number(baseline_entry, "score") if baseline_entry is not None else None

    def relapse_related(day: date) -> bool:
        return any(timedelta(0) <= day - r <= timedelta(days=RELAPSE_EXCLUDES_DAYS) for r in relapses)

    after = [(e.at.date(), number(e, "score") or 0.0) for e in edss if e.at.date() > day_zero]
    counted_scores = [(d, s) for d, s in after if not relapse_related(d)]

    def progression_until(end: date) -> EdssProgression:
        if baseline is None:
            return EdssProgression()
        return confirmed_progression(baseline, [(d, s) for d, s in counted_scores if d <= end],
                                     settings.edss_confirmation_days)

    mris = [e for e in kept if e.kind is LogKind.MRI]
    rebaseline_from = day_zero + relativedelta(months=REBASELINE_MONTHS)
    rebaseline = next((e for e in mris if e.at.date() >= rebaseline_from), None)
    follow_mris = mris[mris.index(rebaseline) + 1:] if rebaseline is not None else []

    neda: dict[str, str] = {}
    reasons: dict[str, list[str]] = {}
    for years, key in zip(NEDA_YEARS, keys):
        end = day_zero + relativedelta(years=years)
        failed = []
        if any(day_zero <= r <= end for r in relapses):
            failed.append("relapse")
        window_mris = [e for e in follow_mris if e.at.date() <= end]
        if any(mri_active(e) for e in window_mris):
            failed.append("mri_activity")
        if progression_until(end).confirmed:
            failed.append("edss_progression")
        if failed:
            neda[key], reasons[key] = "not_met", failed
            continue
        if as_of < end:
            neda[key], reasons[key] = "pending", []
            continue
        missing = []
        if not window_mris:
            missing.append("no_mri")
        if baseline is None or not any(d <= end for d, _s in after):
            missing.append("no_edss")
        neda[key], reasons[key] = ("unknown", missing) if missing else ("met", [])
    return Outcomes(neda, reasons, progression_until(as_of), baseline)
