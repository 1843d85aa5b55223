"""No widget or operation of the desktop app reaches into the database: every service call goes through the
runner, and where the data are is asked of the session. A reader can trust `grep` on that."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).parents[2] / "mstracker" / "ui"
# The session holds the context; the PDF's child process is handed the same database; the start (app.py,
# startup/) opens it.
ALLOWED = {"core/session.py", "core/pdf_process.py", "app.py"}
ALLOWED_FUNCTIONS: set[tuple[str, str]] = set()  # (module, function) that may, should one ever need to


def _modules():
    for path in sorted(UI.rglob("*.py")):
        name = path.relative_to(UI).as_posix()
        if name in ALLOWED or name.startswith("startup/"):
            continue
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def _reaches(tree: ast.AST, name: str) -> list[str]:
    found = []
    functions = {node: node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    for function, fname in [*functions.items(), (tree, "")]:
        if (name, fname) in ALLOWED_FUNCTIONS:
            continue
        body = function.body if function is not tree else [n for n in tree.body if not isinstance(n, ast.FunctionDef)]
        for node in (n for stmt in body for n in ast.walk(stmt)):
            if isinstance(node, ast.Attribute) and node.attr == "db":
                found.append(f"{name}:{node.lineno} .db")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("reading", "writing"):
                found.append(f"{name}:{node.lineno} .{node.func.attr}()")
    return found


def test_no_module_of_the_ui_opens_the_database_itself():
    found = sorted({hit for name, tree in _modules() for hit in _reaches(tree, name)})
    assert found == []


def test_the_guard_finds_a_database_call():
    tree = ast.parse("def refresh(self):\n    with self.ctx.db.reading() as s:\n        pass\n")
    assert sorted(set(_reaches(tree, "x.py"))) == ["x.py:2 .db", "x.py:2 .reading()"]
