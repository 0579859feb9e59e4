"""The camera incidents' contract on the in-memory fake the unit tests use."""

from __future__ import annotations

import pytest
from camera_fakes import IncidentsView, InMemoryCameras

from contracts.camera_incidents import IncidentStoreContract, Store

pytestmark = pytest.mark.unit


@pytest.fixture
def incident_store() -> Store:
    fake = InMemoryCameras()
    return IncidentsView(fake), fake


class TestInMemoryIncidents(IncidentStoreContract):
    pass
