"""Protocol management: a bad file is refused with its line and key; a good copy is saved and listed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from mstracker.services import protocols
from mstracker.ui.dialogs.protocols import ProtocolsDialog


def _dialog(qtbot, role: str = "coordinator") -> ProtocolsDialog:
    dialog = ProtocolsDialog(role)
    qtbot.addWidget(dialog)
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
    assert not dialog.import_file(path)
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
        assert dialog.import_file(path)
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
