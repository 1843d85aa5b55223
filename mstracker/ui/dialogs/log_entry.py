"""Logging one entry of any kind, or correcting one: the right inputs, units shown, the time defaulting to now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ...domain.entries import KINDS, LogEntry, LogKind, check_complete, validate_fields
from ...domain.errors import UserError
from ..core.date_input import DateTimeInput
from ..core.field_inputs import FieldInput
from ..core.later import later
from ..core.runner import Changes
from ..core.screen_fit import FitsScreen
from ..core.session import Session
from ..core.undo import Undo
from ..core.words import LOG_KIND_WORDS, describe_fields

logbook = later("mstracker.services.logbook")

CHANGES = Changes(log=True, patient=True)


class InlineError(QLabel):
    """A refusal shown inside the dialog, as it is, next to what the user typed."""

    def __init__(self) -> None:
        super().__init__("")
        self.setObjectName("inlineError")
        self.setWordWrap(True)
        self.setAccessibleName("Problem")
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setAccessibleDescription(message)
        self.show()


class LogDialog(FitsScreen, QDialog):
    def __init__(self, session: Session, patient_id: int, kind: LogKind, entry: LogEntry | None = None,
                 gvhd_allowed: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.patient_id, self.kind, self.entry = session, patient_id, kind, entry
        self.setObjectName("logDialog")
        what = LOG_KIND_WORDS[kind]
        self.setWindowTitle(f"Correct: {what}" if entry else f"Log: {what}")
        self.setAccessibleName(self.windowTitle())
        spec = KINDS[kind]
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.when = DateTimeInput()
        self.when.setObjectName("field_at")
        moment = entry.at.replace(tzinfo=None) if entry else session.ctx.now().replace(tzinfo=None, second=0,
                                                                                      microsecond=0)
        self.when.setDateTime(QDateTime(moment))
        self.when.setAccessibleName("When")
        when_label = QLabel("&When:")
        when_label.setBuddy(self.when)
        form.addRow(when_label, self.when)
        self.inputs: dict[str, FieldInput] = {}
        for fspec in spec.fields:
            field_input = FieldInput(kind, fspec, fspec.name in spec.required, gvhd_allowed)
            label = QLabel(f"{field_input.label_text}:")
            label.setBuddy(field_input.input)
            form.addRow(label, field_input.widget)
            self.inputs[fspec.name] = field_input
            if entry and fspec.name in entry.fields:
                field_input.set_value(entry.fields[fspec.name])
        self.error = InlineError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel("At least one value." if spec.at_least_one else "")
        hint.setVisible(spec.at_least_one)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        first = next(iter(self.inputs.values()), None)
        if first is not None:
            first.input.setFocus()

    # ---- what was typed -------------------------------------------------------------------------------
    def raw_fields(self) -> dict[str, str]:
        return {name: value for name, field_input in self.inputs.items()
                if (value := field_input.value()) is not None}

    def moment(self) -> datetime:
        return self.when.value_moment("When")

    # ---- saving -------------------------------------------------------------------------------------------
    def save(self) -> None:
        fields = self.raw_fields()
        try:  # the domain's own checks, before anything is sent: a refusal shows at once, as it is
            self.moment()
            values = validate_fields(self.kind, fields, partial=self.entry is not None)
            if self.entry is not None:
                check_complete(self.kind, {**self.entry.fields, **values})
        except UserError as exc:
            self.error.show_message(str(exc))
            return
        self.buttons.setEnabled(False)
        if self.entry is None:
            self._log(fields)
        else:
            self._amend(fields, values)

    def _failed(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.error.show_message(message)

    def _log(self, fields: dict[str, str]) -> None:
        ctx, pid, kind, at = self.session.ctx, self.patient_id, self.kind, self.moment()
        label = f"log {LOG_KIND_WORDS[kind].lower()}"
        self.session.op(
            self, lambda: logbook.log(ctx, pid, kind, at, fields), CHANGES,
            undo=lambda entry_id: Undo(label, logbook.undo_log, (entry_id,)),
            on_success=lambda _id: self.accept(), on_failure=self._failed)

    def _amend(self, fields: dict[str, str], values: dict[str, Any]) -> None:
        entry = self.entry
        assert entry is not None
        ctx = self.session.ctx
        changed = {k: fields[k] for k, v in values.items() if entry.fields.get(k) != v}
        old_at = entry.at.replace(tzinfo=None)
        new_at = self.moment() if self.moment() != old_at else None
        if not changed and new_at is None:
            self.accept()
            return

        def undo(_result) -> Undo | None:
            if not logbook.amend_undoable(entry, changed):  # a pure check of the entry as it was: no database
                return None
            # Says what the entry is again: the history still marks it corrected (two corrections now).
            said = f"Correction undone: {summary(entry)}, as before."
            return Undo(f"correct {LOG_KIND_WORDS[entry.kind].lower()}", logbook.undo_amend,
                        (entry, new_at, tuple(changed)), said)

        self.session.op(self, lambda: logbook.amend(ctx, entry.entry_id, new_at, changed), CHANGES,
                        undo=undo, on_success=lambda _e: self.accept(), on_failure=self._failed)


def summary(entry: LogEntry) -> str:
    return f"{LOG_KIND_WORDS[entry.kind]} on {entry.at:%a %d %b %Y, %H:%M}: {describe_fields(entry.kind, entry.fields)}"

