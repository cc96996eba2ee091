"""Stores own their SQL: the HTTP routers and the pages build no query of their own. They ask
a store (``ledger.regio.db``, ``sisa.db``, ``api.trail``, …) and map its answer, so a change of
a table is made in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EDGES = sorted([*(ROOT / "api/http/routers").glob("*.py"), *(ROOT / "api/web").glob("*.py")])
BUILDERS = {"select", "insert", "update", "delete", "text", "func", "and_", "or_", "case"}
QUERYING = {"select", "execute", "exec_driver_sql", "where"}


def _queries_built(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [f"imports {a.name}" for a in node.names if a.name in BUILDERS]
        called = node.func if isinstance(node, ast.Call) else None
        if isinstance(called, ast.Attribute) and called.attr in QUERYING:
            found.append(f"line {node.lineno}: .{called.attr}(…)")
    return found


def test_the_edges_are_there():
    assert len(EDGES) > 15


@pytest.mark.parametrize("path", EDGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_route_or_page_builds_no_query(path: Path):
    assert _queries_built(path) == [], f"{path.relative_to(ROOT)}: SQL belongs in a store"
