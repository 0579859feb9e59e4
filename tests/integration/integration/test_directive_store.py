"""The directives' store on moto: the contract (PynamoDB, the outbox in the same transaction)."""

from __future__ import annotations

import pytest

from contracts.directive_store import DirectiveStoreContract, Outbox
from ioc_core.integration.adapters.directives import MODELS, DynamoDirectiveStore
from ioc_core.platform.dynamo import bind
from ioc_core.platform.outbox import OutboxItem
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.integration


@pytest.fixture
def directive_store(stack: Settings) -> DynamoDirectiveStore:
    for model, logical in MODELS:
        bind(model, logical, stack)
    return DynamoDirectiveStore(stack)


@pytest.fixture
def outbox(stack: Settings) -> Outbox:
    return lambda: [CloudEvent.from_json(item.payload).id for item in OutboxItem.scan()]


class TestDynamoDirectiveStore(DirectiveStoreContract):
    pass
