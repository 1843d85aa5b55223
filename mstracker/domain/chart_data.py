"""What the charts show, as plain data: filled by services.charts, drawn by exports.pdf_charts / ui.charts.

Pure (no Qt): the same `ChartData` feeds the app's chart views and the PDF's chart images, so both agree.
The x axis of the count and temperature charts is the Day number relative to Day 0 (fractional, so that
two readings of one day stand apart); before Day 0 is known it is the calendar date.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from .clinical.alerts import FEVER, FEVER_SINGLE_FN, HB_LOW, PLATELETS_LOW, PLATELETS_URGENT
from .clinical.engraftment import ANC_THRESHOLD
from .dates import day_label

LAB_CHART_FIELDS = ("anc", "platelets", "hb", "wbc", "cd4")
CHART_KINDS = LAB_CHART_FIELDS + ("temperature", "edss")

# Titles and units as a patient reads them.
CHART_TITLES: dict[str, str] = {
    "anc": "Neutrophils (ANC)",
    "platelets": "Platelets",
    "hb": "Haemoglobin",
    "wbc": "White cells (WBC)",
    "cd4": "CD4 count",
    "temperature": "Temperature",
    "edss": "EDSS score",
}
CHART_UNITS: dict[str, str] = {
    "anc": "×10⁹/L", "platelets": "×10⁹/L", "hb": "g/dL", "wbc": "×10⁹/L", "cd4": "cells/µL",
    "temperature": "°C", "edss": "EDSS",
}


@dataclass(frozen=True)
class Threshold:
    value: float
    label: str
    severe: bool = False  # drawn stronger: the line that means "call now"


# The same limits the alert rules use (domain.clinical), so a line on the chart means what the alert means.
THRESHOLDS: dict[str, tuple[Threshold, ...]] = {
    "anc": (Threshold(ANC_THRESHOLD, f"{ANC_THRESHOLD:g}: very low", severe=True),),
    "platelets": (Threshold(PLATELETS_LOW, f"{PLATELETS_LOW:g}: low"),
                  Threshold(PLATELETS_URGENT, f"{PLATELETS_URGENT:g}: dangerously low", severe=True)),
    "hb": (Threshold(HB_LOW, f"{HB_LOW:g}: low"),),
    "wbc": (),
    "cd4": (),
    # What each line means in the alert rules: 38.0 is a fever (with low neutrophils an emergency when it comes
    # twice, one to two hours apart); 38.3 is an emergency with low neutrophils on a single reading.
    "temperature": (Threshold(FEVER, f"{FEVER:.1f} °C: fever (low neutrophils: twice in 1–2 hours is an emergency)"),
                    Threshold(FEVER_SINGLE_FN,
                              f"{FEVER_SINGLE_FN:.1f} °C: low neutrophils: one reading is an emergency",
                              severe=True)),
    "edss": (),
}


GAP_DAYS = 14.0  # readings further apart than this are not joined by a line: nothing is known in between
BEFORE_DAY_ZERO = 14  # the count charts start at most this many days before Day 0 (conditioning and its eve)
HEADROOM = 1.15  # the value axis reaches a little above the highest value or limit shown


def runs(xs: list[float], gap: float = GAP_DAYS) -> list[tuple[int, int]]:
    """Index ranges [start, end) of `xs` (ascending) with no step wider than `gap`: one line each."""
    result, start = [], 0
    for i in range(1, len(xs)):
        if xs[i] - xs[i - 1] > gap:
            result.append((start, i))
            start = i
    if xs:
        result.append((start, len(xs)))
    return result


def count_window(xs: list[float], last_day: float | None) -> tuple[float, float]:
    """The Day range a count chart shows: from Day -14 (or the first reading, if later) to the last reading
    or today. Values from the months before the transplant (a count of 250 at assessment) would otherwise
    set the scale, and the counts that matter after it would lie flat on the limit lines."""
    hi = max(xs + ([last_day] if last_day is not None else []))
    first = min(xs) if xs else hi
    lo = max(first, -float(BEFORE_DAY_ZERO))
    if lo > hi:  # every reading is older than Day -14 (Day 0 planned far ahead): show them after all
        lo = first
    return lo, hi


def value_range(values: list[float], limits: tuple[Threshold, ...]) -> tuple[float, float]:
    """0 to a little above the highest value shown or the highest limit, so that every limit line stays in view
    and the values spread over the height."""
    top = max(values + [t.value for t in limits], default=0.0)
    return 0.0, top * HEADROOM if top > 0 else 1.0


@dataclass(frozen=True)
class ChartPoint:
    at: datetime  # aware, local
    value: float


@dataclass(frozen=True)
class ChartData:
    patient_name: str = ""
    as_of: datetime | None = None
    day_zero: date | None = None
    day_zero_is_planned: bool = False
    labs: dict[str, tuple[ChartPoint, ...]] = field(default_factory=dict)  # keys: LAB_CHART_FIELDS
    temperatures: tuple[ChartPoint, ...] = ()
    edss: tuple[ChartPoint, ...] = ()
    relapses: tuple[date, ...] = ()          # counted ones (not marked confirmed=no by the MS team)
    active_mris: tuple[date, ...] = ()       # new/enlarging T2 or enhancing lesions
    quiet_mris: tuple[date, ...] = ()        # MRIs without activity
    platelet_transfusions: tuple[date, ...] = ()
    neutrophil_engraftment: date | None = None
    platelet_engraftment: date | None = None
    platelet_never_low: bool = False

    def points(self, which: str) -> tuple[ChartPoint, ...]:
        if which == "temperature":
            return self.temperatures
        if which == "edss":
            return self.edss
        if which in LAB_CHART_FIELDS:
            return self.labs.get(which, ())
        raise ValueError(f"unknown chart {which!r}; use one of: {', '.join(CHART_KINDS)}")

    def is_empty(self, which: str) -> bool:
        return not self.points(which)

    def thinned(self, buckets: int) -> ChartData:
        """The same charts with each series thinned to what a picture of about `buckets` pixels across can
        show (see `thin`): ten years of daily temperatures are 14,600 points, most drawn on top of others."""
        return replace(self, labs={name: thin(points, buckets) for name, points in self.labs.items()},
                       temperatures=thin(self.temperatures, buckets), edss=thin(self.edss, buckets))

    def empty_text(self, which: str) -> str:
        """What an empty chart says instead of an empty grid."""
        if which == "temperature":
            return "No temperatures logged yet"
        if which == "edss":
            return "No EDSS scores logged yet"
        if not any(self.labs.get(name) for name in LAB_CHART_FIELDS):
            return "No lab results logged yet"
        return f"No {CHART_TITLES[which].split(' (')[0].lower()} results logged yet"

    def day_number(self, at: datetime | date) -> float | None:
        """Days since Day 0 (Day 0 at midnight = 0.0; 12:00 on Day +3 = 3.5); None without Day 0."""
        if self.day_zero is None:
            return None
        if not isinstance(at, datetime):
            return float((at - self.day_zero).days)
        wall = at.replace(tzinfo=None)
        # Calendar days plus the wall-clock fraction, so a DST change does not shift a reading to another Day.
        return (wall.date() - self.day_zero).days + (wall - datetime.combine(wall.date(), time())).seconds / 86400

    def engraftment_marks(self, which: str) -> list[tuple[date, str]]:
        """The engraftment days to mark on a count chart: (date, label)."""
        marks = []
        if which in ("anc", "wbc") and self.neutrophil_engraftment:
            marks.append((self.neutrophil_engraftment, "Neutrophil engraftment"))
        if which == "platelets" and self.platelet_engraftment:
            marks.append((self.platelet_engraftment, "Platelet engraftment"))
        return marks



def summary(data: ChartData, which: str) -> str:
    """The chart in one or two sentences, for screen readers, tooltips and the PDF's alt text."""
    points = data.points(which)
    title = CHART_TITLES[which]
    if not points:
        return f"{title}: {data.empty_text(which).lower()}."
    unit = CHART_UNITS[which]
    last = points[-1]

    def when(at: datetime) -> str:
        number = data.day_number(at)
        text = at.strftime("%Y-%m-%d")
        return f"{text} ({day_label(int(number // 1))})" if number is not None and which != "edss" else text

    low = min(points, key=lambda p: p.value)
    high = max(points, key=lambda p: p.value)
    parts = [f"{title}: {len(points)} value{'s' if len(points) != 1 else ''} from {when(points[0].at)} "
             f"to {when(last.at)}; latest {last.value:g} {unit} on {when(last.at)}; "
             f"lowest {low.value:g}, highest {high.value:g}."]
    for mark, label in data.engraftment_marks(which):
        number = data.day_number(mark)
        parts.append(f"{label} on {mark.isoformat()}"
                     + (f" ({day_label(int(number))})." if number is not None else "."))
    if which == "platelets" and data.platelet_never_low:
        parts.append("Platelets never fell below 20.")
    if which == "edss":
        if data.relapses:
            parts.append(f"{len(data.relapses)} relapse(s) marked.")
        if data.active_mris:
            parts.append(f"{len(data.active_mris)} MRI(s) with new or enhancing lesions marked.")
    return " ".join(parts)


def thin(points: tuple[ChartPoint, ...], buckets: int) -> tuple[ChartPoint, ...]:
    """At most 2 × `buckets` points, in time order: the series' time cut into `buckets` equal spans, and of
    each span its lowest and highest point, so that every peak and trough (a fever, a count below its limit)
    stays where it was. A series this short already is returned as it is."""
    if len(points) <= 2 * buckets:
        return points
    ordered = sorted(points, key=lambda p: p.at)
    start = ordered[0].at
    span = (ordered[-1].at - start).total_seconds() or 1.0
    kept: list[ChartPoint] = []
    current, low, high = -1, ordered[0], ordered[0]
    for point in ordered:
        bucket = min(buckets - 1, int((point.at - start).total_seconds() / span * buckets))
        if bucket != current:
            if current >= 0:
                kept += _in_order(low, high)
            current, low, high = bucket, point, point
        elif point.value < low.value:
            low = point
        elif point.value > high.value:
            high = point
    kept += _in_order(low, high)
    return tuple(kept)


def _in_order(low: ChartPoint, high: ChartPoint) -> list[ChartPoint]:
    if low is high:
        return [low]
    return [low, high] if low.at <= high.at else [high, low]
