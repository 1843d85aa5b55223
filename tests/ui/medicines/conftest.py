"""A patient in mobilization on the protocol's G-CSF injections (daily at 08:00 from 14 March), with the doses
of the 14th to the 18th recorded taken and the 19th's forgotten; the fake clock at 10:00 on the 20th."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mstracker.services import journeys, medicine_today, medicines, patients
from mstracker.services.context import open_context

GCSF = 1  # the protocol's first course


@pytest.fixture
def on_gcsf(db_path, clock):
    clock.set(datetime(2027, 3, 20, 10, 0))
    ctx = open_context(db_path, clock=clock)
    try:
        pid = patients.add_patient(ctx, "Anna Berg")
        journeys.start_journey(ctx, pid, "beam-atg", date(2027, 3, 10))
        for day in range(14, 19):
            medicines.record_taken(ctx, GCSF, datetime(2027, 3, day, 8, 0), datetime(2027, 3, day, 8, 5))
    finally:
        ctx.close()
    return pid


def doses_now(db_path, clock, pid):
    ctx = open_context(db_path, clock=clock)
    try:
        return medicine_today.today(ctx, pid)
    finally:
        ctx.close()
