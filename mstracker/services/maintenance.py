"""Backups, restore, integrity checks and encryption."""

from __future__ import annotations

from pathlib import Path

from ..domain.errors import UserError
from .context import AppContext


def backup(ctx: AppContext, out: Path) -> Path:
    return ctx.db.backup_to(out)


def restore(ctx: AppContext, source: Path) -> Path:
    raise UserError("restore is not available in this version yet")


def check(ctx: AppContext) -> str:
    raise UserError("db check is not available in this version yet")


def encrypt(ctx: AppContext) -> None:
    raise UserError("db encrypt is not available in this version yet")


def rekey(ctx: AppContext) -> None:
    raise UserError("db rekey is not available in this version yet")
