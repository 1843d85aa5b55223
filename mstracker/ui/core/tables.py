"""How the app's lists of rows are set up: a row is chosen whole, one at a time, never edited in place, with no
row numbers, named for the screen reader, and one stop on the keyboard's Tab round (`table_keys`)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

from .table_keys import one_tab_stop


def row_table(model: QAbstractItemModel, name: str, *, object_name: str = "", description: str = "") -> QTableView:
    view = one_tab_stop(QTableView())
    if object_name:
        view.setObjectName(object_name)
    view.setModel(model)
    view.setAccessibleName(name)
    if description:
        view.setAccessibleDescription(description)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    return view
