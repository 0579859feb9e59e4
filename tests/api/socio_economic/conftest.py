"""The socio-economic API's client and its staff: ``person("tckh", "unit_staff@TCKH")``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from chalice.test import Client

from ioc_core.settings import Settings

Person = Callable[[str, str], dict[str, str]]


@pytest.fixture
def client(socio_economic_client: Client) -> Client:
    return socio_economic_client


@pytest.fixture
def person(stack: Settings) -> Person:
    """``person("tckh", "unit_staff@TCKH")``: a named staff member holding one grant."""
    from ioc_core.identity.wiring import dev_idp

    def headers(username: str, grant: str) -> dict[str, str]:
        provider = dev_idp()
        assert provider is not None
        tokens = provider.issue(f"sub-{username}", username, [grant])
        return {"Authorization": f"Bearer {tokens.access_token}", "Content-Type": "application/json"}

    return headers
