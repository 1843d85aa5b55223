"""The Tab round in the order a reader sees things, not the order they were made in.

Qt's Tab round follows the order widgets joined the window: a part made later (the alerts once the status
arrives, today's doses, a tab's panel made when first shown, rows rebuilt on each change) lands at the end of
the round however high on the screen it sits. `chain` sets an order explicitly; `place` puts what a part holds
right after a stable stop, and parts rebuilt on change call it again after each rebuild.

Neither walks the window's whole focus chain: wrapping every internal widget of the window in Python leaves
wrappers that outlive widgets Qt deletes by itself, and the next event for such an address then fails.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def _stop(widget: QWidget | None) -> bool:
    return widget is not None and widget.focusPolicy() != Qt.FocusPolicy.NoFocus


def chain(*widgets: QWidget | None) -> None:
    """Tab goes through `widgets` in this order, each right after the one before (those that take no focus,
    or None, left out); what followed the first one follows the last."""
    stops = [w for w in widgets if _stop(w)]
    for first, second in zip(stops, stops[1:], strict=False):
        QWidget.setTabOrder(first, second)


def stops_in(container: QWidget) -> list[QWidget]:
    """What Tab can stop at inside `container`, in the order its parts were laid out (made)."""
    return [w for w in container.findChildren(QWidget) if _stop(w)]


def place(container: QWidget, after: QWidget | None) -> None:
    """What `container` holds, in its own order, right after `after` in the round."""
    if after is not None:
        chain(after, *stops_in(container))
