"""Stable ids for the FHIR export's resources: name-based UUIDs (version 5), so that two exports of the same
record carry the same ids.

`resource_id(name)` is `str(uuid.uuid5(NAMESPACE, name))` worked out from the hash directly: a ten-year
log's Bundle names 40,000 Observations, and the uuid module's object and its formatting cost four times
the hash itself.
"""

from __future__ import annotations

import hashlib
import uuid

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mstracker:fhir-export")
_HASHED_NAMESPACE = hashlib.sha1(NAMESPACE.bytes, usedforsecurity=False)


def resource_id(name: str) -> str:
    """The version-5 UUID of `name` in the export's namespace, as text (8-4-4-4-12 hex digits)."""
    digest = _HASHED_NAMESPACE.copy()
    digest.update(name.encode("utf-8"))
    raw = bytearray(digest.digest()[:16])
    raw[6] = raw[6] & 0x0F | 0x50  # the version: 5, name-based with SHA-1
    raw[8] = raw[8] & 0x3F | 0x80  # the variant: RFC 4122
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
