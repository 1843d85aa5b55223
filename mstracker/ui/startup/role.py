"""Which role the app opens in: the one given on the command line, else the one chosen once and remembered.

The question is asked only when no role was given and the database holds more than one patient (one
person alone on their own computer is the patient; no need to ask them).
"""

from __future__ import annotations

from collections.abc import Callable

from ...services.roles import Role
from ..core.settings import UiSettings


def decide_role(requested: str, explicit: bool, settings: UiSettings, patient_count: int,
                ask: Callable[..., str | None] | None = None) -> str:
    """`ask(parent, default=...)` is dialogs.role.choose_role; a cancelled choice opens in `requested`
    without remembering it, so the question comes again next time."""
    if explicit:
        return requested
    known = settings.role()
    if known is not None:
        return known
    if patient_count <= 1:
        return requested
    if ask is None:
        from ..dialogs.role import choose_role as ask
    chosen = ask(None, default=requested)
    if chosen is None:
        return requested
    settings.set_role(chosen)
    return Role(chosen)
