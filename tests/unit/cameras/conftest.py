"""Fixtures of the camera unit tests: in-memory ports (see camera_fakes)."""

from __future__ import annotations

import pytest
from camera_fakes import T0, AlertsView, InMemoryCameras

from ioc_core.cameras.alerts import AlertService
from ioc_core.cameras.models import Camera, CameraKind
from ioc_core.shared.clock import FixedClock


@pytest.fixture
def store() -> InMemoryCameras:
    fake = InMemoryCameras()
    fake.add(
        Camera(
            camera_id="pt-hd-01",
            name="HD 1",
            ward_code="22945",
            lat=10.9,
            lon=108.1,
            kind=CameraKind.HD,
            created_at=T0,
        )
    )
    return fake


@pytest.fixture
def alerts(store: InMemoryCameras) -> AlertService:
    return AlertService(AlertsView(store), store, store, FixedClock(T0))
