"""The cameras API on the test stack, and staff tokens from the local identity provider."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.settings import Settings


def _load_app(source_dir: str) -> Any:
    """tests/api/conftest.py's loader (conftest modules cannot be imported by name)."""
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("ioc_api_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load_chalice_app(source_dir)


@pytest.fixture
def cameras_client(stack: Settings) -> Iterator[Client]:
    app = _load_app("cameras/api")
    with Client(app, stage_name="local") as client:
        yield client


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
