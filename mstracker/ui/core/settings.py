"""The app's remembered choices (QSettings), one typed accessor per key: the role, geometry, the last view, the
last patient of each database, larger text and the first-run guide's draft. No other module names a key."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QByteArray, QSettings

from ...services.roles import Role
from .paths import settings_file

ROLE = "start/role"
LARGE_TEXT = "view/large_text"
TIMELINE_SPAN = "view/span"
INSIGHT_TAB = "view/insight_tab"
WIZARD_FIELDS = ("name", "ms_type", "protocol", "phase", "since")


class WizardDraft(NamedTuple):  # a NamedTuple, not a dataclass: this module is read before the first paint
    """What was typed into the first-run guide before it was closed ("Set up later")."""

    name: str = ""
    ms_type: int = 0
    protocol: str = ""
    phase: str = ""
    since: str = ""  # yyyy-MM-dd, or empty


class UiSettings:
    def __init__(self) -> None:
        self._s = QSettings(str(settings_file()), QSettings.Format.IniFormat)

    def _set(self, key: str, value) -> None:
        current = self._s.value(key)
        if current is not None and (current == value or (isinstance(value, int | str) and str(current) == str(value))):
            return  # unchanged: no file written (the last patient is "set" at every start)
        self._s.setValue(key, value)
        self._s.sync()

    def _int(self, key: str) -> int | None:
        value = self._s.value(key)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    # ---- who opens the app ---------------------------------------------------------------------
    def role(self) -> Role | None:
        """The role chosen once and remembered; None when none was chosen (or the setting is stale)."""
        value = self._s.value(ROLE)
        return Role.parse(str(value)) if value is not None else None

    def set_role(self, role: Role | str) -> None:
        self._set(ROLE, str(role))

    # ---- how it looks ----------------------------------------------------------------------------
    def large_text(self) -> bool:
        return str(self._s.value(LARGE_TEXT, "false")).lower() == "true"

    def set_large_text(self, on: bool) -> None:
        self._set(LARGE_TEXT, "true" if on else "false")

    def timeline_span(self) -> int | None:
        """The timeline's zoom in days, when the user chose one."""
        return self._int(TIMELINE_SPAN)

    def set_timeline_span(self, days: int) -> None:
        self._set(TIMELINE_SPAN, days)

    def insight_tab(self) -> int | None:
        return self._int(INSIGHT_TAB)

    def set_insight_tab(self, index: int) -> None:
        self._set(INSIGHT_TAB, index)

    def geometry(self, name: str) -> QByteArray | None:
        value = self._s.value(f"geometry/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, data: QByteArray) -> None:
        self._set(f"geometry/{name}", data)

    # ---- where the user was ----------------------------------------------------------------------
    def last_patient(self, db_key: str) -> int | None:
        return self._int(f"patients/{_key(db_key)}")

    def set_last_patient(self, db_key: str, patient_id: int) -> None:
        self._set(f"patients/{_key(db_key)}", patient_id)

    def wizard_draft(self) -> WizardDraft:
        values = {name: str(self._s.value(f"wizard/{name}", "") or "") for name in WIZARD_FIELDS}
        try:
            ms_type = int(values.pop("ms_type") or 0)
        except ValueError:
            ms_type = 0
        return WizardDraft(ms_type=ms_type, **values)

    def set_wizard_draft(self, draft: WizardDraft) -> None:
        for name, value in draft._asdict().items():
            self._s.setValue(f"wizard/{name}", value)
        self._s.sync()


def _key(text: str) -> str:
    # QSettings keys treat / and \ specially: keep the database's identity readable but flat.
    return "".join(c if c.isalnum() else "_" for c in text)[-120:]
