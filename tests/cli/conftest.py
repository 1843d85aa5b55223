"""Helpers for the command-line tests: database dumps and a patient walked to a phase."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.radicale_fixture import radicale  # noqa: F401

# The dates a patient walked through every phase reaches each phase on (the worked example of docs/clinical-rules.md:
# Day 0 2027-05-31, discharge 2027-06-16).
WALK: list[tuple[str, str]] = [
    ("assessment", "2027-02-01"), ("mobilization", "2027-03-01"), ("cells_stored", "2027-03-12"),
    ("conditioning", "2027-05-25"), ("transplant", "2027-05-31"), ("immune_rebuild", "2027-06-16"),
    ("follow_up", "2027-06-18"), ("completed", "2027-06-19"),
]


def dump(db: Path) -> list[str]:
    """Every table's content as SQL, to compare a database before and after a refused command."""
    con = sqlite3.connect(str(db))
    try:
        return list(con.iterdump())
    finally:
        con.close()


_TEMPLATES: dict[str, tuple[Path, Any]] = {}


def copy_db(source: Path, target: Path) -> None:
    """A whole database through SQLite's backup API (it carries what is still in the WAL file)."""
    with closing(sqlite3.connect(str(source))) as src, closing(sqlite3.connect(str(target))) as dst:
        src.backup(dst)


def from_template(cli, key: str, build: Callable[[], Any], folder: Path) -> Any:
    """Build a database through the CLI once per test session, then give each test its own copy of it.
    Returns what `build` returned."""
    if key not in _TEMPLATES:
        value = build()
        template = folder / f"template-{key}.sqlite3"
        copy_db(cli.db, template)
        _TEMPLATES[key] = (template, value)
        return value
    template, value = _TEMPLATES[key]
    copy_db(template, cli.db)
    return value


def assert_refused(result, *words: str) -> str:
    """Exit 2 with exactly one `error: ` line; returns the line."""
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def ok(result) -> str:
    assert result.code == 0, (result.code, result.out, result.err)
    return result.out


@pytest.fixture
def walk(cli):
    """`walk(phase, name=..., protocol=...)`: a new patient taken through the phases up to `phase`; returns its id."""

    def run(phase: str, name: str = "Test Patient", protocol: str = "cy-atg", *, withdrawn_from: str | None = None) -> int:
        pid = int(ok(cli("patient", "add", "--name", name)).strip())
        stop = withdrawn_from or phase
        for i, (step, on) in enumerate(WALK):
            if i == 0:
                ok(cli("journey", "start", pid, "--protocol", protocol, "--on", on, "--phase", "assessment"))
            else:
                ok(cli("journey", "advance", pid, step, "--on", on))
            if step == stop:
                break
        if phase == "withdrawn":
            ok(cli("journey", "advance", pid, "withdrawn", "--on", "2027-06-19", "--reason", "moved away"))
        return pid

    return run
