"""The deliveries' repository contract on the in-memory fakes (the fakes the domain tests use)."""

from __future__ import annotations

import pytest
from delivery_fakes import InMemoryAttempts, InMemoryDeliveries, InMemorySubscriptions

from contracts.deliveries import DeliveryStoresContract, Outbox, Stores

pytestmark = pytest.mark.unit


@pytest.fixture
def subscriptions() -> InMemorySubscriptions:
    return InMemorySubscriptions()


@pytest.fixture
def stores(subscriptions: InMemorySubscriptions) -> Stores:
    return subscriptions, InMemoryDeliveries(), InMemoryAttempts()


@pytest.fixture
def outbox(subscriptions: InMemorySubscriptions) -> Outbox:
    return lambda: [e.short_type for e in subscriptions.outbox]


class TestInMemoryDeliveryStores(DeliveryStoresContract):
    pass
