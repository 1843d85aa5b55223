"""The app's remembered choices (QSettings): geometry, last view, last patient, larger text."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from .paths import settings_file


class UiSettings:
    def __init__(self) -> None:
        self._s = QSettings(str(settings_file()), QSettings.Format.IniFormat)

    # ---- generic -----------------------------------------------------------------------------
    def value(self, key: str, default=None):
        return self._s.value(key, default)

    def set(self, key: str, value) -> None:
        self._s.setValue(key, value)
        self._s.sync()

    # ---- typed helpers ---------------------------------------------------------------------------
    def large_text(self) -> bool:
        return str(self._s.value("view/large_text", "false")).lower() == "true"

    def set_large_text(self, on: bool) -> None:
        self.set("view/large_text", "true" if on else "false")

    def last_patient(self, db_key: str) -> int | None:
        value = self._s.value(f"patients/{_key(db_key)}")
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def set_last_patient(self, db_key: str, patient_id: int) -> None:
        self.set(f"patients/{_key(db_key)}", patient_id)

    def geometry(self, name: str) -> QByteArray | None:
        value = self._s.value(f"geometry/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, data: QByteArray) -> None:
        self.set(f"geometry/{name}", data)


def _key(text: str) -> str:
    # QSettings keys treat / and \ specially: keep the database's identity readable but flat.
    return "".join(c if c.isalnum() else "_" for c in text)[-120:]
