"""Protocol files: the shipped ones load; every kind of invalid file is refused with key, line and reason."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from mstracker.domain.errors import UserError
from mstracker.domain.protocol import Drug, ProtocolError, ReminderKind, Unit, find_line, load_protocol

PROTOCOLS = Path(__file__).resolve().parents[2] / "resources" / "protocols"

MINIMAL = """\
name = "test"
title = "Test protocol"
admission_day = -6
expected_discharge_days = [10, 14]
stay_days = [10, 35]

[[conditioning]]
name = "cyclophosphamide"
from_day = -5
to_day = -2

[[plan]]
id = "mri"
title = "Brain MRI (month {n})"
kind = "mri"
anchor = "day0"
months = [6, 12]

[[plan]]
id = "temperature"
title = "Temperature check (evening {k} of {count})"
kind = "custom"
anchor = "discharge"
every_days = 1
first = 0
last = 29
time = "20:00"
"""


def shipped(name: str):
    path = PROTOCOLS / f"{name}.toml"
    return load_protocol(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize(
    ("name", "admission", "discharge", "stay", "drugs"),
    [
        ("cy-atg", -6, (10, 14), (10, 35),
         [("cyclophosphamide", -5, -2), ("rabbit ATG (anti-thymocyte globulin)", -5, -1)]),
        ("beam-atg", -7, (12, 18), (10, 40),
         [("BCNU (carmustine)", -6, -6), ("etoposide", -5, -2), ("cytarabine", -5, -2), ("melphalan", -1, -1),
          ("ATG (anti-thymocyte globulin)", 1, 2)]),
    ],
)
def test_shipped_protocols_load(name, admission, discharge, stay, drugs):
    protocol = shipped(name)
    assert protocol.name == name
    assert protocol.autologous is True
    assert protocol.admission_day == admission
    assert protocol.expected_discharge_days == discharge
    assert protocol.stay_days == stay
    assert protocol.mobilization_days == (5, 15)
    assert [(d.name, d.from_day, d.to_day) for d in protocol.conditioning] == drugs
    assert (protocol.engraftment_run_length, protocol.transfusion_free_days, protocol.edss_confirmation_days) == (3, 7, 168)
    assert (protocol.eligibility_max_age, protocol.eligibility_max_edss, protocol.eligibility_max_disease_years) == (
        45, 5.5, 10)
    assert protocol.source_text == (PROTOCOLS / f"{name}.toml").read_text(encoding="utf-8")
    for item in protocol.plan:
        if item.kind is ReminderKind.VACCINATION:
            assert "ask your team" in item.title


def test_shipped_protocols_share_the_plan():
    assert shipped("cy-atg").plan == shipped("beam-atg").plan


def test_minimal_protocol_defaults():
    protocol = load_protocol(MINIMAL, "t.toml")
    assert protocol.conditioning == (Drug("cyclophosphamide", -5, -2),)
    assert protocol.description == "" and protocol.mobilization_days == (5, 15)
    mri, temperature = protocol.plan
    assert mri.time == time(9, 0) and mri.unit is Unit.MONTHS and mri.steps == (6, 12)
    assert temperature.time == time(20, 0) and temperature.steps == tuple(range(30))
    assert temperature.title_for(2) == "Temperature check (evening 3 of 30)"


def edit(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str, nth: int = 1) -> int:
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if fragment in line]
    return lines[nth - 1]


INVALID = [
    # (case, text, key, line fragment (or None: no line), words in the reason)
    ("syntax error", edit('kind = "mri"', 'kind = "mri'), "", 'kind = "mri', "not valid TOML"),
    ("unknown top-level key", edit("stay_days", "stay_dayz"), "stay_dayz", "stay_dayz", "unknown key"),
    ("unknown plan key", edit('anchor = "day0"', 'anchor = "day0"\nevery = 3'), "plan[0].every", "every = 3",
     "unknown key"),
    ("bad kind", edit('kind = "mri"', 'kind = "scan"'), "plan[0].kind", 'kind = "scan"', "not a reminder kind"),
    ("bad time", edit('time = "20:00"', 'time = "8pm"'), "plan[1].time", 'time = "8pm"', "HH:MM"),
    ("time out of range", edit('time = "20:00"', 'time = "24:30"'), "plan[1].time", "24:30", "HH:MM"),
    ("duplicate id", edit('id = "temperature"', 'id = "mri"'), "plan[1].id", ('id = "mri"', 2), "unique"),
    ("missing plan field", edit('title = "Brain MRI (month {n})"\n', ""), "plan[0].title", ("[[plan]]", 1),
     "required key is missing"),
    ("missing top-level field", edit('name = "test"\n', ""), "name", None, "required key is missing"),
    ("missing drug field", edit("to_day = -2\n", ""), "conditioning[0].to_day", "[[conditioning]]", "missing"),
    ("bad anchor", edit('anchor = "day0"', 'anchor = "admission"'), "plan[0].anchor", 'anchor = "admission"', "not an anchor"),
    ("two recurrences", edit("months = [6, 12]", "months = [6, 12]\ndays = [3]"), "plan[0].days", "days = [3]",
     "exactly one of"),
    ("no recurrence", edit("months = [6, 12]\n", ""), "plan[0]", ("[[plan]]", 1), "exactly one of"),
    ("every_months not positive", edit("every_days = 1", "every_months = 0"), "plan[1].every_months",
     "every_months = 0", "must be a positive whole number"),
    ("every_days not a number", edit("every_days = 1", 'every_days = "1"'), "plan[1].every_days", "every_days",
     "positive whole number"),
    ("open series", edit("last = 29\n", ""), "plan[1]", ("[[plan]]", 2), "needs `last` or `until`"),
    ("last before first", edit("last = 29", "last = -1"), "plan[1].last", "last = -1", "must be from first"),
    ("first on a list", edit("months = [6, 12]", "months = [6, 12]\nfirst = 2"), "plan[0].first", "first = 2",
     "only used with every_days"),
    ("month list repeats", edit("months = [6, 12]", "months = [6, 6]"), "plan[0].months", "months = [6, 6]",
     "listed twice"),
    ("negative month", edit("months = [6, 12]", "months = [-1]"), "plan[0].months", "months = [-1]", "-1"),
    ("unknown placeholder", edit("(month {n})", "(month {m})"), "plan[0].title", "(month {m})",
     "unknown placeholder {m}"),
    ("count of an open series",
     edit("last = 29", 'until = { anchor = "day0", days = 100 }'), "plan[1].title", "evening {k} of {count}",
     "{count}"),
    ("week of months", edit("(month {n})", "(week {week})"), "plan[0].title", "(week {week})", "{week}"),
    ("bad until anchor",
     edit("last = 29", 'until = { anchor = "dc", days = 100 }'), "plan[1].until.anchor", "until =", "not an anchor"),
    ("until without amount", edit("last = 29", 'until = { anchor = "day0" }'), "plan[1].until", "until =",
     "exactly one of days or months"),
    ("unknown key in skip_through",
     edit("months = [6, 12]", 'months = [6, 12]\nskip_through = { anchor = "discharge", weeks = 4 }'),
     "plan[0].skip_through.weeks", "skip_through", "unknown key"),
    ("bad id", edit('id = "mri"', 'id = "Brain MRI"'), "plan[0].id", "Brain MRI", "lower-case"),
    ("bool as number", edit("admission_day = -6", "admission_day = true"), "admission_day", "admission_day",
     "whole number"),
    ("admission after day 0", edit("admission_day = -6", "admission_day = 2"), "admission_day", "admission_day",
     "outside"),
    ("drug before admission", edit("from_day = -5", "from_day = -8"), "conditioning[0].from_day", "from_day = -8",
     "before admission"),
    ("reversed pair", edit("stay_days = [10, 35]", "stay_days = [35, 10]"), "stay_days", "stay_days", "first number"),
    ("bad EDSS limit", edit("stay_days", "eligibility_max_edss = 5.3\nstay_days"), "eligibility_max_edss",
     "eligibility_max_edss", "steps of 0.5"),
    ("conditioning not tables", edit("stay_days = [10, 35]", 'stay_days = [10, 35]\nconditioning = "none"').split(
        "[[conditioning]]")[0], "conditioning", "conditioning =", "must be a list"),
]


@pytest.mark.parametrize(("case", "text", "key", "where", "reason"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_protocol_is_refused_with_key_line_and_reason(case, text, key, where, reason):
    with pytest.raises(ProtocolError) as caught:
        load_protocol(text, "my.toml")
    error = caught.value
    assert isinstance(error, UserError)
    message = str(error)
    assert error.key == key
    assert reason in error.reason
    if where is None:
        assert error.line is None
        assert message.startswith(f"my.toml, {key}: ")
    else:
        fragment, nth = where if isinstance(where, tuple) else (where, 1)
        expected = line_of(text, fragment, nth)
        assert error.line == expected
        assert message.startswith(f"my.toml line {expected}" + (f", {key}: " if key else ": "))


def test_error_message_reads_as_documented():
    text = edit("every_days = 1", "every_months = 0")
    with pytest.raises(ProtocolError, match=re.escape(
            f"my.toml line {line_of(text, 'every_months')}, plan[1].every_months: must be a positive whole number")):
        load_protocol(text, "my.toml")


def test_error_line_of_a_dotted_key():
    text = edit("last = 29", 'until.anchor = "day0"\nuntil.days = "100"')
    with pytest.raises(ProtocolError) as caught:
        load_protocol(text, "my.toml")
    assert caught.value.key == "plan[1].until.days"
    assert caught.value.line == line_of(text, 'until.days')


@pytest.mark.parametrize(
    ("path", "fragment"),
    [(("name",), 'name = "test"'), (("plan", 1, "every_days"), "every_days"), (("plan", 1), ("[[plan]]", 2)),
     (("conditioning", 0, "to_day"), "to_day"), (("nothing",), None)],
)
def test_find_line(path, fragment):
    expected = None if fragment is None else line_of(MINIMAL, *(fragment if isinstance(fragment, tuple) else (fragment,)))
    assert find_line(MINIMAL, path) == expected


def test_local_time_literal_is_accepted():
    assert load_protocol(edit('time = "20:00"', "time = 20:00:00")).plan[1].time == time(20, 0)
