"""Tables are one stop on the keyboard's round: Tab and Shift+Tab leave them, the arrows move inside.

Qt's default (`tabKeyNavigation`) moves Tab from cell to cell, so a table traps the keyboard, and Shift+Tab
arriving from below moves the selection to the last row: Done or Snooze then act on a row nobody chose.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView


def one_tab_stop(view: QAbstractItemView) -> QAbstractItemView:
    view.setTabKeyNavigation(False)
    return view
