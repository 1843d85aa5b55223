"""One input widget per log field, chosen from the field's spec: spin boxes for ranges, lists for choices."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ...domain.entries import SIDE_EFFECTS, FieldSpec, LogKind
from .words import PRODUCT_WORDS

WHOLE = {"severity", "grade", "new_t2", "gd_enhancing"}
EDSS_STEPS = [f"{x / 2:g}" for x in range(0, 21)]


class FieldInput:
    """A field's widget with `value()` (raw text for the domain to check, or None when left empty)."""

    def __init__(self, kind: LogKind, spec: FieldSpec, required: bool, gvhd_allowed: bool = False) -> None:
        self.spec = spec
        self.required = required
        self.widget = self._make(kind, spec, gvhd_allowed)
        label = (spec.label or spec.name)
        self.label_text = label[:1].upper() + label[1:] + ("" if required else " (optional)")
        self.input.setObjectName(f"field_{spec.name}")
        self.input.setAccessibleName(label)
        self.input.setAccessibleDescription(self._description())

    def _description(self) -> str:
        spec = self.spec
        parts = []
        if spec.low is not None and spec.high is not None:
            parts.append(f"from {spec.low:g} to {spec.high:g}")
        if spec.unit:
            parts.append(f"in {spec.unit}")
        if not self.required:
            parts.append("optional")
        return ", ".join(parts)

    def _make(self, kind: LogKind, spec: FieldSpec, gvhd_allowed: bool) -> QWidget:
        name = spec.name
        if kind is LogKind.TEMPERATURE:
            box = QDoubleSpinBox()
            box.setRange(spec.low or 34.0, spec.high or 43.0)
            box.setDecimals(1)
            box.setSingleStep(0.1)
            box.setValue(37.0)
            box.setSuffix(" °C")
            self.input = box
        elif name in WHOLE:
            box = QSpinBox()
            box.setRange(int(spec.low or 0), int(spec.high or 10))
            if name == "grade":
                box.setValue(1)
            self.input = box
        elif name == "score":
            combo = QComboBox()
            combo.addItem("choose a score", None)
            for step in EDSS_STEPS:
                combo.addItem(step, step)
            self.input = combo
        elif spec.choices:
            combo = QComboBox()
            if not self.required:
                combo.addItem("not known yet", None)
            for choice in spec.choices:
                if choice == "gvhd" and not gvhd_allowed:
                    continue
                words = SIDE_EFFECTS.get(choice) if name == "name" else PRODUCT_WORDS.get(choice, choice)
                combo.addItem(words or choice, choice)
            self.input = combo
        elif name == "text":
            self.input = QPlainTextEdit()
            self.input.setTabChangesFocus(True)
            self.input.setFixedHeight(self.input.fontMetrics().height() * 5)
        else:
            edit = QLineEdit()
            if spec.low is not None and spec.high is not None:
                edit.setPlaceholderText(f"{spec.low:g}–{spec.high:g}")
            self.input = edit
        if not spec.unit or kind is LogKind.TEMPERATURE or name == "score":
            return self.input
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.input, 1)
        unit = QLabel(spec.unit)
        unit.setObjectName("unit")
        layout.addWidget(unit)
        return row

    def value(self) -> str | None:
        widget = self.input
        if isinstance(widget, QDoubleSpinBox):
            return f"{widget.value():.1f}"
        if isinstance(widget, QSpinBox):
            return str(widget.value())
        if isinstance(widget, QComboBox):
            data = widget.currentData()
            return None if data is None else str(data)
        if isinstance(widget, QPlainTextEdit):
            text = widget.toPlainText().strip()
            return text or None
        text = widget.text().strip().replace(",", ".") if self.spec.name not in ("name", "note") else widget.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        widget = self.input
        if isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(f"{value:g}" if isinstance(value, float) else str(value))
            if index >= 0:
                widget.setCurrentIndex(index)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        else:
            widget.setText(f"{value:g}" if isinstance(value, float) else str(value))
