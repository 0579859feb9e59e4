"""The event log and the snapshot on moto: the contract (PynamoDB, conditional writes, the
sparse index of active entities)."""

from __future__ import annotations

import pytest

from contracts.event_log import EventLogContract
from ioc_core.integration.adapters.event_log import MODELS, DynamoEventLog, DynamoSnapshotStore
from ioc_core.platform.dynamo import bind
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def bound(stack: Settings) -> Settings:
    for model, logical in MODELS:
        bind(model, logical, stack)
    return stack


class TestDynamoEventLog(EventLogContract):
    @pytest.fixture
    def event_log(self, bound: Settings) -> DynamoEventLog:
        return DynamoEventLog()

    @pytest.fixture
    def snapshot_store(self, bound: Settings) -> DynamoSnapshotStore:
        return DynamoSnapshotStore()
