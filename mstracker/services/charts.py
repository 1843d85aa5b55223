"""The data behind the charts (counts, temperature, EDSS), and the chart pictures for the app and the PDF.

`chart_data` is plain data (domain.chart_data.ChartData). The QChart construction lives in
exports.chart_images (the one place besides the ui allowed Qt, for the PDF); it is imported lazily here,
so that the command line loads no Qt unless it draws a chart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.chart_data import LAB_CHART_FIELDS, ChartData, ChartPoint
from ..domain.entries import LogEntry, LogKind
from .context import AppContext
from .logbook import history
from .status import status


def _number(entry: LogEntry, name: str) -> float | None:
    value = entry.fields.get(name)
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _series(entries: list[LogEntry], kind: LogKind, name: str) -> tuple[ChartPoint, ...]:
    return tuple(ChartPoint(e.at, v) for e in entries
                 if e.kind is kind and (v := _number(e, name)) is not None)


def chart_data(ctx: AppContext, patient_id: int, as_of: datetime | None = None) -> ChartData:
    """Everything the charts draw, as of `as_of` (a local wall time; default now), oldest first."""
    st = status(ctx, patient_id, as_of)
    moment = st.as_of
    entries = sorted((e for e in history(ctx, patient_id) if e.at <= moment), key=lambda e: (e.at, e.entry_id))
    mris = [e for e in entries if e.kind is LogKind.MRI]
    active = [e for e in mris if (_number(e, "new_t2") or 0) > 0 or (_number(e, "gd_enhancing") or 0) > 0]
    return ChartData(
        patient_name=st.patient["name"],
        as_of=moment,
        day_zero=st.day_zero,
        day_zero_is_planned=st.day_zero_is_planned,
        labs={name: _series(entries, LogKind.LAB, name) for name in LAB_CHART_FIELDS},
        temperatures=_series(entries, LogKind.TEMPERATURE, "celsius"),
        edss=_series(entries, LogKind.EDSS, "score"),
        # A relapse the MS team marked `confirmed=no` does not count (as in the clinical rules).
        relapses=tuple(e.at.date() for e in entries
                       if e.kind is LogKind.RELAPSE and e.fields.get("confirmed") != "no"),
        active_mris=tuple(e.at.date() for e in active),
        quiet_mris=tuple(e.at.date() for e in mris if e not in active),
        platelet_transfusions=tuple(e.at.date() for e in entries
                                    if e.kind is LogKind.TRANSFUSION and e.fields.get("product") == "platelets"),
        neutrophil_engraftment=st.engraftment.neutrophil,
        platelet_engraftment=st.engraftment.platelet,
        platelet_never_low=st.engraftment.platelet_never_low,
    )


def build_chart(data: ChartData, which: str, **style: Any) -> Any:
    """A QChart (or None when empty) of `which` (domain.chart_data.CHART_KINDS) for the ui's chart views; see exports.chart_images."""
    from ..exports.chart_images import build_chart as _build

    return _build(data, which, **style)


def chart_png(ctx: AppContext, patient_id: int, which: str, width: int, height: int) -> bytes:
    """One chart as a PNG (for the PDF export): offscreen, no window."""
    from ..exports.chart_images import render_chart_png

    return render_chart_png(chart_data(ctx, patient_id), which, width, height)
