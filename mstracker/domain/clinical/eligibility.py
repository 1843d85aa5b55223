"""The informational eligibility checklist (docs/clinical-rules.md; ECTRIMS–EBMT 2025, National MS Society 2021).

Decisions the published criteria leave open:
- Age: under `eligibility_max_age` met; from there to under `eligibility_max_age_some_centres` (50)
  "discuss" (some centres accept up to 50); older not met.
- CIS: "discuss" (not yet a diagnosis of MS); progressive MS with relapses or MRI activity in the
  previous 12 months "discuss", without "not_met", and "unknown" when no MRI of that year is logged.
- EDSS: the latest score. Above the limit it is "discuss" when a counted relapse came in the 90 days
  before that score ("higher only when due to a recent relapse").
- Disease activity: "met" with a counted relapse or an active MRI in the 12 months up to `today`;
  "not_met" when an MRI of those months shows no activity and no relapse is logged; else "unknown".
- The seed article's stricter reading is the last item, with `note=True`: it is not a criterion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from ..entries import LogEntry, LogKind
from ._util import counted_relapses, fmt_num, mri_active, number, usable
from .settings import DEFAULT_SETTINGS, ClinicalSettings

Status = Literal["met", "not_met", "unknown", "discuss"]
RECENT_RELAPSE_DAYS = 90
ELIGIBILITY_DISCLAIMER = (
    "This checklist informs a conversation with your MS specialist; it decides nothing. "
    "Eligibility for aHSCT is decided by your MS and transplant teams together "
    "(after the ECTRIMS–EBMT 2025 consensus and the National MS Society 2021 recommendations)."
)


@dataclass(frozen=True)
class EligibilityItem:
    key: str
    label: str
    status: Status
    detail: str
    note: bool = False  # shown as a note, not a criterion

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "status": self.status, "detail": self.detail,
                "note": self.note}


def _years(since: date, today: date) -> int:
    return relativedelta(today, since).years


def check_eligibility(born: date | None, diagnosed: date | None, ms_type: str | None,
                      entries: Iterable[LogEntry], today: date,
                      settings: ClinicalSettings = DEFAULT_SETTINGS) -> list[EligibilityItem]:
    kept = usable(entries, until_day=today)
    year_ago = today - relativedelta(months=12)
    relapses = counted_relapses(kept)
    year_relapses = [e for e in relapses if e.at.date() > year_ago]
    year_mris = [e for e in kept if e.kind is LogKind.MRI and e.at.date() > year_ago]
    active_mris = [e for e in year_mris if mri_active(e)]
    inflammatory = bool(year_relapses or active_mris)
    items: list[EligibilityItem] = []

    # -- MS type
    label = "Relapsing MS"
    kind = (ms_type or "").lower() or None
    if kind is None:
        items.append(EligibilityItem("ms_type", label, "unknown", "The type of MS is not recorded."))
    elif kind == "rrms":
        items.append(EligibilityItem("ms_type", label, "met", "Relapsing-remitting MS."))
    elif kind == "cis":
        items.append(EligibilityItem("ms_type", label, "discuss",
                                     "Clinically isolated syndrome is not yet a diagnosis of MS: discuss with your "
                                     "MS specialist."))
    elif kind in ("spms", "ppms"):
        if inflammatory:
            items.append(EligibilityItem("ms_type", label, "discuss",
                                         f"Progressive MS ({kind}) with inflammatory activity in the last 12 months: "
                                         "discuss with your MS specialist."))
        elif year_mris:
            items.append(EligibilityItem("ms_type", label, "not_met",
                                         f"Progressive MS ({kind}) without relapses or MRI activity in the last "
                                         "12 months."))
        else:
            items.append(EligibilityItem("ms_type", label, "unknown",
                                         f"Progressive MS ({kind}): no MRI of the last 12 months is logged to show "
                                         "whether there is inflammatory activity."))
    else:
        items.append(EligibilityItem("ms_type", label, "unknown", f"Unknown MS type {ms_type!r}."))

    # -- age
    max_age, some = settings.eligibility_max_age, settings.eligibility_max_age_some_centres
    label = f"Age under {max_age}"
    if born is None:
        items.append(EligibilityItem("age", label, "unknown", "The date of birth is not recorded."))
    else:
        age = _years(born, today)
        if age < max_age:
            items.append(EligibilityItem("age", label, "met", f"Age {age}."))
        elif age < some:
            items.append(EligibilityItem("age", label, "discuss",
                                         f"Age {age}: some centres accept patients up to {some}; discuss with your "
                                         "MS specialist."))
        else:
            items.append(EligibilityItem("age", label, "not_met", f"Age {age}."))

    # -- EDSS
    max_edss = settings.eligibility_max_edss
    label = f"EDSS {fmt_num(max_edss)} or lower"
    scores = [e for e in kept if e.kind is LogKind.EDSS and number(e, "score") is not None]
    if not scores:
        items.append(EligibilityItem("edss", label, "unknown", "No EDSS score is logged."))
    else:
        last = scores[-1]
        score = number(last, "score") or 0.0
        when = last.at.date()
        if score <= max_edss:
            items.append(EligibilityItem("edss", label, "met", f"EDSS {fmt_num(score)} on {when.isoformat()}."))
        elif any(timedelta(0) <= when - r.at.date() <= timedelta(days=RECENT_RELAPSE_DAYS) for r in relapses):
            items.append(EligibilityItem("edss", label, "discuss",
                                         f"EDSS {fmt_num(score)} on {when.isoformat()}, soon after a relapse: a higher "
                                         "score due to a recent relapse can be accepted; discuss with your MS "
                                         "specialist."))
        else:
            items.append(EligibilityItem("edss", label, "not_met", f"EDSS {fmt_num(score)} on {when.isoformat()}."))

    # -- disease duration
    max_years = settings.eligibility_max_disease_years
    label = f"MS for less than {max_years} years"
    if diagnosed is None:
        items.append(EligibilityItem("disease_duration", label, "unknown", "The date of diagnosis is not recorded."))
    else:
        years = _years(diagnosed, today)
        status: Status = "met" if years < max_years else "not_met"
        items.append(EligibilityItem("disease_duration", label, status,
                                     f"Diagnosed on {diagnosed.isoformat()} ({years} full years)."))

    # -- disease activity
    label = "Disease activity despite disease-modifying therapy in the previous 12 months"
    ask = " Ask whether it happened while on a disease-modifying therapy."
    if inflammatory:
        parts = []
        if year_relapses:
            parts.append(f"{len(year_relapses)} relapse(s)")
        if active_mris:
            parts.append(f"{len(active_mris)} MRI(s) with new or enhancing lesions")
        items.append(EligibilityItem("disease_activity", label, "met",
                                     "In the last 12 months: " + " and ".join(parts) + "." + ask))
    elif year_mris:
        items.append(EligibilityItem("disease_activity", label, "not_met",
                                     "No relapse logged and no new or enhancing lesions on the MRI of the last "
                                     "12 months."))
    else:
        items.append(EligibilityItem("disease_activity", label, "unknown",
                                     "No relapse and no MRI of the last 12 months are logged."))

    # -- the seed article's stricter reading, as a note
    label = "Stricter reading (seed article): at least two relapses in the year, with MRI activity"
    if len(year_relapses) >= 2 and active_mris:
        strict: Status = "met"
    elif not year_relapses and not year_mris:
        strict = "unknown"
    else:
        strict = "not_met"
    items.append(EligibilityItem("strict_reading", label, strict,
                                 f"{len(year_relapses)} relapse(s) and {len(active_mris)} active MRI(s) in the last "
                                 "12 months. Shown as a note, not as the rule.", note=True))
    return items
