"""The real Radicale server for the sharing tests."""

from tests.radicale_fixture import radicale  # noqa: F401
