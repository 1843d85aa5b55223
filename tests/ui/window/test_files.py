"""Export, print preview, the audit trail, backups and restore from the File and View menus."""

from __future__ import annotations

import csv
import json

from PySide6.QtWidgets import QFileDialog, QInputDialog

from mstracker.ui.operations import export as export_actions
from mstracker.ui.operations.export import FORMATS


def _choose(monkeypatch, fmt: str, path) -> None:
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (FORMATS[fmt], True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(path))


def _idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.session.bus.running == 0, timeout=20_000)


def test_export_the_current_patient_to_json(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("patient")
    window.open_patient(1)
    out = tmp_path / "ana.json"
    _choose(monkeypatch, "json", out)
    window.export_action.trigger()  # File ▸ Export… (Ctrl+E)
    _idle(qtbot, window)
    data = json.loads(out.read_text())
    assert data["format"] == "mstracker-export" and data["patient"]["name"] == "Ana Silva"
    assert any(e["kind"] == "temperature" for e in data["events"])
    assert "Exported to" in window.statusBar().currentMessage()


def test_export_the_current_patient_to_pdf(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("patient")
    window.open_patient(1)
    out = tmp_path / "ana.pdf"
    _choose(monkeypatch, "pdf", out)
    window.export_action.trigger()
    _idle(qtbot, window)
    content = out.read_bytes()
    assert content.startswith(b"%PDF") and b"%%EOF" in content[-1024:]


def test_export_all_patients_with_progress(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("coordinator")
    folder = tmp_path / "all"
    _choose(monkeypatch, "csv", folder)
    window.export_all_action.trigger()
    dialog = window.export_progress
    steps: list[tuple[int, int]] = []
    dialog.findChild(export_actions._Progress).step.connect(lambda d, t: steps.append((d, t)))
    _idle(qtbot, window)
    qtbot.waitUntil(lambda: len(steps) == 2, timeout=10_000)
    assert steps == [(1, 2), (2, 2)]
    assert sorted(p.name for p in folder.iterdir()) == ["1-Ana_Silva.csv", "2-Ben_Okafor.csv"]
    assert not dialog.isVisible()
    assert "2 files written" in dialog.summary.text()
    dialog.summary.close()


def test_print_preview_shows_the_pdf_timeline(qtbot, open_window):
    window = open_window("patient")
    window.open_patient(1)
    window.print_action.trigger()  # File ▸ Print preview… (Ctrl+P): rendered off the UI thread
    qtbot.waitUntil(lambda: window.pdf_preview is not None, timeout=20_000)
    preview = window.pdf_preview
    assert preview.isVisible() and preview.page_count() >= 1
    assert preview.windowTitle() == "Print preview — Timeline — Ana Silva"
    preview.close()


def test_audit_trail_lists_a_logged_entry_and_exports_csv(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("patient")
    window.open_patient(1)
    window.audit_action.trigger()  # View ▸ Audit trail… (Ctrl+Shift+U)
    dialog = window.audit_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=10_000)
    rows = dialog.model.rows
    fever = [r for r in rows if r["action"] == "temperature"]
    assert fever and fever[0]["user"] == "tester" and fever[0]["role"] == "patient"
    assert "38.6" in fever[0]["detail"]
    assert {r["patient"] for r in rows} == {1}
    model = dialog.model
    assert model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "When"
    out = tmp_path / "audit.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dialog.export_button.click()
    with open(out, newline="", encoding="utf-8") as f:
        written = list(csv.DictReader(f))
    assert len(written) == len(rows) and written[0].keys() == {"at", "user", "role", "action", "patient", "detail"}
    dialog.close()


def test_back_up_now_and_restore_it(qtbot, open_window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from mstracker.services import logbook, maintenance

    window = open_window("patient")
    window.open_patient(1)
    out = tmp_path / "copy.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.backup_action.trigger()
    _idle(qtbot, window)
    assert out.exists() and "Backed up to" in window.statusBar().currentMessage()
    # A backup in the backups folder, then a new entry, then put that backup back.
    ctx = window.ctx
    taken = ctx.db.automatic_backup("test", at=ctx.now(), zone=ctx.zone)
    count = len(logbook.history(window.ctx, 1))
    window.quick_temp.setValue(37.9)
    window.log_quick_temperature()
    _idle(qtbot, window)
    assert len(logbook.history(window.ctx, 1)) == count + 1
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda _p, _t, _l, items, *a, **k: (next(i for i in items if taken.name in i), True))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: window.restored_from is not None, timeout=10_000)
    _idle(qtbot, window)
    assert "saved in the backups folder first" in asked[0]
    assert len(logbook.history(window.ctx, 1)) == count
    assert "previous file was kept" in window.statusBar().currentMessage()
    before_restore = [b for b in maintenance.list_backups(window.ctx) if b.reason == "before-restore"]
    assert len(before_restore) == 1


def test_export_all_patients_as_pdf_through_the_child_process(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("coordinator")
    folder = tmp_path / "pdfs"
    _choose(monkeypatch, "pdf", folder)
    window.export_all_action.trigger()
    steps: list[tuple[int, int]] = []
    window.export_progress.findChild(export_actions._Progress).step.connect(lambda d, t: steps.append((d, t)))
    qtbot.waitUntil(lambda: window.session.bus.running == 0, timeout=60_000)
    assert steps == [(1, 2), (2, 2)]
    files = sorted(folder.iterdir())
    assert [p.name for p in files] == ["1-Ana_Silva.pdf", "2-Ben_Okafor.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in files)
    window.export_progress.summary.close()


def test_export_from_the_dashboard_takes_the_selected_patient(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("coordinator")
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=10_000)
    assert window.dashboard.select_patient(2)
    out = tmp_path / "ben.json"
    _choose(monkeypatch, "json", out)
    window.export_action.trigger()
    _idle(qtbot, window)
    assert json.loads(out.read_text())["patient"]["name"] == "Ben Okafor"
