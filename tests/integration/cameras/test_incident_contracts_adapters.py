"""The camera incidents' contract on the DynamoDB adapters (moto)."""

from __future__ import annotations

import pytest

from contracts.camera_incidents import IncidentStoreContract, Store
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def incident_store(stack: Settings) -> Store:
    from ioc_core.cameras.adapters.dynamo import DynamoCameraUnitOfWork, DynamoIncidentRepository

    return DynamoIncidentRepository(), DynamoCameraUnitOfWork(stack)


class TestDynamoIncidents(IncidentStoreContract):
    pass
