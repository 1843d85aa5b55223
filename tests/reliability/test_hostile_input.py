"""Hostile input (hypothesis): every importer and parser answers a UserError or a value — never another
exception — and a refused import leaves the database exactly as it was."""

from __future__ import annotations

import copy
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mstracker.domain.dates import parse_date, parse_local_moment
from mstracker.domain.entries import LogKind, parse_assignments, validate_fields
from mstracker.domain.errors import UserError
from mstracker.domain.phases import Phase
from mstracker.domain.protocol import Protocol, load_protocol
from mstracker.services import journeys, logbook, patients, transfer
from mstracker.services.context import open_context

NOW = datetime(2027, 6, 20, 10, 0)
PROTOCOL_TEXT = (Path(__file__).parents[2] / "resources" / "protocols" / "cy-atg.toml").read_text()


def _examples(default: int) -> int:
    """MSTRACKER_FUZZ_EXAMPLES=5000 for a longer hunt."""
    return int(os.environ.get("MSTRACKER_FUZZ_EXAMPLES", default))


FUZZ = settings(deadline=None, max_examples=_examples(150), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])

# ---- building blocks --------------------------------------------------------------------------------
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "2027-02-30", "2027-13-01", "0000-01-01", "2027-06-05T07:00", "2027-06-05T07:00:00",
                     "2027-06-05T25:00:00+00:00", "9999-12-31T23:59:59+14:00", "-1", "1e400", "NaN", "lab",
                     "transition", "amend", "retract", "bogus_kind", "mobilization", "\x00", "é" * 300]),
)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


def _paths(node, prefix=()):
    """Every place in a JSON tree: (path to the container, key or index)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix, key
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield prefix, i
            yield from _paths(value, prefix + (i,))


def _at(node, path):
    for step in path:
        node = node[step]
    return node


@st.composite
def mutated(draw, valid: dict):
    """A valid export with 1–3 hostile changes: keys dropped, values of the wrong type, bad dates, unknown
    kinds, references to events that do not exist."""
    data = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, 3))):
        places = list(_paths(data))
        if not places:
            break
        where, key = draw(st.sampled_from(places))
        parent = _at(data, where)
        action = draw(st.sampled_from(["drop", "replace", "replace", "reference", "kind"]))
        if action == "drop":
            del parent[key]
        elif action == "reference" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["supersedes", "entry_id", "id"]))] = draw(st.integers(-5, 10_000))
        elif action == "kind" and isinstance(parent, dict):
            parent["kind"] = draw(st.sampled_from(["bogus", "lab", "transition", "plan", "amend", "retract",
                                                   "reminder_done", "import", "note", ""]))
        else:
            parent[key] = draw(json_values)
    return data


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def source(tmp_path):
    """A context with one rich patient, and that patient's valid export."""
    db = tmp_path / "fuzz.sqlite3"
    ctx = open_context(str(db), role="coordinator", clock=lambda: NOW)
    pid = patients.add_patient(ctx, "Anna Example", date(1990, 4, 2), date(2019, 1, 10), "rrms")
    journeys.start_journey(ctx, pid, "cy-atg", date(2027, 3, 1), Phase.MOBILIZATION)
    journeys.advance(ctx, pid, Phase.CELLS_STORED, date(2027, 3, 12))
    journeys.plan(ctx, pid, Phase.TRANSPLANT, date(2027, 5, 31))
    journeys.advance(ctx, pid, Phase.CONDITIONING, date(2027, 5, 25))
    journeys.amend_transition(ctx, pid, Phase.CONDITIONING, date(2027, 5, 26))
    lab = logbook.log(ctx, pid, "lab", datetime(2027, 6, 5, 7, 0), {"anc": "0.2", "platelets": "15"})
    logbook.amend(ctx, lab, datetime(2027, 6, 5, 8, 0), {"platelets": "18"})
    temp = logbook.log(ctx, pid, "temperature", datetime(2027, 6, 6, 21, 30), {"celsius": "38.4"})
    logbook.retract(ctx, temp, "entered in error")
    logbook.log(ctx, pid, "side_effect", datetime(2027, 6, 7, 9, 0), {"name": "mucositis", "grade": "2"})
    yield ctx, db, transfer.export_data(ctx, pid)
    ctx.close()


# ---- JSON import ----------------------------------------------------------------------------------
def test_the_unmutated_export_imports(source):
    ctx, _db, valid = source
    assert transfer.import_data(ctx, valid) > 0


@FUZZ
@given(data=st.data())
def test_mutated_imports_are_refused_cleanly(source, data):
    ctx, db, valid = source
    hostile = data.draw(mutated(valid))
    before = _dump(db)
    try:
        transfer.import_data(ctx, hostile)
    except UserError as exc:
        assert str(exc), "a refusal says why"
        assert _dump(db) == before, "a refused import changed the database"


@FUZZ
@given(doc=json_values)
def test_arbitrary_json_is_refused_cleanly(source, doc):
    ctx, db, _valid = source
    before = _dump(db)
    with pytest.raises(UserError):
        transfer.import_data(ctx, doc)
    assert _dump(db) == before


@FUZZ
@given(raw=st.binary(max_size=200))
def test_arbitrary_files_are_refused_cleanly(source, tmp_path_factory, raw):
    ctx, db, _valid = source
    path = tmp_path_factory.mktemp("import") / "hostile.json"
    path.write_bytes(raw)
    before = _dump(db)
    with pytest.raises(UserError):
        transfer.import_file(ctx, path)
    assert _dump(db) == before


# ---- protocol files ---------------------------------------------------------------------------------
@st.composite
def protocol_texts(draw):
    lines = PROTOCOL_TEXT.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "value", "line", "duplicate"]))
        if action == "drop":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            value = draw(st.sampled_from(['""', "-999999", "1e309", "nan", "true", '"x"', "[]", "[1, 2, 3]",
                                          "{}", '"2027-02-30"', "0", "99999999999999999999", '"\\u0000"']))
            lines[i] = f"{key}= {value}"
        else:
            lines[i] = draw(st.text(max_size=40))
        if not lines:
            break
    return "\n".join(lines)


@settings(deadline=None, max_examples=_examples(400))
@given(text=protocol_texts())
def test_mutated_protocol_files(text):
    try:
        assert isinstance(load_protocol(text, "hostile.toml"), Protocol)
    except UserError as exc:
        assert str(exc)


@settings(deadline=None, max_examples=_examples(200))
@given(text=st.text(max_size=300))
def test_arbitrary_protocol_text(text):
    try:
        load_protocol(text, "hostile.toml")
    except UserError:
        pass


# ---- CLI field values and dates -------------------------------------------------------------------
field_names = st.sampled_from(["celsius", "anc", "wbc", "platelets", "hb", "cd4", "severity", "grade", "name",
                               "note", "text", "score", "new_t2", "gd_enhancing", "product", "confirmed",
                               "bogus", ""])
field_values = st.one_of(st.text(max_size=20), st.sampled_from(
    ["37.5", "48", "-3", "nan", "inf", "-inf", "1e400", "7.3", "3.5", "0x10", "1_000", " 37 ", "٣٧", "yes", "no",
     "mucositis", "gvhd", "other", "platelets", "", "1" * 400]))


@settings(deadline=None, max_examples=_examples(500))
@given(kind=st.sampled_from(list(LogKind)), fields=st.dictionaries(field_names, field_values, max_size=4),
       partial=st.booleans(), gvhd=st.booleans())
def test_field_values(kind, fields, partial, gvhd):
    try:
        values = validate_fields(kind, fields, partial=partial, gvhd_allowed=gvhd)
    except UserError:
        return
    assert set(values) == set(fields)


@settings(deadline=None, max_examples=_examples(300))
@given(words=st.lists(st.text(max_size=15), max_size=5))
def test_field_assignments(words):
    try:
        parsed = parse_assignments(words)
    except UserError:
        return
    assert len(parsed) == len(words)


dates_text = st.one_of(st.text(max_size=20), st.sampled_from(
    ["2027-02-29", "2028-02-29", "2027-06-20T24:00", "2027-06-20T23:60", "2027-06-20 10:00", "2027-6-2",
     "+2027-06-20", "２０２７-06-20", "2027-06-20T10:00Z", "0000-00-00", "9999-12-31T23:59", "2027-03-28T01:30"]))


@settings(deadline=None, max_examples=_examples(500))
@given(text=dates_text)
def test_dates(text):
    for parse in (parse_date, parse_local_moment):
        try:
            parse(text, "--on")
        except UserError:
            pass
