"""Settings are written only when they change: the last patient is "set" at every start, and a file written at
every start is time on the UI thread (and wear on the disk) for nothing."""

from __future__ import annotations

import os

from mstracker.ui.core.paths import settings_file
from mstracker.ui.core.settings import UiSettings


def test_an_unchanged_setting_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    settings = UiSettings()
    settings.set_last_patient("/data/a.sqlite3", 3)
    path = settings_file()
    os.utime(path, (1_000_000_000, 1_000_000_000))
    settings.set_last_patient("/data/a.sqlite3", 3)
    UiSettings().set_last_patient("/data/a.sqlite3", 3)  # as the next start reads it back: text, not a number
    assert path.stat().st_mtime == 1_000_000_000
    settings.set_last_patient("/data/a.sqlite3", 4)
    assert path.stat().st_mtime != 1_000_000_000
    assert UiSettings().last_patient("/data/a.sqlite3") == 4
