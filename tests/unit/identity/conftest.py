"""The dev identity provider on an in-memory store, as the identity unit tests take it."""

from __future__ import annotations

import pytest

from fakes import PhoneResidents, dev_idp_config
from ioc_core.identity.adapters import InMemoryDevIdpStore
from ioc_core.identity.dev_idp import DevIdentityProvider


@pytest.fixture
def idp() -> DevIdentityProvider:
    return DevIdentityProvider(dev_idp_config(), InMemoryDevIdpStore(), PhoneResidents())
