"""Journey ▸ Change phase or plan a date: the journey read off the UI thread, then the dialog on it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ..core.later import later
from ..core.session import Session
from ..dialogs.phase import PhaseDialog

journeys = later("mstracker.services.journeys")
protocols = later("mstracker.services.protocols")


def change_phase(parent: QWidget | None, session: Session, patient_id: int,
                 opened: Callable[[PhaseDialog], None] | None = None) -> None:
    """Opens the phase dialog on the patient's journey as it is now (and, before it has started, the protocols
    it can start with); `opened(dialog)` once it shows."""
    ctx = session.ctx

    def read():
        journey = journeys.journey_of(ctx, patient_id)
        return journey, ([] if journey.started else protocols.list_protocols())

    def arrived(found) -> None:
        journey, protocols = found
        dialog = PhaseDialog(session, patient_id, journey, parent, protocols=protocols)
        dialog.open()
        if opened is not None:
            opened(dialog)

    session.query(parent, read, arrived)
