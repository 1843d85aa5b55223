"""Which role the app opens in: the one given on the command line, else the one chosen once and remembered.

The question is asked only when no role was given and the database holds more than one patient (one
person alone on their own computer is the patient; no need to ask them).
"""

from __future__ import annotations

from collections.abc import Callable

from ...services.places import ROLES
from ..core.settings import UiSettings

KEY = "start/role"


def remembered_role(settings: UiSettings) -> str | None:
    value = settings.value(KEY)
    return value if value in ROLES else None


def remember_role(settings: UiSettings, role: str) -> None:
    settings.set(KEY, role)


def decide_role(requested: str, explicit: bool, settings: UiSettings, patient_count: int,
                ask: Callable[..., str | None] | None = None) -> str:
    """`ask(parent, default=...)` is role_dialog.choose_role; a cancelled choice opens in `requested`
    without remembering it, so the question comes again next time."""
    if explicit:
        return requested
    known = remembered_role(settings)
    if known is not None:
        return known
    if patient_count <= 1:
        return requested
    if ask is None:
        from ..dialogs.role import choose_role as ask
    chosen = ask(None, default=requested)
    if chosen is None:
        return requested
    remember_role(settings, chosen)
    return chosen
