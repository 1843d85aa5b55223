"""Who is using the app, and what each kind of user may do: declared once, read by the CLI, the context and the ui.

Light on purpose (no storage engine imported): the app's first paint reads it.
"""

from __future__ import annotations

from enum import StrEnum

from ..domain.errors import ReadOnlyError


class Role(StrEnum):
    PATIENT = "patient"
    CAREGIVER = "caregiver"
    COORDINATOR = "coordinator"

    @property
    def read_only(self) -> bool:
        """Caregivers follow the schedule and the alerts; they never change clinical records."""
        return self is Role.CAREGIVER

    @property
    def edits_protocols(self) -> bool:
        return self is Role.COORDINATOR

    @property
    def sees_dashboard(self) -> bool:
        """The list of every patient in the file is the coordinators' view."""
        return self is Role.COORDINATOR

    @property
    def reach(self) -> int:
        """How much the role may do: a caregiver reads, a patient also writes its own records, a coordinator
        everyone's."""
        return _REACH[self]

    def narrowed_to(self, limit: Role) -> Role:
        """This role, or `limit` where this one would reach further (a clinic server's grant is the limit)."""
        return self if self.reach <= limit.reach else limit

    @classmethod
    def parse(cls, value: str | None) -> Role | None:
        """The role named by `value`, or None when it names none (a stale setting, a typo)."""
        try:
            return cls(value) if value is not None else None
        except ValueError:
            return None


_REACH = {Role.CAREGIVER: 0, Role.PATIENT: 1, Role.COORDINATOR: 2}
ROLE_NAMES: tuple[str, ...] = tuple(role.value for role in Role)


def refuse_if_read_only(readonly: bool, what: str) -> None:
    if readonly:
        raise ReadOnlyError(f"read-only: a caregiver cannot {what}; ask the patient or coordinator")
