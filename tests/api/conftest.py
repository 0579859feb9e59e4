"""The Chalice apps, loaded from functions/ the way Lambda loads them, on the test stack."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.settings import Settings
from workflow_client import Session

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


def chalice_client(source_dir: str) -> Iterator[Client]:
    """A test client of one Chalice app under functions/, on the test stack."""
    with Client(load_chalice_app(source_dir), stage_name="local") as client:
        yield client


@pytest.fixture
def field_reporting_client(stack: Settings) -> Iterator[Client]:
    yield from chalice_client("field_reporting/api")


@pytest.fixture
def identity_client(stack: Settings) -> Iterator[Client]:
    yield from chalice_client("identity/api")


@pytest.fixture
def cameras_client(stack: Settings) -> Iterator[Client]:
    yield from chalice_client("cameras/api")


@pytest.fixture
def socio_economic_client(stack: Settings) -> Iterator[Client]:
    yield from chalice_client("socio_economic/api")


@pytest.fixture
def overview_client(stack: Settings) -> Iterator[Client]:
    yield from chalice_client("platform/api")


@pytest.fixture
def integration_client(stack: Settings) -> Iterator[Client]:
    yield from chalice_client("integration/api")


@pytest.fixture
def session(
    field_reporting_client: Client, identity_client: Client, caplog: pytest.LogCaptureFixture
) -> Session:
    """Signed-in requests as the gateway routes them (sign-in to identity's API, the rest to
    Field Reporting's)."""
    return Session(field_reporting_client, caplog, identity_client)


@pytest.fixture
def api_key(stack: Settings) -> str:
    from ioc_core.field_reporting.wiring import api_keys

    return api_keys().create("tests")


@pytest.fixture
def bearer(stack: Settings) -> Callable[[str], dict[str, str]]:
    """``bearer("operator")``: headers of a signed-in staff member with that role."""
    from ioc_core.identity.wiring import dev_idp

    def headers(role: str) -> dict[str, str]:
        provider = dev_idp()
        assert provider is not None
        tokens = provider.issue(f"{role}-1", f"{role}.test", [role])
        return {"Authorization": f"Bearer {tokens.access_token}", "Content-Type": "application/json"}

    return headers
