"""The optional OS keyring for passphrases: used when there is one, harmless when there is none."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from mstracker.services import maintenance, patients
from mstracker.services.context import open_context
from mstracker.services.passphrases import forget_passphrase, remember_passphrase, stored_passphrase


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def test_remembered_passphrase_opens_and_follows_a_rekey(tmp_path, memory_keyring):
    db = tmp_path / "kept.sqlite3"
    ctx = open_context(str(db), passphrase="first")
    patients.add_patient(ctx, "Anna Example")
    assert remember_passphrase(str(db), "first")
    assert stored_passphrase(str(tmp_path / "." / "kept.sqlite3")) == "first"  # one entry per file
    maintenance.rekey(ctx, "second")
    ctx.close()
    assert stored_passphrase(str(db)) == "second"
    ctx = open_context(str(db), passphrase=stored_passphrase(str(db)))
    assert [p.name for p in patients.list_patients(ctx)] == ["Anna Example"]
    ctx.close()
    forget_passphrase(str(db))
    assert stored_passphrase(str(db)) is None


def test_no_keyring_on_this_machine_is_harmless(tmp_path):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert remember_passphrase(str(tmp_path / "x.sqlite3"), "secret") is False
        assert stored_passphrase(str(tmp_path / "x.sqlite3")) is None
        forget_passphrase(str(tmp_path / "x.sqlite3"))
    finally:
        keyring.set_keyring(previous)
