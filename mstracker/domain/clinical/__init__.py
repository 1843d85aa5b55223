"""Derived clinical figures (docs/clinical-rules.md, with their sources): engraftment, alerts, outcomes, eligibility.

Pure functions: no I/O and no clock — "now" / "as of" is always passed in.
"""

from ._util import mri_active, number
from .alerts import Alert, ReminderView, compute_alerts
from .eligibility import ELIGIBILITY_DISCLAIMER, EligibilityItem, check_eligibility
from .engraftment import Engraftment, compute_engraftment
from .outcomes import NEDA_REFERENCE, Outcomes, compute_outcomes
from .settings import DEFAULT_SETTINGS, ClinicalSettings

__all__ = [
    "mri_active",
    "number",
    "Alert",
    "ClinicalSettings",
    "DEFAULT_SETTINGS",
    "ELIGIBILITY_DISCLAIMER",
    "EligibilityItem",
    "Engraftment",
    "NEDA_REFERENCE",
    "Outcomes",
    "ReminderView",
    "check_eligibility",
    "compute_alerts",
    "compute_engraftment",
    "compute_outcomes",
]
