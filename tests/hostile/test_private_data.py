"""Issue 19, finding 6: under umask 022 nothing in the data folder is readable by others, and the log says
what failed and where — never a command line, a clinical value or a name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mstracker.cli import main
from mstracker.services.places import data_dir

SHIPPED = Path(__file__).parents[2] / "resources" / "protocols" / "cy-atg.toml"


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _run(*args: str) -> int:
    return main([str(a) for a in args])


def _open_to_others(folder: Path) -> list[str]:
    found = []
    for path in [folder, *folder.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_IMODE(mode) & 0o077:
            found.append(f"{path.relative_to(folder)} {stat.filemode(mode)}")
    return found


def test_nothing_in_the_data_folder_is_readable_by_others(umask_022, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    assert _run("patient", "add", "--name", "Anna Example") == 0
    assert _run("journey", "start", "1", "--protocol", "cy-atg", "--on", "2027-03-01") == 0
    assert _run("log", "1", "temperature", "--at", "2027-06-19T20:00", "celsius=37.9") == 0
    assert _run("protocol", "import", SHIPPED, "--replace") == 0  # protocols/ and backups/
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-21T10:00")
    assert _run("status", "1") == 0  # the next day's daily backup
    monkeypatch.setattr("mstracker.services.status.status", _failing)
    assert _run("status", "1") == 1  # logs/mstracker.log
    monkeypatch.setenv("MSTRACKER_PASSPHRASE", "correct horse battery staple")
    assert _run("db", "encrypt") == 0  # lock files, the encrypted backups
    assert _run("status", "1") == 1
    folder = data_dir()
    names = {p.name for p in folder.rglob("*")}
    assert {"mstracker.sqlite3", "backups", "logs", "mstracker.log", "protocols"} <= names
    assert any(n.endswith(".writers") for n in names) and any(n.endswith(".lock") for n in names)
    assert len(list((folder / "backups").glob("*.sqlite3"))) >= 2
    assert _open_to_others(folder) == []
    capsys.readouterr()


def _failing(*_args, **_kwargs):
    raise ValueError("celsius=37.9 out of range for Anna Example; input_value='Anna Example'")


def test_the_log_holds_no_command_line_value_or_name(umask_022, monkeypatch, capsys):
    monkeypatch.setenv("MSTRACKER_NOW", "2027-06-20T10:00")
    assert _run("patient", "add", "--name", "Anna Example") == 0
    monkeypatch.setattr("mstracker.services.logbook.log", _failing)
    assert _run("log", "1", "temperature", "--at", "2027-06-19T20:00", "celsius=37.9") == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    text = (data_dir() / "logs" / "mstracker.log").read_text(encoding="utf-8")
    assert "mstracker log: ValueError" in text and "cli.py" in text  # what failed, and where
    for secret in ("37.9", "Anna", "celsius", "2027-06-19"):
        assert secret not in text, secret
