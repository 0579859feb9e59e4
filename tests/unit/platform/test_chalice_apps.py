"""Rules every Chalice app under functions/ keeps so several can share one local process."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
FUNCTIONS = Path(__file__).resolve().parents[3] / "functions"


def test_chalicelib_is_only_imported_at_module_level() -> None:
    """Locally every app is `app` + `chalicelib`; the gateway loads them one after the other,
    so a `chalicelib` import run later, inside a function, would find another app's package."""
    offenders = []
    for path in FUNCTIONS.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                names = []
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    names = [inner.module]
                elif isinstance(inner, ast.Import):
                    names = [a.name for a in inner.names]
                if any(n == "chalicelib" or n.startswith("chalicelib.") for n in names):
                    offenders.append(f"{path.relative_to(FUNCTIONS)}:{inner.lineno}")
    assert offenders == []
