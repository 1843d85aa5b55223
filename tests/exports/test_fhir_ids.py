"""The FHIR export's resource ids: the name-based UUIDs of the uuid module, worked out faster."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from mstracker.exports.fhir_ids import NAMESPACE, resource_id


@given(st.text(st.characters(blacklist_categories=("Cs",))))  # any name a resource can have (no lone surrogates)
def test_the_same_ids_as_uuid5(name):
    assert resource_id(name) == str(uuid.uuid5(NAMESPACE, name))


def test_ids_already_published_stay_the_same():
    # An export's ids are what a receiving system matches the next export against: they never change.
    assert NAMESPACE == uuid.UUID("e7902514-7948-5423-873b-0b4eee496f94")
    assert resource_id("1/Patient") == "b9d35b8d-e7a8-5fa0-a499-320ee8fcb1e3"
    parsed = uuid.UUID(resource_id("7/Observation/12/celsius"))
    assert (parsed.version, parsed.variant) == (5, uuid.RFC_4122)
