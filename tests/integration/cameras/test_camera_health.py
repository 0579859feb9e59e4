"""A camera that sends nothing for its configured time raises one alert (the health job)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ioc_core.cameras.models import AlertKind, AlertStatus, Camera
from ioc_core.settings import Settings
from ioc_core.shared.clock import FixedClock

pytestmark = pytest.mark.integration


def test_silence_raises_one_alert_and_the_scheduled_job_runs_it(
    stack: Settings, camera: Camera, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ioc_core.cameras.wiring import alert_service, camera_service
    from ioc_core.local.lambdas import LocalContext, load_handler

    service = camera_service()
    handler = load_handler("cameras.health.handler.handler")
    context = LocalContext(function_name="camera-health")
    assert handler({"source": "aws.scheduler"}, context) == {"silent": []}  # just registered
    later = camera.created_at + timedelta(minutes=camera.silent_after_minutes + 1)
    monkeypatch.setattr(service, "clock", FixedClock(later))
    assert handler({"source": "aws.scheduler"}, context) == {"silent": [camera.camera_id]}
    assert handler({"source": "aws.scheduler"}, context) == {"silent": []}  # once, not every 5 minutes
    alerts = alert_service().queue((AlertStatus.RAISED,)).items
    assert [(a.kind, a.camera_id) for a in alerts] == [(AlertKind.CAMERA_SILENT, camera.camera_id)]
    assert service.health(camera).silent
