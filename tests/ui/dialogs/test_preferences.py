"""Preferences names the database file in use (`--db`), not the default data folder."""

from __future__ import annotations

import os

from mstracker.services.places import data_dir


def test_preferences_names_the_file_in_use(qtbot, window_for, tmp_path, in_hospital, db_path):
    window = window_for(db_path)
    window.preferences()
    dialog = window.prefs_dialog
    qtbot.waitExposed(dialog)
    assert dialog.database.text() == os.path.realpath(db_path)
    assert str(data_dir()) not in dialog.database.text()
    assert dialog.folder.text() == str(data_dir())
    dialog.reject()
