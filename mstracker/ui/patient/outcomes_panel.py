"""Outcomes after the transplant: NEDA-3 at 1, 2 and 5 years and confirmed EDSS progression, in plain words,
beside the published reference figures (Sormani 2017), for a conversation with the MS specialist."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from ...domain.clinical.outcomes import NEDA_REFERENCE, NEDA_YEARS, Outcomes
from ..core.labels import readable, rule

STATUS_WORDS = {
    "met": "Met",
    "not_met": "Not met",
    "unknown": "Unknown",
    "pending": "Not yet known",
}
STATUS_COLOURS = {"met": "#1b7a3a", "not_met": "#b00020", "unknown": "#555555", "pending": "#555555"}
REASON_WORDS = {
    "relapse": "a relapse was logged in this period",
    "mri_activity": "an MRI after the re-baseline MRI showed new, enlarging or enhancing lesions",
    "edss_progression": "the EDSS score rose and the rise was confirmed on a later visit (confirmed progression)",
    "no_mri": "no MRI after the re-baseline MRI (the first from 5 months after Day 0) is logged for this period",
    "no_edss": "no EDSS score after Day 0 (or no baseline score before it) is logged for this period",
}
DISCUSS = ("These figures come from what was logged here. They are not a diagnosis: discuss them with your "
           "MS specialist.")


def reference_text(years: int) -> str:
    share = NEDA_REFERENCE.get(str(years))
    if share is None:
        return "—"
    return f"about {round(share * 100)} % of patients (Sormani 2017)"


def status_sentence(key: str, status: str, reasons: list[str], end: date | None) -> str:
    """The status of one window in plain words, with the reasons (or what is missing)."""
    words = [REASON_WORDS.get(r, r.replace("_", " ")) for r in reasons]
    if status == "met":
        return "Met: no relapse, no new MRI activity and no confirmed EDSS progression."
    if status == "not_met":
        return "Not met: " + "; ".join(words) + "." if words else "Not met."
    if status == "pending":
        until = f" on {end.isoformat()}" if end else ""
        return f"Not yet known: this period ends{until}; nothing has counted against it so far."
    if words:
        return "Unknown: " + "; ".join(words) + "."
    return "Unknown: counted from the transplant day (Day 0), which is not recorded yet."


class OutcomesPanel(QGroupBox):
    """`set_outcomes(outcomes, day_zero)`, or `set_status(status)` with a services.status.Status."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("How MS has been since the transplant", parent)
        self.setAccessibleName("Outcomes after the transplant")
        self._status_labels: dict[str, QLabel] = {}
        self._reference_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        for col, text in enumerate(("Period after Day 0", "No evidence of disease activity (NEDA-3)",
                                    "Published reference")):
            header = QLabel(f"<b>{text}</b>")
            header.setWordWrap(True)  # a narrow window (or large text) wraps instead of scrolling sideways
            grid.addWidget(header, 0, col)
        self._period_labels: dict[str, QLabel] = {}
        for row, years in enumerate(NEDA_YEARS, start=1):
            key = str(years)
            period = QLabel(f"{years} year{'s' if years > 1 else ''}")
            status = readable(rich=True)
            reference = QLabel(reference_text(years))
            reference.setWordWrap(True)
            grid.addWidget(period, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(status, row, 1)
            grid.addWidget(reference, row, 2, Qt.AlignmentFlag.AlignTop)
            self._period_labels[key] = period
            self._status_labels[key] = status
            self._reference_labels[key] = reference
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 1)

        self._progression = readable()
        line = rule()
        self._reference = QLabel(f"{NEDA_REFERENCE['text']} Source: {NEDA_REFERENCE['source']}.")
        self._reference.setWordWrap(True)
        self._discuss = QLabel(f"<b>{DISCUSS}</b>")
        self._discuss.setWordWrap(True)
        self._discuss.setAccessibleName(DISCUSS)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self._progression)
        layout.addWidget(line)
        layout.addWidget(self._reference)
        layout.addWidget(self._discuss)
        self.set_outcomes(None, None)

    # ---- public --------------------------------------------------------------------------------
    def set_status(self, status) -> None:
        """From a services.status.Status: its outcomes and its recorded Day 0 (a planned one counts for nothing)."""
        day_zero = None if status.day_zero_is_planned else status.day_zero
        self.set_outcomes(status.outcomes, day_zero)

    def set_outcomes(self, outcomes: Outcomes | None, day_zero: date | None) -> None:
        for years in NEDA_YEARS:
            key = str(years)
            end = day_zero + relativedelta(years=years) if day_zero else None
            self._period_labels[key].setText(
                f"{years} year{'s' if years > 1 else ''}" + (f"\n(to {end.isoformat()})" if end else ""))
            state = outcomes.neda.get(key, "unknown") if outcomes else "unknown"
            reasons = list(outcomes.neda_reasons.get(key, [])) if outcomes else []
            sentence = status_sentence(key, state, reasons, end)
            word, _, rest = sentence.partition(":")
            colour = STATUS_COLOURS.get(state, "#555555")
            label = self._status_labels[key]
            label.setText(f"<b style='color:{colour}'>{word}</b>{':' + _escape(rest) if rest else ''}")
            label.setAccessibleName(f"NEDA-3 at {years} year{'s' if years > 1 else ''}: {sentence}")
            label.setProperty("neda_status", state)
        self._progression.setText(self._progression_sentence(outcomes, day_zero))
        self._progression.setAccessibleName(self._progression.text())

    def status_text(self, years: int | str) -> str:
        """The sentence shown for the NEDA-3 window of `years` (as a screen reader reads it)."""
        name = self._status_labels[str(years)].accessibleName()
        return name.split(": ", 1)[1]

    def status_of(self, years: int | str) -> str:
        return str(self._status_labels[str(years)].property("neda_status"))

    def reference_of(self, years: int | str) -> str:
        return self._reference_labels[str(years)].text()

    def progression_text(self) -> str:
        return self._progression.text()

    def footer_text(self) -> str:
        return f"{self._reference.text()} {DISCUSS}"

    # ---- internals -----------------------------------------------------------------------------
    @staticmethod
    def _progression_sentence(outcomes: Outcomes | None, day_zero: date | None) -> str:
        if outcomes is None or day_zero is None:
            return "Confirmed EDSS progression: counted from the transplant day (Day 0), which is not recorded yet."
        baseline = outcomes.baseline_edss
        if baseline is None:
            return ("Confirmed EDSS progression: cannot be judged, because no EDSS score from before the transplant "
                    "is logged (the baseline).")
        progression = outcomes.edss_progression
        if progression.confirmed and progression.since:
            confirmed = (f", confirmed on {progression.confirmed_on.isoformat()}"
                         if progression.confirmed_on else "")
            return (f"Confirmed EDSS progression: yes, since {progression.since.isoformat()}{confirmed} "
                    f"(baseline EDSS {baseline:g}). Discuss with your MS specialist.")
        return f"Confirmed EDSS progression: none so far (baseline EDSS {baseline:g})."


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
