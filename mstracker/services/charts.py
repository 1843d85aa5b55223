"""The data behind the charts (counts, temperature, EDSS), and the chart pictures for the app and the PDF.

`chart_data` is plain data (domain.chart_data.ChartData). The QChart construction lives in
exports.pdf_charts (the one place besides the ui allowed Qt, for the PDF); it is imported lazily here,
so that the command line loads no Qt unless it draws a chart.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain.chart_data import LAB_CHART_FIELDS, ChartData, ChartPoint
from ..domain.clinical import mri_active, number
from ..domain.entries import LogEntry, LogKind
from .history import history
from .status import Status, status

if TYPE_CHECKING:
    from .context import AppContext


def _series(entries: list[LogEntry], kind: LogKind, name: str) -> tuple[ChartPoint, ...]:
    return tuple(ChartPoint(e.at, v) for e in entries
                 if e.kind is kind and (v := number(e, name)) is not None)


def chart_data(ctx: AppContext, patient_id: int, as_of: datetime | None = None, *,
               st: Status | None = None) -> ChartData:
    """Everything the charts draw, as of `as_of` (a local wall time; default now), oldest first; `st`: the
    status as of that moment where the caller has it already."""
    st = st or status(ctx, patient_id, as_of)
    moment = st.as_of
    entries = sorted((e for e in history(ctx, patient_id) if e.at <= moment), key=lambda e: (e.at, e.entry_id))
    mris = [e for e in entries if e.kind is LogKind.MRI]
    active = [e for e in mris if mri_active(e)]
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
    """A QChart (or None when empty) of `which` (domain.chart_data.CHART_KINDS) for the ui's chart views; see exports.pdf_charts."""
    from ..exports.pdf_charts import build_chart as _build

    return _build(data, which, **style)


def legend_html(chart: Any) -> str:
    """A built chart's legend as wrapping rich text (see exports.pdf_charts.legend_html)."""
    from ..exports.pdf_charts import legend_html as _legend

    return _legend(chart)


# The PDF (A4, 15 mm margins: 180 mm across) shows the charts two to a row, each
# drawn like a 520×360 screen chart at 3× for print sharpness; three rows fit one page with their heading.
PDF_CHART_ORDER = ("anc", "platelets", "temperature", "edss", "hb", "cd4", "wbc")
PDF_CHART_MAX = 6
PDF_IMAGE_WIDTH = 330  # <img width> counts 1/96 in even on the 300 dpi page: about 87 mm
PDF_CHART_BUCKETS = 400  # a chart's plot is ~420 logical pixels across: one low and one high point each


def pdf_charts(ctx: AppContext, patient_id: int, *, data: ChartData | None = None) -> tuple[str, dict[str, bytes]]:
    """The charts section for exports.pdf.write_pdf(extra_html=..., images=...): ("", {}) with nothing to chart.

    At most PDF_CHART_MAX charts, in order of clinical use; empty ones are left out. The heading and each
    row of two charts are blocks of their own (BLOCK_BREAK between them): the PDF keeps a block on one page,
    and fills what is left of a page with the rows that fit.
    """
    from ..exports.pdf import BLOCK_BREAK
    from ..exports.pdf_charts import render_chart_png

    data = (data or chart_data(ctx, patient_id)).thinned(PDF_CHART_BUCKETS)
    kinds = [k for k in PDF_CHART_ORDER if not data.is_empty(k)][:PDF_CHART_MAX]
    if not kinds:
        return "", {}
    images = {f"chart-{k}.png": render_chart_png(data, k, 520 * 3, 360 * 3, point_size=11, pixel_ratio=3)
              for k in kinds}
    height = PDF_IMAGE_WIDTH * 360 // 520
    cells = [f"<td><img src='chart-{k}.png' width='{PDF_IMAGE_WIDTH}' height='{height}'></td>" for k in kinds]
    rows = BLOCK_BREAK.join(f"<table cellspacing='0' cellpadding='4'><tr>{''.join(cells[i:i + 2])}</tr></table>"
                            for i in range(0, len(cells), 2))
    planned = " (planned)" if data.day_zero_is_planned else ""
    zero = f" Day 0{planned}: {data.day_zero.isoformat()}." if data.day_zero else ""
    html = (f"<h2>Charts</h2><p class='meta'>Dashed lines are the alert limits; green lines the engraftment "
            f"days.{zero}</p>{BLOCK_BREAK}{rows}")
    return html, images
