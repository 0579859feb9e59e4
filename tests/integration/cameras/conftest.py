"""Camera fixtures on the test stack: a registered camera, snapshot uploads, the pump."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import boto3
import pytest

from ioc_core.cameras.models import Camera, CameraKind
from ioc_core.cameras.simulator import STREET_WATCH, VERGE
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ


@pytest.fixture
def camera(stack: Settings) -> Camera:
    from ioc_core.cameras.wiring import camera_service

    registered, _ = camera_service().register(
        "pt-test-01", "Test camera", "22945", 10.93, 108.1, CameraKind.HD, [STREET_WATCH, VERGE]
    )
    return registered


@pytest.fixture
def s3(stack: Settings) -> Any:
    return boto3.client("s3", region_name=stack.region, endpoint_url=stack.aws_endpoint)


@pytest.fixture
def put_snapshot(stack: Settings, s3: Any) -> Callable[..., str]:
    """``put_snapshot(data, at, camera_id=…)``: what a gateway's upload leaves in the bucket."""

    def put(data: bytes, at: datetime, camera_id: str = "pt-test-01", suffix: str = ".jpg") -> str:
        stamp = at.astimezone(VN_TZ).strftime("%Y%m%dT%H%M%S")
        key = f"cameras/{camera_id}/{at:%Y/%m/%d}/{stamp}{suffix}"
        s3.put_object(Bucket=stack.name("camera-snapshots"), Key=key, Body=data, ContentType="image/jpeg")
        return key

    return put
