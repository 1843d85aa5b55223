"""The CalDAV password: MSTRACKER_CALDAV_PASSWORD, else the system keyring, else a prompt.

Never written to the database, a log or the screen. A machine without a usable keyring is no error: the
password then comes from the environment or the prompt, and "remember it" reports False.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlsplit

from ..domain.errors import UserError

ENV = "MSTRACKER_CALDAV_PASSWORD"
SERVICE = "mstracker-caldav"


def _account(url: str, user: str) -> str:
    """One keyring entry per user and server (every calendar on that server shares the password)."""
    parts = urlsplit(url)
    return f"{user}@{parts.scheme}://{parts.netloc}"


def password_for(url: str, user: str, prompt: Callable[[str], str] | None = None) -> tuple[str, str]:
    """(password, where it came from: 'environment' | 'keyring' | 'prompt')."""
    if os.environ.get(ENV):
        return os.environ[ENV], "environment"
    stored = stored_password(url, user)
    if stored:
        return stored, "keyring"
    if prompt is not None:
        typed = prompt(f"Password of {user} at {urlsplit(url).netloc}: ")
        if typed:
            return typed, "prompt"
    raise UserError(f"no password for {user} at {urlsplit(url).netloc}: set {ENV}, or publish once from a "
                    "terminal or the app to type it (it is then kept in the system keyring where there is one)")


def stored_password(url: str, user: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(SERVICE, _account(url, user))
    except Exception:  # no usable keyring on this machine (none, locked, no D-Bus)
        return None


def remember_password(url: str, user: str, password: str) -> bool:
    try:
        import keyring

        keyring.set_password(SERVICE, _account(url, user), password)
        return True
    except Exception:
        return False


def forget_password(url: str, user: str) -> None:
    try:
        import keyring

        keyring.delete_password(SERVICE, _account(url, user))
    except Exception:
        pass
