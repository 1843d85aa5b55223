"""The agenda as printable HTML (for QTextDocument: print preview and paper)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from ...domain.clinical.alerts import Alert
from ..core.words import REMINDER_KIND_WORDS
from .rows import AgendaRow, status_text, when_text


def agenda_html(patient_name: str, rows: list[AgendaRow], now: datetime, alerts: list[Alert]) -> str:
    today = now.date()
    parts = [
        "<html><body style='font-family: sans-serif'>",
        f"<h1>Schedule for {escape(patient_name)}</h1>",
        f"<p>Printed {now:%A %-d %B %Y, %H:%M}</p>",
    ]
    if alerts:
        parts.append("<h2>Alerts</h2><ul>")
        parts += [f"<li><b>{escape(a.level)}</b>: {escape(a.message)}</li>" for a in alerts]
        parts.append("</ul>")
    table_open = False
    for row in rows:
        if row.is_heading:
            if table_open:
                parts.append("</table>")
            parts.append(f"<h2>{escape(row.text)}</h2>")
            parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                         "<tr><th align='left'>When</th><th align='left'>What</th>"
                         "<th align='left'>Kind</th><th align='left'>Status</th></tr>")
            table_open = True
        elif row.reminder is None:
            parts.append(f"<tr><td colspan='4'><i>{escape(row.text)}</i></td></tr>")
        else:
            r = row.reminder
            parts.append(f"<tr><td>{escape(when_text(r, today))}</td><td>{escape(r.title)}</td>"
                         f"<td>{escape(REMINDER_KIND_WORDS.get(r.kind, r.kind))}</td>"
                         f"<td>{escape(status_text(r, now))}</td></tr>")
    if table_open:
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
