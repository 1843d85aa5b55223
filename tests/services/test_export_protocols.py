"""Exports name each journey's own protocol, even where a centre changed the protocol between two journeys
(the parsed protocols are shared between exports of one process)."""

from __future__ import annotations

import json

import pytest

from mstracker.domain.protocol import ProtocolError
from mstracker.services import protocols, transfer
from mstracker.services.context import open_context
from mstracker.services.exporting import _protocol


def _leeds(title: str) -> str:
    _, text = protocols.read_protocol("cy-atg")
    text = text.replace('name = "cy-atg"', 'name = "cy-atg-leeds"', 1)
    return text.replace('title = "Cyclophosphamide and ATG (non-myeloablative)"', f'title = "{title}"', 1)


def _start(cli, name: str) -> None:
    pid = cli("patient", "add", "--name", name).out.strip()
    assert cli("journey", "start", pid, "--protocol", "cy-atg-leeds", "--on", "2027-03-01").code == 0


def _careplan_title(path) -> str:
    bundle = json.loads(path.read_bytes())
    return next(e["resource"]["title"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan")


def test_a_changed_protocol_is_read_again(cli, tmp_path):
    protocols.save_protocol_text("cy-atg-leeds", _leeds("Leeds, 2026 edition"))
    _start(cli, "Ann")
    protocols.save_protocol_text("cy-atg-leeds", _leeds("Leeds, 2027 edition"))  # same name, new text
    _start(cli, "Ben")
    ctx = open_context(str(cli.db), role="coordinator")
    try:
        first = transfer.export_all(ctx, "fhir", tmp_path / "first", workers=1)  # in this process: one cache
        again = transfer.export_all(ctx, "fhir", tmp_path / "again", workers=1)
    finally:
        ctx.close()
    titles = [_careplan_title(path) for path in first]
    assert titles == ["aHSCT for multiple sclerosis: Leeds, 2026 edition",
                      "aHSCT for multiple sclerosis: Leeds, 2027 edition"]
    assert [_careplan_title(path) for path in again] == titles


def test_a_protocol_that_no_longer_parses_is_named_with_its_patient():
    with pytest.raises(ProtocolError, match=r"journey of patient 7 \(cy-atg-old\)"):
        _protocol(7, "cy-atg-old", 'name = "cy-atg-old"\ntitle = [')
