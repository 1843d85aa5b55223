"""Which patient the window shows: the list read off the UI thread, and the picker (File ▸ Open patient…)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget

from ...services import patient_list as patients
from ...services.patient_list import PatientSummary
from ..core.session import Session


def read_patients(parent: QWidget | None, session: Session,
                  arrived: Callable[[list[PatientSummary]], None]) -> None:
    """Every patient in the file (the projection only: who and where), handed to `arrived` in the UI thread."""
    ctx = session.ctx
    session.query(parent, lambda: patients.list_patients(ctx), arrived)


def ask_patient(parent: QWidget | None, items: list[PatientSummary], current: int | None) -> PatientSummary | None:
    """The patient chosen in a list of names, or None when cancelled."""
    names = [f"{p.name} (#{p.id})" for p in items]
    index = next((i for i, p in enumerate(items) if p.id == current), 0)
    name, ok = QInputDialog.getItem(parent, "Open patient", "&Patient:", names, index, False)
    return items[names.index(name)] if ok else None
