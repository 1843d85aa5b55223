"""Protocol management: a bad file is refused with its line and key; a good copy is saved and listed; every
read and write of a file runs in the runner's worker, never on the UI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from mstracker.services import protocols
from mstracker.ui.core.runner import ChangeBus
from mstracker.ui.dialogs.protocols import ProtocolsDialog


def _idle(qtbot, dialog: ProtocolsDialog) -> None:
    qtbot.waitUntil(lambda: dialog.bus.running == 0, timeout=10_000)


def _dialog(qtbot, role: str = "coordinator") -> ProtocolsDialog:
    dialog = ProtocolsDialog(role, ChangeBus())
    qtbot.addWidget(dialog)
    _idle(qtbot, dialog)  # the list is read off the UI thread
    return dialog


def _line_of(text: str, start: str) -> int:
    return next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith(start))


def test_the_list_shows_the_shipped_protocols(qtbot):
    dialog = _dialog(qtbot)
    assert dialog.names() == ["beam-atg", "cy-atg"]
    assert "shipped" in dialog.model.index(0).data()
    assert dialog.details.text().startswith("<h3>")


def test_a_bad_file_is_refused_with_line_and_key(cli, qtbot, tmp_path):
    _, text = protocols.read_protocol("cy-atg")
    bad = text.replace('name = "cy-atg"', 'name = "leeds"').replace("admission_day = -6", "admission_day = 3")
    path = tmp_path / "leeds.toml"
    path.write_text(bad, encoding="utf-8")
    dialog = _dialog(qtbot)
    dialog.import_file(path)
    _idle(qtbot, dialog)
    message = dialog.message.text()
    assert f"Line {_line_of(bad, 'admission_day')}, admission_day:" in message
    assert message.startswith("leeds.toml was not imported.")
    assert "leeds" not in dialog.names()
    assert "leeds\t" not in cli("protocol", "list").out


def test_a_good_file_is_imported_and_selected(cli, qtbot, tmp_path):
    _, text = protocols.read_protocol("cy-atg")
    path = tmp_path / "leeds.toml"
    path.write_text(text.replace('name = "cy-atg"', 'name = "leeds"'), encoding="utf-8")
    dialog = _dialog(qtbot)
    with qtbot.waitSignal(dialog.protocols_changed) as blocker:
        dialog.import_file(path)
    assert blocker.args == ["leeds"]
    assert dialog.current_entry().protocol.name == "leeds" and dialog.current_entry().own
    assert "leeds\t" in cli("protocol", "list").out


def test_copy_and_edit_shows_errors_by_line_then_saves(cli, qtbot):
    dialog = _dialog(qtbot)
    dialog.list.setCurrentIndex(dialog.model.index(dialog.names().index("cy-atg")))
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1
    assert dialog.name_edit.text() == "cy-atg-copy"
    assert 'name = "cy-atg-copy"' in dialog.editor.toPlainText()

    dialog.name_edit.setText("cy-atg-leeds")
    broken = dialog.editor.toPlainText().replace("stay_days = [10, 35]", "stay_days = [10]")
    dialog.editor.setPlainText(broken)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    line = _line_of(broken, "stay_days")
    assert dialog.editor_error.text().startswith(f"Line {line}, stay_days:")
    assert dialog.editor.textCursor().blockNumber() == line - 1  # the cursor is put on the line at fault
    assert dialog.pages.currentIndex() == 1  # still editing, nothing lost
    assert "cy-atg-leeds\t" not in cli("protocol", "list").out

    dialog.editor.setPlainText(broken.replace("stay_days = [10]", "stay_days = [12, 40]"))
    with qtbot.waitSignal(dialog.protocols_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 0
    assert "cy-atg-leeds\t" in cli("protocol", "list").out
    assert protocols.read_protocol("cy-atg-leeds")[0].stay_days == (12, 40)
    assert dialog.current_entry().protocol.name == "cy-atg-leeds"


def test_copy_under_a_name_in_use_is_refused(cli, qtbot):
    dialog = _dialog(qtbot)
    dialog.copy_current()
    dialog.name_edit.setText("cy-atg")
    assert not dialog.save_copy()
    assert "already a protocol" in dialog.editor_error.text()
    assert not (protocols.user_dir() / "cy-atg.toml").exists()


def test_a_caregiver_sees_the_list_but_no_write_action(qtbot):
    dialog = _dialog(qtbot, role="caregiver")
    assert dialog.names() == ["beam-atg", "cy-atg"]
    assert [b.text() for b in dialog.findChildren(QPushButton)] == ["Close"]
    assert dialog.pages.count() == 1


def test_the_name_field_and_the_name_line_stay_the_same(qtbot):
    dialog = _dialog(qtbot)
    dialog.list.setCurrentIndex(dialog.model.index(dialog.names().index("cy-atg")))
    dialog.copy_current()
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "leeds")
    text = dialog.editor.toPlainText()
    assert 'name = "leeds"' in text and 'name = "cy-atg-copy"' not in text
    assert 'name = "cyclophosphamide"' in text  # a drug's name further down is left alone


def _watch_threads(monkeypatch) -> list[bool]:
    """Whether each protocol file read or write ran on the UI (main) thread."""
    import threading

    on_ui: list[bool] = []
    read, write = protocols.read_text, protocols.write_private

    def reading(path):
        on_ui.append(threading.current_thread() is threading.main_thread())
        return read(path)

    def writing(target, data):
        on_ui.append(threading.current_thread() is threading.main_thread())
        return write(target, data)

    monkeypatch.setattr(protocols, "read_text", reading)
    monkeypatch.setattr(protocols, "write_private", writing)
    return on_ui


def test_the_list_import_and_save_touch_the_files_only_in_the_worker(cli, qtbot, tmp_path, monkeypatch):
    on_ui = _watch_threads(monkeypatch)
    dialog = _dialog(qtbot)
    assert dialog.names() == ["beam-atg", "cy-atg"] and on_ui and not any(on_ui)
    _, text = protocols.read_protocol("cy-atg")
    path = tmp_path / "leeds.toml"
    path.write_text(text.replace('name = "cy-atg"', 'name = "leeds"'), encoding="utf-8")
    with qtbot.waitSignal(dialog.protocols_changed, timeout=10_000):
        dialog.import_file(path)
    dialog.list.setCurrentIndex(dialog.model.index(dialog.names().index("cy-atg")))
    dialog.copy_current()
    dialog.name_edit.setText("cy-atg-york")
    del on_ui[:]
    with qtbot.waitSignal(dialog.protocols_changed, timeout=10_000) as saved:
        assert dialog.save_copy()
    assert saved.args == ["cy-atg-york"]
    assert (protocols.user_dir() / "cy-atg-york.toml").exists()
    assert on_ui and not any(on_ui)
    assert "Saved cy-atg-york" in dialog.message.text()


def test_a_failing_save_says_why_once_and_changes_nothing(cli, qtbot, monkeypatch):
    import errno

    def full(target, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(protocols, "write_private", full)
    dialog = _dialog(qtbot)
    failed: list[str] = []
    dialog.bus.failed.connect(failed.append)
    dialog.list.setCurrentIndex(dialog.model.index(dialog.names().index("cy-atg")))
    dialog.copy_current()
    dialog.name_edit.setText("cy-atg-york")
    typed = dialog.editor.toPlainText()
    assert dialog.save_copy()
    _idle(qtbot, dialog)
    target = protocols.user_dir() / "cy-atg-york.toml"
    assert failed == [f"cannot save {target}: No space left on device"]
    assert dialog.editor_error.text() == failed[0]
    assert dialog.pages.currentIndex() == 1 and dialog.editor.toPlainText() == typed  # still editing
    assert dialog.save_button.isEnabled()
    assert not target.exists() and "cy-atg-york" not in dialog.names()


def test_an_unexpected_failure_is_worded_the_one_way(cli, qtbot, monkeypatch):
    def broken(target, data):
        raise RuntimeError("disk controller reset")

    monkeypatch.setattr(protocols, "write_private", broken)
    dialog = _dialog(qtbot)
    dialog.copy_current()
    dialog.name_edit.setText("cy-atg-york")
    dialog.save_copy()
    _idle(qtbot, dialog)
    assert dialog.editor_error.text() == ("Something unexpected went wrong and nothing was changed: "
                                          "disk controller reset")
    assert not (protocols.user_dir() / "cy-atg-york.toml").exists()
