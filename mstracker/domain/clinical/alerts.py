"""Alerts as of a moment (docs/clinical-rules.md, "Alerts": the rules, how long each shows, journey warnings).

Every time difference is taken between aware moments converted to UTC, so a DST change neither adds
nor removes an hour. Only entries dated at or before `now` count, and the journey is taken as of
`now`'s local date.

Decisions the rules leave open (each documented at its rule below):
- "Shows for X after" means visible while the elapsed real time is < X (gone at exactly X).
- Neutropenia for febrile neutropenia is judged at the moment of the fever reading (latest ANC of the
  72 h before it), or by an ANC drawn after the reading (up to now) that meets the same criteria.
  "The one before it" (for a falling ANC < 1.0) is the previous ANC value, however old.
- When `engraftment` is not passed it is computed from the entries as of `now` with the recorded
  Day 0 (a planned Day 0 has no engraftment).
- A temperature ≥ 38.0 that does not make febrile neutropenia raises `fever` in the fever-at-home
  contexts (also while neutropenic, e.g. a single 38.1 reading); `fever` is not shown beside a
  `febrile_neutropenia` alert.
- Journey warnings show up to and including the 14th day after the phase ended; a mobilization or
  stay that is still running shows as long once it is past the upper limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from ..entries import SIDE_EFFECTS, LogEntry, LogKind
from ..journey import Journey
from ..phases import Phase
from ..reminder_times import effective_due, is_overdue
from ._util import counted_relapses, fmt_day, fmt_moment, fmt_num, number, usable, utc
from .engraftment import ANC_THRESHOLD, Engraftment, compute_engraftment
from .settings import DEFAULT_SETTINGS, ClinicalSettings

Level = Literal["urgent", "warning", "info"]
LEVEL_RANK: dict[str, int] = {"urgent": 0, "warning": 1, "info": 2}

FEVER = 38.0
FEVER_SINGLE_FN = 38.3
ANC_FALLING_LIMIT = 1.0
PLATELETS_URGENT = 10.0
PLATELETS_LOW = 20.0
PLATELETS_LATE = 100.0
HB_LOW = 8.0
TSH_RANGE = (0.4, 4.0)

ANC_LOOKBACK = timedelta(hours=72)
TWO_READINGS_MIN = timedelta(hours=1)
TWO_READINGS_MAX = timedelta(hours=2)
FEVER_SHOWS = timedelta(hours=24)
RELAPSE_SHOWS = timedelta(days=30)
SIDE_EFFECT_SHOWS = timedelta(days=7)
PSEUDO_RELAPSE_AFTER = timedelta(days=7)
COUNTS_LOW_AFTER_MOBILIZATION_DAYS = 21
FEVER_AT_HOME_DAYS = 100
LATE_PLATELETS_AFTER_DAYS = 30
JOURNEY_WARNING_DAYS = 14


@dataclass(frozen=True)
class Alert:
    level: Level
    code: str
    message: str
    # When what raised it happened (an urgent alert's reading): where a calendar shows it. None for the rest.
    since: datetime | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class ReminderView:
    """A reminder as the alert rules see it. `due` and `snoozed_until` are naive local wall times."""

    id: int
    title: str
    due: datetime
    status: str  # pending | done | snoozed | skipped
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class _Lab:
    moment: datetime  # UTC
    value: float
    entry: LogEntry


def _series(entries: Sequence[LogEntry], name: str) -> list[_Lab]:
    """Lab values of `name`, oldest first; at the same moment the lowest comes last (counts as latest)."""
    labs = [_Lab(utc(e.at), v, e) for e in entries
            if e.kind is LogKind.LAB and (v := number(e, name)) is not None]
    return sorted(labs, key=lambda lab: (lab.moment, -lab.value, lab.entry.entry_id))


class _Context:
    def __init__(self, journey: Journey, entries: Sequence[LogEntry], now: datetime,
                 settings: ClinicalSettings, engraftment: Engraftment | None) -> None:
        self.now = utc(now)
        self.zone = now.tzinfo
        self.today = now.date()
        self.journey = journey.as_of(self.today)
        self.entries = entries
        self.settings = settings
        self.day_zero = self.journey.entered(Phase.TRANSPLANT)
        if engraftment is None:
            engraftment = compute_engraftment(entries, self.day_zero, settings)
        # An engraftment computed from the whole log may lie after `now`: it has not happened yet.
        self.neutrophil_engrafted = (engraftment.neutrophil if engraftment.neutrophil
                                     and engraftment.neutrophil <= self.today else None)
        self.platelet_engrafted = (engraftment.platelet if engraftment.platelet
                                   and engraftment.platelet <= self.today else None)
        self.anc = _series(entries, "anc")
        self.mobilization_starts = [t.on for t in self.journey.transitions if t.phase is Phase.MOBILIZATION]

    # ---- neutropenia ------------------------------------------------------------------------
    def _anc_low(self, index: int) -> bool:
        value = self.anc[index].value
        if value < ANC_THRESHOLD:
            return True
        return value < ANC_FALLING_LIMIT and index > 0 and value < self.anc[index - 1].value

    def _latest_anc_index(self, moment: datetime) -> int | None:
        index = None
        for i, lab in enumerate(self.anc):
            if lab.moment <= moment:
                index = i
        return index

    def neutropenic_at(self, moment: datetime, day: date) -> bool:
        index = self._latest_anc_index(moment)
        if index is not None and self.anc[index].moment >= moment - ANC_LOOKBACK:
            return self._anc_low(index)
        return self.counts_expected_low(day)

    def neutropenic_since(self, moment: datetime) -> bool:
        """An ANC drawn after `moment` (up to now) that shows neutropenia."""
        index = self._latest_anc_index(self.now)
        return index is not None and self.anc[index].moment > moment and self._anc_low(index)

    def counts_expected_low(self, day: date) -> bool:
        span = timedelta(days=COUNTS_LOW_AFTER_MOBILIZATION_DAYS - 1)
        if any(start <= day <= start + span for start in self.mobilization_starts):
            return True
        admitted = self.journey.admitted
        if admitted is None or day < admitted:
            return False
        end = self.neutrophil_engrafted if self.neutrophil_engrafted and self.neutrophil_engrafted >= admitted \
            else self.journey.discharged
        return end is None or day <= end

    def fever_at_home(self, day: date) -> bool:
        """During mobilization (and its 21 days of low counts), or from discharge to Day +100."""
        if self.journey.as_of(day).phase is Phase.MOBILIZATION:
            return True
        span = timedelta(days=COUNTS_LOW_AFTER_MOBILIZATION_DAYS - 1)
        if any(start <= day <= start + span for start in self.mobilization_starts):
            return True
        discharged = self.journey.discharged
        return (discharged is not None and self.day_zero is not None and day >= discharged
                and 0 <= (day - self.day_zero).days <= FEVER_AT_HOME_DAYS)

    def shows(self, entry: LogEntry, duration: timedelta) -> bool:
        return self.now - utc(entry.at) < duration


# ---- the rules ------------------------------------------------------------------------------------

def _fever_alerts(ctx: _Context) -> list[Alert]:
    readings = [(utc(e.at), c, e) for e in ctx.entries
                if e.kind is LogKind.TEMPERATURE and (c := number(e, "celsius")) is not None]
    febrile = [(m, c, e) for m, c, e in readings if c >= FEVER]
    fn: tuple[float, LogEntry] | None = None
    fever: tuple[float, LogEntry] | None = None
    for moment, celsius, entry in febrile:
        if not ctx.shows(entry, FEVER_SHOWS):
            continue
        qualifies = celsius >= FEVER_SINGLE_FN or any(
            TWO_READINGS_MIN <= moment - other <= TWO_READINGS_MAX for other, _c, _e in febrile)
        neutropenic = ctx.neutropenic_at(moment, entry.at.date()) or ctx.neutropenic_since(moment)
        if qualifies and neutropenic:
            fn = (celsius, entry)
        elif ctx.fever_at_home(entry.at.date()):
            fever = (celsius, entry)
    alerts = []
    if fn is not None:
        celsius, entry = fn
        alerts.append(Alert("urgent", "febrile_neutropenia",
                            f"Call your transplant team now: temperature {fmt_num(celsius)} °C at "
                            f"{fmt_moment(entry.at)} while your neutrophils are low (or expected to be low). "
                            "Fever with low neutrophils is an emergency; do not wait until morning.", entry.at))
    elif fever is not None:
        celsius, entry = fever
        alerts.append(Alert("urgent", "fever",
                            f"Call your transplant team now: temperature {fmt_num(celsius)} °C at "
                            f"{fmt_moment(entry.at)}. A fever at this stage needs to be checked today.", entry.at))
    return alerts


def _count_alerts(ctx: _Context) -> list[Alert]:
    alerts: list[Alert] = []
    anc = ctx.anc[-1] if ctx.anc else None
    if anc is not None and anc.value < ANC_THRESHOLD:
        alerts.append(Alert("warning", "neutropenia",
                            f"Neutrophils {fmt_num(anc.value)} ×10⁹/L on {fmt_day(anc.entry.at.date())} are very low: "
                            "take infection precautions (hand hygiene, avoid crowds and sick contacts, food safety), "
                            "check your temperature and call your transplant team at 38.0 °C or above."))
    platelets = _series(ctx.entries, "platelets")
    latest = platelets[-1] if platelets else None
    if latest is not None and latest.value < PLATELETS_URGENT:
        alerts.append(Alert("urgent", "low_platelets",
                            f"Platelets {fmt_num(latest.value)} ×10⁹/L on {fmt_day(latest.entry.at.date())} are "
                            "dangerously low: call your transplant team now; avoid any injury and report bleeding.",
                            latest.entry.at))
    elif latest is not None and latest.value < PLATELETS_LOW:
        alerts.append(Alert("warning", "low_platelets",
                            f"Platelets {fmt_num(latest.value)} ×10⁹/L on {fmt_day(latest.entry.at.date())} are low: "
                            "avoid injury, watch for bleeding or bruising and tell your transplant team."))
    if (latest is not None and ctx.platelet_engrafted is not None and latest.value < PLATELETS_LATE
            and (latest.entry.at.date() - ctx.platelet_engrafted).days > LATE_PLATELETS_AFTER_DAYS):
        alerts.append(Alert("warning", "late_low_platelets",
                            f"Platelets {fmt_num(latest.value)} ×10⁹/L on {fmt_day(latest.entry.at.date())}, more "
                            "than 30 days after they recovered: this can be immune thrombocytopenia after aHSCT. "
                            "Tell your transplant team and discuss with your MS specialist."))
    hb = _series(ctx.entries, "hb")
    if hb and hb[-1].value < HB_LOW:
        alerts.append(Alert("warning", "low_hemoglobin",
                            f"Haemoglobin {fmt_num(hb[-1].value)} g/dL on {fmt_day(hb[-1].entry.at.date())} is low: "
                            "tell your transplant team (you may need a transfusion); rest and avoid exertion."))
    tsh = _series(ctx.entries, "tsh")
    if tsh and not (TSH_RANGE[0] <= tsh[-1].value <= TSH_RANGE[1]):
        alerts.append(Alert("warning", "thyroid",
                            f"TSH {fmt_num(tsh[-1].value)} mIU/L on {fmt_day(tsh[-1].entry.at.date())} is outside "
                            "0.4–4.0: possible thyroid disease, which can follow aHSCT. Ask your team to check your "
                            "thyroid and discuss with your MS specialist."))
    return alerts


def _side_effect_alerts(ctx: _Context) -> list[Alert]:
    latest: dict[str, LogEntry] = {}
    for entry in ctx.entries:
        if entry.kind is not LogKind.SIDE_EFFECT or not ctx.shows(entry, SIDE_EFFECT_SHOWS):
            continue
        name = str(entry.fields.get("name", "other"))
        grade = number(entry, "grade") or 0
        if name == "mucositis" or grade >= 3:
            latest[name] = entry
    alerts = []
    for name, entry in sorted(latest.items(), key=lambda item: utc(item[1].at)):
        grade = number(entry, "grade")
        words = SIDE_EFFECTS.get(name, name)
        if name == "other" and entry.fields.get("note"):
            words = str(entry.fields["note"])
        grade_text = f" (grade {fmt_num(grade)})" if grade is not None else ""
        alerts.append(Alert("warning", "severe_side_effect",
                            f"{words[:1].upper()}{words[1:]}{grade_text} logged on {fmt_day(entry.at.date())}: "
                            "tell your transplant team today so they can treat it."))
    return alerts


def _relapse_alerts(ctx: _Context) -> list[Alert]:
    relapses = [e for e in counted_relapses(ctx.entries) if ctx.shows(e, RELAPSE_SHOWS)]
    if not relapses:
        return []
    alerts = []
    last = relapses[-1]
    alerts.append(Alert("warning", "relapse",
                        f"A relapse was logged on {fmt_day(last.at.date())}: tell your MS team; "
                        "discuss with your MS specialist what it means for you."))
    triggers = [utc(e.at) for e in ctx.entries
                if (e.kind is LogKind.TEMPERATURE and (number(e, "celsius") or 0) >= FEVER)
                or (e.kind is LogKind.SIDE_EFFECT and e.fields.get("name") == "infection")]
    pseudo = [r for r in relapses if "confirmed" not in r.fields
              and any(timedelta(0) <= utc(r.at) - t <= PSEUDO_RELAPSE_AFTER for t in triggers)]
    if pseudo:
        alerts.append(Alert("warning", "possible_pseudo_relapse",
                            f"The relapse logged on {fmt_day(pseudo[-1].at.date())} came within 7 days of a fever or "
                            "an infection. Fever and infection often bring old MS symptoms back for a while "
                            "(a pseudo-relapse). Tell your MS team; they decide whether it is a relapse."))
    return alerts


def _overdue_alerts(ctx: _Context, reminders: Iterable[ReminderView]) -> list[Alert]:
    alerts = []
    for reminder in sorted(reminders, key=lambda r: (r.due, r.id)):
        base = effective_due(reminder.due, reminder.status, reminder.snoozed_until)
        assert ctx.zone is not None
        if is_overdue(reminder.status, base, ctx.now.astimezone(ctx.zone)):
            alerts.append(Alert("warning", "overdue",
                                f"Overdue since {reminder.due.strftime('%Y-%m-%d %H:%M')}: {reminder.title}. "
                                "Mark it done, or snooze it if it has moved."))
    return alerts


def _journey_alerts(ctx: _Context) -> list[Alert]:
    alerts = []
    today = ctx.today
    low, high = ctx.settings.mobilization_days
    transitions = ctx.journey.transitions

    def visible(ended: date | None) -> bool:
        return ended is None or (today - ended).days <= JOURNEY_WARNING_DAYS

    for i, t in enumerate(transitions):
        if t.phase is not Phase.MOBILIZATION:
            continue
        ended = transitions[i + 1].on if i + 1 < len(transitions) else None
        length = ((ended or today) - t.on).days
        if not visible(ended):
            continue
        if length > high:
            alerts.append(Alert("warning", "long_mobilization",
                                f"The mobilization that started on {fmt_day(t.on)} {'lasted' if ended else 'has lasted'} "
                                f"{length} days (usually {low}–{high}): ask your transplant team whether this is expected."))
        elif ended is not None and length < low:
            alerts.append(Alert("warning", "short_mobilization",
                                f"The mobilization that started on {fmt_day(t.on)} lasted {length} days "
                                f"(usually {low}–{high}): check the recorded dates with your transplant team."))
    admitted, discharged = ctx.journey.admitted, ctx.journey.discharged
    low, high = ctx.settings.stay_days
    if admitted is not None and visible(discharged if discharged and discharged >= admitted else None):
        running = discharged is None or discharged < admitted
        length = ((today if running else discharged) - admitted).days
        if length > high or (not running and length < low):
            verb = "has lasted" if running else "lasted"
            alerts.append(Alert("warning", "unusual_stay",
                                f"The hospital stay from {fmt_day(admitted)} {verb} {length} days "
                                f"(expected {low}–{high}): check the recorded dates, and ask your transplant team "
                                "if anything is unclear."))
    return alerts


def compute_alerts(journey: Journey, entries: Iterable[LogEntry], reminders: Iterable[ReminderView],
                   now: datetime, settings: ClinicalSettings = DEFAULT_SETTINGS,
                   engraftment: Engraftment | None = None) -> list[Alert]:
    """The alerts showing at `now` (an aware local moment), urgent first.

    `journey` may be the full journey: it is taken as of `now`'s date. `engraftment` may be passed in
    (dates after `now` are ignored); when None it is computed from the entries as of `now`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime in local time")
    kept = usable(entries, until=now)
    ctx = _Context(journey, kept, now, settings, engraftment)
    alerts = (_fever_alerts(ctx) + _count_alerts(ctx) + _side_effect_alerts(ctx) + _relapse_alerts(ctx)
              + _overdue_alerts(ctx, reminders) + _journey_alerts(ctx))
    return sorted(alerts, key=lambda a: LEVEL_RANK[a.level])
