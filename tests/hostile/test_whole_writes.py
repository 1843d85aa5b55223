"""Issue 19, finding 3: a command that writes many patients writes all of them or none."""

from __future__ import annotations

import pytest

from mstracker.domain.errors import UserError
from tests.cli.conftest import assert_refused, ok


def _patients(cli) -> list[str]:
    return ok(cli("patient", "list")).strip().splitlines()


@pytest.mark.parametrize("on", ["9999-12-31", "2200-12-31", "1900-01-01"])
def test_a_demo_refused_part_way_writes_nothing(cli, on):
    ok(cli("patient", "add", "--name", "Someone"))
    assert_refused(cli("demo", "--on", on), "1900")
    assert len(_patients(cli)) == 1


def test_a_failure_at_the_fifth_patient_rolls_back_the_first_four(cli, monkeypatch):
    from mstracker.services import demo

    real = demo._create
    made = []

    def failing(ctx, sample, on):
        if len(made) == 4:
            raise UserError("refused on purpose")
        made.append(real(ctx, sample, on))
        return made[-1]

    monkeypatch.setattr(demo, "_create", failing)
    ok(cli("patient", "add", "--name", "Someone"))
    assert_refused(cli("demo"), "on purpose")
    assert len(made) == 4
    assert len(_patients(cli)) == 1
    assert ok(cli("db", "check")).strip() == "sound"


def test_the_demo_still_writes_nine_patients(cli):
    assert len(ok(cli("demo")).split()) == 9
    assert len(_patients(cli)) == 9
