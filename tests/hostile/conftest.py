"""The command-line helpers (a patient walked to a phase) for these tests too."""

from tests.cli.conftest import walk  # noqa: F401  (a fixture)
