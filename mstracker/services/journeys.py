"""Starting a journey and recording its phases, planned dates and corrections."""

from __future__ import annotations

from datetime import date, datetime, time

from ..domain import journey as rules
from ..domain.journey import Journey
from ..domain.limits import REASON_MAX, check_day, check_text
from ..domain.phases import Phase
from ..storage import repository as repo
from .context import AppContext
from .protocols import read_protocol
from .records import UNDO_REASON, check_not_future, load_journey, record, refresh, require_patient


def _noon(ctx: AppContext, on: date) -> datetime:
    return ctx.local(datetime.combine(on, time(12, 0)))


def start_journey(ctx: AppContext, patient_id: int, protocol_name: str, on: date,
                  phase: Phase = Phase.MOBILIZATION) -> Journey:
    ctx.require_write("start a journey")
    check_day(on, "the start date")
    protocol, text = read_protocol(protocol_name)
    check_not_future(datetime.combine(on, time()), ctx.today(), "the start date")
    with ctx.db.writing() as s:
        require_patient(s, patient_id)
        rules.check_start(load_journey(s, patient_id), phase, on)
        repo.insert_journey(s, patient_id=patient_id, protocol_name=protocol.name, protocol_text=text, now=ctx.now())
        record(ctx, s, patient_id, "start", _noon(ctx, on),
               {"phase": phase.value, "on": on.isoformat(), "protocol": protocol.name})
        return refresh(s, patient_id)


def advance(ctx: AppContext, patient_id: int, phase: Phase, on: date, reason: str | None = None) -> Journey:
    ctx.require_write("record a phase")
    check_day(on, "the date")
    if reason is not None and reason.strip():
        reason = check_text(reason, "the reason", REASON_MAX)
    check_not_future(datetime.combine(on, time()), ctx.today(), "the date")
    with ctx.db.writing() as s:
        require_patient(s, patient_id)
        rules.check_advance(load_journey(s, patient_id), phase, on)
        payload = {"phase": phase.value, "on": on.isoformat()}
        if reason:
            payload["reason"] = reason.strip()
        record(ctx, s, patient_id, "transition", _noon(ctx, on), payload)
        return refresh(s, patient_id)


def plan(ctx: AppContext, patient_id: int, phase: Phase, on: date) -> Journey:
    ctx.require_write("plan a date")
    check_day(on, "the planned date")
    with ctx.db.writing() as s:
        require_patient(s, patient_id)
        journey = load_journey(s, patient_id)
        if not journey.started:
            from ..domain.errors import UserError

            raise UserError("start the journey first (`journey start`), then plan its dates")
        rules.check_plan(journey, phase, on)
        record(ctx, s, patient_id, "plan", _noon(ctx, on), {"phase": phase.value, "on": on.isoformat()})
        return refresh(s, patient_id)


def amend_transition(ctx: AppContext, patient_id: int, phase: Phase, on: date) -> Journey:
    ctx.require_write("correct a phase date")
    check_day(on, "the date")
    check_not_future(datetime.combine(on, time()), ctx.today(), "the date")
    with ctx.db.writing() as s:
        require_patient(s, patient_id)
        target = rules.check_amend(load_journey(s, patient_id), phase, on)
        record(ctx, s, patient_id, "transition_amend", _noon(ctx, on),
               {"phase": phase.value, "on": on.isoformat(), "was": target.on.isoformat()}, supersedes=target.event_id)
        return refresh(s, patient_id)


def undo_transition(ctx: AppContext, patient_id: int, reason: str) -> Journey:
    ctx.require_write("undo a phase")
    from ..domain.errors import UserError

    if not (reason or "").strip():
        raise UserError("say why the transition is undone with --reason \"entered in error\"")
    reason = check_text(reason, "the reason", REASON_MAX)
    with ctx.db.writing() as s:
        require_patient(s, patient_id)
        target = rules.check_undo(load_journey(s, patient_id))
        record(ctx, s, patient_id, "transition_undo", ctx.now(),
               {"phase": target.phase.value, "on": target.on.isoformat(), "reason": reason.strip()},
               supersedes=target.event_id)
        return refresh(s, patient_id)


def undo_advance(ctx: AppContext, patient_id: int) -> Journey:
    """Takes back `advance` just made: the transition is retracted, its reason saying it was undone."""
    return undo_transition(ctx, patient_id, UNDO_REASON)


def journey_of(ctx: AppContext, patient_id: int) -> Journey:
    with ctx.db.reading() as s:
        require_patient(s, patient_id)
        return load_journey(s, patient_id)
