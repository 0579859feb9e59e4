"""The simulated fleet sits where cameras could be, and no time on the map is in the future."""

from __future__ import annotations

from datetime import timedelta

import pytest
from camera_fakes import T0, AlertsView, InMemoryCameras, StatesView

from ioc_core.cameras.models import CameraState
from ioc_core.cameras.registry import CameraService
from ioc_core.cameras.simulator import MIN_APART_M, _metres, fleet
from ioc_core.shared.clock import FixedClock

pytestmark = pytest.mark.unit


def test_61_cameras_at_distinct_places_inside_their_own_wards() -> None:
    from ioc_core.admin_units.registry import default_registry

    registry = default_registry()
    cameras = fleet()
    assert len(cameras) == 61 and len({c.camera_id for c in cameras}) == 61
    for camera in cameras:
        found = registry.locate(camera.lat, camera.lon)
        assert found is not None and found.code == camera.ward_code, camera.camera_id
    points = [(c.lat, c.lon) for c in cameras]
    closest = min(_metres(*a, *b) for n, a in enumerate(points) for b in points[n + 1 :])
    assert closest >= MIN_APART_M  # not stacked at the ward centres any more
    assert len({c.ward_code for c in cameras}) == len(registry.boundaries)  # every ward has some
    assert [(c.lat, c.lon) for c in fleet()] == points  # the same on every run


def test_a_last_snapshot_stored_ahead_of_the_clock_is_shown_at_the_clock(store: InMemoryCameras) -> None:
    ahead = T0 + timedelta(hours=5)  # a simulated camera's fast clock, stored before the fix
    store.states["pt-hd-01"] = CameraState(camera_id="pt-hd-01", last_seen_at=ahead, snapshots=3, version=1)
    service = CameraService(
        store,
        StatesView(store),
        AlertsView(store),
        store,
        None,
        None,
        FixedClock(T0),  # type: ignore[arg-type]
    )
    [(_, health)] = service.listing()
    assert health.last_seen_at == T0
