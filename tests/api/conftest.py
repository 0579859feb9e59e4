"""The Chalice apps, loaded from functions/ the way Lambda loads them, on the test stack."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.settings import Settings

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def load_chalice_app(source_dir: str) -> Any:
    """Import ``functions/<source_dir>/app.py`` fresh (apps share the names app/chalicelib)."""
    for name in [m for m in sys.modules if m == "app" or m == "chalicelib" or m.startswith("chalicelib.")]:
        del sys.modules[name]
    path = str(FUNCTIONS / source_dir)
    sys.path.insert(0, path)
    try:
        import app as module  # type: ignore[import-not-found]
    finally:
        sys.path.remove(path)
    return module.app


@pytest.fixture
def field_reporting_client(stack: Settings) -> Iterator[Client]:
    app = load_chalice_app("field_reporting/api")
    with Client(app, stage_name="local") as client:
        yield client


@pytest.fixture
def identity_client(stack: Settings) -> Iterator[Client]:
    app = load_chalice_app("identity/api")
    with Client(app, stage_name="local") as client:
        yield client


@pytest.fixture
def overview_client(stack: Settings) -> Iterator[Client]:
    app = load_chalice_app("platform/api")
    with Client(app, stage_name="local") as client:
        yield client


@pytest.fixture
def api_key(stack: Settings) -> str:
    from ioc_core.field_reporting.wiring import api_keys

    return api_keys().create("tests")
