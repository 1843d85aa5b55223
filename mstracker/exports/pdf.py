"""PDF export: the printable timeline a clinician reads (QTextDocument laid out by QPdfWriter, A4).

It leads with where the patient stands and what is wrong now: the summary and the current alerts, then the
journey's phases, the charts, the latest value of each measure, the schedule ahead, a summary of the log
(entries of each kind, first and last), and the most recent lab results, side effects and MS activity. A
ten-year log is not printed whole (40,000 events, a thousand pages): the full log is in the CSV and JSON
exports, as the PDF says. Pagination is ours, not QTextDocument's (which cuts table rows
between lines): the content is a list of blocks — a heading, a paragraph, one table row — that are never
cut; a table's header repeats on each page it runs on; a heading is kept with what follows it; every page
has a footer with the patient's name and "page N of M".

Charts come through two hooks: `extra_html` is placed after the phases, and `images` maps names to QImages
(or PNG bytes) that `extra_html` shows with `<img src="NAME">`. `extra_html` may be cut into blocks with
`BLOCK_BREAK` (each kept on one page, the first, its heading, kept with the next), so that a page is filled
with the charts that fit rather than left blank before a section too tall for what remains of it.

This is the one writer allowed Qt (an import-linter contract in pyproject.toml). It runs without a screen: from the command line, where no
Qt application exists, it creates one (a QApplication, for chart images) on the `offscreen` platform.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextTable,
)

from ..domain.entries import KINDS, LAB_FIELDS, SIDE_EFFECTS, LogKind
from . import pdf_medicines
from .model import BLOCK_BREAK, Entry, ExportData

RESOLUTION = 300
RECENT_ROWS = 20  # the latest lab results and side effects printed (all are in the CSV and JSON exports)
MS_ACTIVITY_ROWS = 40
FOOTER_PT = 8
_app: QGuiApplication | None = None  # kept alive for the process when this module made it


def ensure_gui_app() -> None:
    """QTextDocument needs a QGuiApplication (fonts); the CLI has none, and maybe no screen.

    A QApplication (a QGuiApplication too): chart images drawn later in the same process need QtWidgets.
    """
    global _app
    if QGuiApplication.instance() is None:
        from PySide6.QtWidgets import QApplication

        # A file export shows no window: offscreen works with or without a (reachable) display.
        platform = [] if os.environ.get("QT_QPA_PLATFORM") else ["-platform", "offscreen"]
        _app = QApplication(["mstracker", *platform])


def write_pdf(data: ExportData, *, extra_html: str = "", images: Mapping[str, QImage | bytes] | None = None) -> bytes:
    """The timeline as PDF bytes. `extra_html` (e.g. charts) goes after the summary; `images` feed its <img>s."""
    ensure_gui_app()
    resources = {name: QImage.fromData(QByteArray(bytes(img))) if isinstance(img, bytes | bytearray) else img
                 for name, img in (images or {}).items()}
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"aHSCT timeline: {data.patient.name}")
    writer.setCreator("mstracker")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 12), QPageLayout.Unit.Millimeter))
    paginator = Paginator(writer, resources)
    pages = paginator.paginate(build_blocks(data, extra_html))
    footer = f"{data.patient.name} · aHSCT timeline · printed {data.generated_at:%Y-%m-%d %H:%M}"
    paginator.render(pages, footer)
    buffer.close()
    return bytes(buffer.data().data())


# ---- pagination: blocks (a heading, a paragraph, one table row) are never cut across pages ------------
@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    widths: tuple[int, ...]  # percent; fixed, so that a row's height does not depend on the other rows

    def open(self) -> str:
        cells = "".join(f"<th width='{w}%'>{_e(h)}</th>" for h, w in zip(self.headers, self.widths, strict=True))
        return (f"<table class='grid' width='100%' border='1' cellspacing='0' cellpadding='3'>"
                f"<tr>{cells}</tr>")

    def row(self, cells: list[str], numeric: frozenset[int] = frozenset()) -> str:
        return "<tr>" + "".join(
            f"<td width='{w}%' class='{'num' if i in numeric else ''}'>{c}</td>"
            for i, (c, w) in enumerate(zip(cells, self.widths, strict=True))) + "</tr>"


@dataclass(frozen=True)
class Block:
    html: str
    table: Table | None = None  # set for a table row: the header repeats on each page the table runs on
    keep_with_next: bool = False  # a heading stays with what follows it


class Paginator:
    def __init__(self, writer: QPdfWriter, resources: Mapping[str, QImage]) -> None:
        self.writer = writer
        self.resources = resources
        self.width = float(writer.width())
        self.footer_height = FOOTER_PT / 72 * RESOLUTION * 2.2
        self.height = float(writer.height()) * 0.99 - self.footer_height  # a hair of slack for rounding
        self._laid_out: tuple[list[Block], QTextDocument] | None = None

    def _doc(self, body: str) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.writer)  # lay out in the PDF's own units (300 dpi)
        doc.setDocumentMargin(0)
        doc.setDefaultStyleSheet(_CSS)
        for name, image in self.resources.items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        doc.setTextWidth(self.width)
        doc.setHtml(f"<html><body>{body}</body></html>")
        return doc

    def _costs(self, blocks: list[Block]) -> list[tuple[float, float]]:
        """Each block's height, and the extra height of its table's header when the table opens on a page.

        One layout per table (not per row): row heights are read off the laid-out table.
        """
        costs: list[tuple[float, float]] = []
        i = 0
        while i < len(blocks):
            table = blocks[i].table
            if table is None:
                costs.append((self._doc(blocks[i].html).size().height(), 0.0))
                i += 1
                continue
            j = i
            while j < len(blocks) and blocks[j].table is table:
                j += 1
            header, rows = self._row_heights(table, [b.html for b in blocks[i:j]])
            costs += [(h, header) for h in rows]
            i = j
        return costs

    def _row_heights(self, table: Table, rows: list[str]) -> tuple[float, list[float]]:
        doc = self._doc(table.open() + "".join(rows) + "</table>")
        frame = next(f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable))
        layout = doc.documentLayout()
        box = layout.frameBoundingRect(frame)
        tops = [layout.blockBoundingRect(frame.cellAt(r, 0).firstCursorPosition().block()).y()
                for r in range(frame.rows())]
        pad = tops[0] - box.y()  # from the top of a row to its first line
        edges = [t - pad for t in tops] + [box.y() + box.height()]
        heights = [edges[r + 1] - edges[r] for r in range(len(tops))]
        return heights[0], heights[1:]

    def paginate(self, blocks: list[Block]) -> list[tuple[list[Block], QTextDocument]]:
        """Fill pages by measured heights, then check each page's real height and push back what overflows."""
        costs = self._costs(blocks)
        pages: list[tuple[list[Block], QTextDocument]] = []
        i = 0
        while i < len(blocks):
            page: list[Block] = []
            used = 0.0
            table: Table | None = None
            while i < len(blocks):
                block = blocks[i]
                need = costs[i][0] + (costs[i][1] if block.table is not table else 0.0)
                together = need
                if block.keep_with_next and i + 1 < len(blocks):
                    together += costs[i + 1][0] + costs[i + 1][1]
                if page and used + together > self.height:
                    break
                page.append(block)
                used, table, i = used + need, block.table, i + 1
            # Margins between blocks make the sum a little off: the real layout decides.
            while len(page) > 1 and (page[-1].keep_with_next or self._page_height(page) > self.height):
                page.pop()
                i -= 1
            pages.append((page, self._page_doc(page)))
        return pages

    def _page_height(self, blocks: list[Block]) -> float:
        doc = self._doc(self.page_html(blocks))
        self._laid_out = (list(blocks), doc)  # the page that fits is printed from this very layout
        return doc.size().height()

    def _page_doc(self, blocks: list[Block]) -> QTextDocument:
        if self._laid_out is not None and self._laid_out[0] == blocks:
            return self._laid_out[1]
        return self._doc(self.page_html(blocks))

    def page_html(self, blocks: list[Block]) -> str:
        parts: list[str] = []
        table: Table | None = None
        for block in blocks:
            if block.table is not table:
                if table is not None:
                    parts.append("</table>")
                if block.table is not None:
                    parts.append(block.table.open())
                table = block.table
            parts.append(block.html)
        if table is not None:
            parts.append("</table>")
        return "".join(parts)

    def render(self, pages: list[tuple[list[Block], QTextDocument]], footer: str) -> None:
        painter = QPainter(self.writer)
        try:
            font = QFont(painter.font())
            font.setPointSizeF(FOOTER_PT)
            for number, (_, doc) in enumerate(pages, 1):
                if number > 1:
                    self.writer.newPage()
                doc.drawContents(painter, QRectF(0, 0, self.width, self.height))
                painter.setFont(font)
                painter.setPen(QColor("#444444"))
                band = QRectF(0, self.height, self.width, self.footer_height)
                painter.drawText(band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, footer)
                painter.drawText(band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                                 f"page {number} of {len(pages)}")
        finally:
            painter.end()


# ---- the page content -----------------------------------------------------------------------------
_CSS = """
body { font-family: sans-serif; font-size: 10pt; color: #000; }
h1 { font-size: 17pt; margin-top: 0; margin-bottom: 2pt; }
h2 { font-size: 13pt; margin-top: 12pt; margin-bottom: 4pt; }
p.meta { color: #444; font-size: 9pt; }
table.grid { border-collapse: collapse; border-color: #999; }
th { background-color: #e6e6e6; text-align: left; font-weight: bold; }
td.num { text-align: right; }
p.none { color: #444; font-style: italic; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _heading(text: str) -> Block:
    return Block(f"<h2>{_e(text)}</h2>", keep_with_next=True)


def _none(text: str) -> Block:
    return Block(f"<p class='none'>{_e(text)}</p>")




def build_blocks(data: ExportData, extra_html: str = "") -> list[Block]:
    """Where the patient stands and what is wrong now first; then the journey, the charts and the details."""
    blocks = [Block(f"<h1>aHSCT timeline: {_e(data.patient.name)}</h1>"
                    f"<p class='meta'>Printed {data.generated_at:%Y-%m-%d %H:%M} by mstracker. It informs and "
                    "reminds; decisions belong with the transplant and MS teams.</p>"),
              _heading("Summary"), _summary(data)]
    blocks += _attention(data)
    blocks += _phases(data)
    pieces = [piece for piece in extra_html.split(BLOCK_BREAK) if piece.strip()]
    blocks += [Block(piece, keep_with_next=i == 0 and len(pieces) > 1) for i, piece in enumerate(pieces)]
    for section in (_latest_values, _schedule, _medicines, _log_summary, _labs, _side_effects, _ms_activity):
        blocks += section(data)
    return blocks


_LEVEL_WORDS = {"urgent": "URGENT", "warning": "Warning", "info": "Note"}


def _attention(data: ExportData) -> list[Block]:
    heading = _heading(f"Needs attention now (as of {data.generated_at:%Y-%m-%d %H:%M})")
    if not data.alerts:
        return [heading, _none("No alerts.")]
    table = Table(("Level", "Alert"), (14, 86))
    rows = []
    for alert in data.alerts:
        level = _e(_LEVEL_WORDS.get(alert.level, alert.level))
        if alert.level == "urgent":
            level = f"<b>{level}</b>"
        rows.append(Block(table.row([level, _e(alert.message)]), table))
    return [heading, *rows]


def _summary(data: ExportData) -> Block:
    p = data.patient
    rows = [("Patient", f"{_e(p.name)} (id {p.id})")]
    if p.born:
        rows.append(("Born", p.born.isoformat()))
    if p.diagnosed:
        rows.append(("MS diagnosed", p.diagnosed.isoformat()))
    if p.ms_type:
        rows.append(("MS type", _e(p.ms_type.upper())))
    if data.protocol_name:
        rows.append(("Protocol", _e(f"{data.protocol_title} ({data.protocol_name})")))
    where = data.phase_label or "journey not started"
    if data.day is not None:
        where = f"{data.day_label(data.day)} · {where}"
    rows.append(("Now", _e(where)))
    if data.day_zero:
        rows.append(("Day 0", data.day_zero.isoformat() + (" (planned)" if data.day_zero_is_planned else "")))
    if data.admitted:
        stay = f"admitted {data.admitted.isoformat()}"
        if data.discharged:
            stay += f", discharged {data.discharged.isoformat()} ({data.length_of_stay_days} days)"
        else:
            stay += ", not yet discharged"
        rows.append(("Hospital stay", stay))
    body = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    return Block(f"<table cellpadding='2'>{body}</table>")


def _phases(data: ExportData) -> list[Block]:
    if not data.phases:
        return [_heading("Phases"), _none("No phase recorded yet.")]
    table = Table(("Phase", "From", "To", "Day", "Length", "Reason"), (30, 14, 14, 14, 11, 17))
    blocks = [_heading("Phases")]
    for s in data.phases:
        name = _e(s.label.capitalize()) + (f" (attempt {s.attempt})" if s.attempt > 1 else "")
        if s.planned:
            name = f"<i>{name} (planned)</i>"
        end = s.end.isoformat() if s.end else ("" if s.planned else "ongoing")
        length = f"{(s.end - s.start).days} days" if s.end else ""
        blocks.append(Block(table.row([name, s.start.isoformat(), end, _day(data, s.day), length,
                                       _e(s.reason or "")]), table))
    return blocks


def _schedule(data: ExportData) -> list[Block]:
    start = data.generated_at.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    ahead = sorted((r for r in data.reminders if r.status in ("pending", "snoozed") and r.effective_due >= start),
                   key=lambda r: (r.effective_due, r.kind, r.title))
    if not ahead:
        return [_heading("Schedule ahead"), _none("Nothing scheduled ahead.")]
    table = Table(("When", "Day", "What", "Status"), (20, 13, 55, 12))
    blocks = [_heading("Schedule ahead")]
    for r in ahead:
        day = _day(data, None if data.day_zero is None else (r.effective_due.date() - data.day_zero).days)
        blocks.append(Block(table.row([f"{r.effective_due:%Y-%m-%d&nbsp;%H:%M}", day, _e(r.title), _e(r.status)]),
                            table))
    return blocks


def _when(data: ExportData, e: Entry) -> list[str]:
    mark = "<br/><i>corrected</i>" if e.amended else ""
    return [f"{e.at:%Y-%m-%d&nbsp;%H:%M}{mark}", _day(data, e.day)]


def _day(data: ExportData, day: int | None) -> str:
    return _e(data.day_label(day)).replace(" ", "&nbsp;", 1)


def _medicines(data: ExportData) -> list[Block]:
    if not data.courses:
        return []
    table = Table(pdf_medicines.HEADERS, pdf_medicines.WIDTHS)
    return ([_heading("Medicines at home"), Block(f"<p>{_e(pdf_medicines.summary_line(data))}</p>")]
            + [Block(table.row(cells, frozenset({6})), table) for cells in pdf_medicines.course_rows(data)])


def _latest_values(data: ExportData) -> list[Block]:
    """The newest value of each measure logged (labs, temperature, EDSS), with when it was taken."""
    latest: dict[tuple[str, str], Entry] = {}
    for e in data.live_entries:  # oldest first: later ones replace earlier
        for name in e.fields:
            latest[(e.kind, name)] = e
    measures = [(LogKind.LAB.value, f.name, f.label, f.unit) for f in LAB_FIELDS]
    measures += [(LogKind.TEMPERATURE.value, "celsius", "temperature", "°C"),
                 (LogKind.EDSS.value, "score", "EDSS score", "")]
    table = Table(("Measure", "Latest", "When", "Day"), (40, 22, 23, 15))
    rows = []
    for kind, name, label, unit in measures:
        e = latest.get((kind, name))
        if e is not None:
            value = f"{_num(e.fields[name])} {unit}".strip()
            rows.append(Block(table.row([_e(label), _e(value)] + _when(data, e), frozenset({1})), table))
    if not rows:
        return [_heading("Latest values"), _none("No lab results, temperatures or EDSS scores logged.")]
    return [_heading("Latest values")] + rows


def _log_summary(data: ExportData) -> list[Block]:
    """How much of each kind was logged, and over what time: the whole log is in the CSV and JSON exports."""
    heading = _heading("The log")
    live = data.live_entries
    full = "The full log — every entry, correction and reminder change — is in the CSV and JSON exports."
    if not live:
        return [heading, _none("Nothing logged yet."), Block(f"<p class='meta'>{_e(full)}</p>")]
    spans: dict[str, list] = {}
    for e in live:
        span = spans.setdefault(e.kind, [0, e, e])
        span[0] += 1
        span[2] = e
    table = Table(("Kind", "Entries", "First", "Last"), (34, 16, 25, 25))
    blocks = [heading]
    for kind in LogKind:
        if kind.value in spans:
            count, first, last = spans[kind.value]
            blocks.append(Block(table.row([_e(KINDS[kind].label), str(count), f"{first.at:%Y-%m-%d}",
                                           f"{last.at:%Y-%m-%d}"], frozenset({1})), table))
    amended = sum(1 for e in data.entries if e.amended and not e.retracted)
    retracted = sum(1 for e in data.entries if e.retracted)
    blocks.append(Block(f"<p class='meta'>{len(live)} entries; {amended} corrected, {retracted} retracted "
                        f"(entered in error, left out here). {_e(full)}</p>"))
    return blocks


def _recent(title: str, items: list[Entry], limit: int) -> Block:
    if len(items) <= limit:
        return _heading(title)
    return _heading(f"{title} (the latest {limit} of {len(items)})")


def _labs(data: ExportData) -> list[Block]:
    labs = [e for e in data.live_entries if e.kind == LogKind.LAB.value]
    if not labs:
        return [_heading("Lab results"), _none("No lab results logged.")]
    heading = _recent("Lab results", labs, RECENT_ROWS)
    labs = labs[-RECENT_ROWS:]
    used = [f for f in LAB_FIELDS if any(f.name in e.fields for e in labs)]
    share = 67 // len(used)
    table = Table(("When", "Day") + tuple(f"{f.label} ({f.unit})" for f in used),
                  (20, 13) + (share,) * len(used))
    numeric = frozenset(range(2, 2 + len(used)))
    blocks = [heading]
    for e in labs:
        cells = _when(data, e) + [_e(_num(e.fields.get(f.name))) for f in used]
        blocks.append(Block(table.row(cells, numeric), table))
    return blocks


def _num(value: object) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _side_effects(data: ExportData) -> list[Block]:
    items = [e for e in data.live_entries if e.kind == LogKind.SIDE_EFFECT.value]
    if not items:
        return [_heading("Side effects"), _none("No side effects logged.")]
    table = Table(("When", "Day", "Side effect", "Grade (CTCAE)", "Note"), (20, 13, 27, 12, 28))
    blocks = [_recent("Side effects", items, RECENT_ROWS)]
    for e in items[-RECENT_ROWS:]:
        name = SIDE_EFFECTS.get(e.fields.get("name", ""), e.fields.get("name"))
        blocks.append(Block(table.row(_when(data, e) + [_e(name), _e(e.fields.get("grade")),
                                                         _e(e.fields.get("note", ""))]), table))
    return blocks


_MS_KINDS = (LogKind.RELAPSE.value, LogKind.MRI.value, LogKind.EDSS.value)


def _ms_activity(data: ExportData) -> list[Block]:
    items = [e for e in data.live_entries if e.kind in _MS_KINDS]
    if not items:
        return []
    table = Table(("When", "Day", "What", "Result"), (20, 13, 20, 47))
    blocks = [_recent("MS activity (relapses, MRI, EDSS)", items, MS_ACTIVITY_ROWS)]
    for e in items[-MS_ACTIVITY_ROWS:]:
        spec = KINDS[LogKind(e.kind)]
        values = "; ".join(f"{spec.field(k).label}: {_num(v)}" for k, v in e.fields.items())
        blocks.append(Block(table.row(_when(data, e) + [_e(spec.label), _e(values)]), table))
    return blocks
