"""The protocol-editable limits the clinical rules use; the defaults are the values docs/clinical-rules.md gives."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClinicalSettings:
    engraftment_run_length: int = 3          # consecutive measured days for engraftment
    transfusion_free_days: int = 7           # platelet-transfusion-free days, including the value's own day
    edss_confirmation_days: int = 168        # 24-week confirmed progression (some use 84)
    mobilization_days: tuple[int, int] = (5, 15)
    stay_days: tuple[int, int] = (10, 35)    # cy-atg; beam-atg ships (10, 40)
    eligibility_max_age: int = 45
    eligibility_max_edss: float = 5.5
    eligibility_max_disease_years: int = 10
    eligibility_max_age_some_centres: int = 50  # "some centres: 50" → "discuss" between the two


DEFAULT_SETTINGS = ClinicalSettings()
