"""Optionally keeping a database's passphrase in the OS keyring (`keyring`), for the app's "remember it".

Every call tolerates a machine without a keyring (no Secret Service, a locked one): remembering then
reports False and nothing is stored, so the user is simply asked again next time. Scripts use
MSTRACKER_PASSPHRASE instead.
"""

from __future__ import annotations

from ..storage.engine import resolve_target

SERVICE = "mstracker"


def _account(target: str) -> str:
    """One entry per database: its resolved file path (or server URL without a password)."""
    t = resolve_target(target)
    return str(t.path) if t.path is not None else t.describe()


def stored_passphrase(target: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(SERVICE, _account(target))
    except Exception:  # no usable keyring on this machine: ask instead
        return None


def remember_passphrase(target: str, passphrase: str) -> bool:
    try:
        import keyring

        keyring.set_password(SERVICE, _account(target), passphrase)
        return True
    except Exception:
        return False


def forget_passphrase(target: str) -> None:
    try:
        import keyring

        keyring.delete_password(SERVICE, _account(target))
    except Exception:
        pass
