"""S3 ObjectCreated → the detector Lambda (through the pump, real S3 event shape) → alerts,
evidence and events; redelivery changes nothing; bad snapshots go to quarantine."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import boto3
import numpy as np
import pytest

from ioc_core.cameras.models import AlertKind, AlertStatus, Camera
from ioc_core.cameras.vision.jpeg import encode_jpeg
from ioc_core.cameras.vision.scenes import Scene, SceneEvent
from ioc_core.local.pump import EventPump
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=VN_TZ)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


pytestmark = pytest.mark.integration


def _fire_scene() -> Scene:
    return Scene(
        seed=77,
        width=960,
        height=540,
        start_minute=12 * 60,
        events=[SceneEvent("fire", 20, 0.55, 0.72, 0.05, 12)],
    )


def _alerts(status: AlertStatus = AlertStatus.RAISED) -> list[Any]:
    from ioc_core.cameras.wiring import alert_service

    return alert_service().queue((status,), 100).items


def _run_scene(scene: Scene, until: float, put: Callable[..., str], pump: EventPump) -> list[str]:
    keys = []
    for step in range(int(until / 4)):  # a snapshot every 4 minutes
        keys.append(put(encode_jpeg(scene.render(step * 4.0), 85), NOON + minutes(step * 4)))
        pump.drain(timeout=60)
    return keys


def test_a_growing_fire_raises_one_alert_with_evidence_events_and_counters(
    stack: Settings, camera: Camera, put_snapshot: Callable[..., str], pump: EventPump, s3: Any
) -> None:
    _run_scene(_fire_scene(), 36, put_snapshot, pump)
    alerts = _alerts()
    fires = [a for a in alerts if a.kind is AlertKind.FIRE]
    assert len(fires) == 1, [(a.kind, a.zone_id) for a in alerts]
    fire = fires[0]
    assert (
        fire.camera_id == camera.camera_id
        and fire.zone_id == "street"
        and fire.severity in ("critical", "high")
    )
    from ioc_core.cameras.models import IncidentStatus
    from ioc_core.cameras.wiring import incident_service

    incidents = incident_service().queue((IncidentStatus.OPEN,)).items
    burning = next(i for i in incidents if i.kind is AlertKind.FIRE)
    assert [e.alert_id for e in burning.timeline] == [fire.alert_id]
    assert burning.paged == ["dieuhanh"]  # the operator on shift, paged at once
    assert fire.raised_at >= NOON + minutes(20)
    crop = s3.get_object(Bucket=stack.name("camera-evidence"), Key=fire.evidence.crop_key)["Body"].read()
    annotated = s3.get_object(Bucket=stack.name("camera-evidence"), Key=fire.evidence.annotated_key)[
        "Body"
    ].read()
    import cv2

    crop_img = cv2.imdecode(np.frombuffer(crop, np.uint8), cv2.IMREAD_COLOR)
    view = cv2.imdecode(np.frombuffer(annotated, np.uint8), cv2.IMREAD_COLOR)
    assert view.shape[:2] == (270, 480)  # the analysed view
    box_w = (fire.box[2] - fire.box[0]) * 960
    assert crop_img.shape[1] >= box_w  # cut from the full-resolution snapshot
    from ioc_core.cameras.stats import PK
    from ioc_core.cameras.wiring import stats_projection

    pump.drain(timeout=60)  # outbox → Kinesis → the camera counters
    counters = stats_projection().read(PK, f"camera#{camera.camera_id}")
    assert counters.get("alerts_fire") == 1


def test_redelivered_s3_events_change_nothing(
    stack: Settings, camera: Camera, put_snapshot: Callable[..., str], pump: EventPump
) -> None:
    from ioc_core.local.lambdas import LocalContext, load_handler

    seen: list[dict[str, Any]] = []
    real = load_handler("cameras.detector.handler.handler")

    def recording(event: dict[str, Any], context: Any) -> Any:
        seen.append(json.loads(json.dumps(event)))
        return real(event, context)

    pump = EventPump(stack, handlers={"camera-detector": recording})
    _run_scene(_fire_scene(), 32, put_snapshot, pump)
    assert seen and seen[0]["Records"][0]["eventSource"] == "aws:s3"
    assert seen[0]["Records"][0]["s3"]["object"]["key"].startswith("cameras%2F")  # URL-encoded, as S3 sends
    from ioc_core.cameras.wiring import camera_service

    before_alerts = {a.alert_id for a in _alerts()}
    before_state = camera_service().states.get(camera.camera_id)
    context = LocalContext(function_name="camera-detector")
    for event in seen:  # every event again, as an at-least-once delivery may
        result = real(event, context)
        assert [o["status"] for o in result["outcomes"]] == ["duplicate"]
    assert {a.alert_id for a in _alerts()} == before_alerts
    assert camera_service().states.get(camera.camera_id) == before_state


def _bomb() -> bytes:
    """A valid little JPEG whose frame header declares 60 000 × 60 000 pixels."""
    data = bytearray(encode_jpeg(np.zeros((8, 8, 3), np.uint8)))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (60000).to_bytes(2, "big") + (60000).to_bytes(2, "big")
    return bytes(data)


def test_bad_snapshots_are_quarantined_with_their_reason_and_counted(
    stack: Settings, camera: Camera, put_snapshot: Callable[..., str], pump: EventPump, s3: Any
) -> None:
    good = encode_jpeg(_fire_scene().render(0), 85)
    bad = {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "not_jpeg": b"GIF89a" + b"\x00" * 100,
        "decompression_bomb": _bomb(),
    }
    keys = {reason: put_snapshot(data, NOON + minutes(i)) for i, (reason, data) in enumerate(bad.items())}
    unknown = put_snapshot(good, NOON, camera_id="pt-nobody-99")
    after = put_snapshot(good, NOON + minutes(10))
    pump.drain(timeout=60)
    bucket = stack.name("camera-snapshots")
    for reason, key in [*keys.items(), ("unknown_camera", unknown)]:
        moved = s3.head_object(Bucket=bucket, Key=f"quarantine/{reason}/{key}")
        assert moved["Metadata"]["reason"] == reason
        with pytest.raises(s3.exceptions.ClientError):
            s3.head_object(Bucket=bucket, Key=key)  # moved out of the camera's prefix
    s3.head_object(Bucket=bucket, Key=after)  # the good one after them is untouched and analysed
    from ioc_core.cameras.wiring import camera_service

    assert camera_service().states.get(camera.camera_id).snapshots == 1
    from ioc_core.cameras.stats import PK
    from ioc_core.cameras.wiring import stats_projection

    counters = stats_projection().read(PK, "all")
    assert counters["quarantined"] == 5
    assert all(counters[f"quarantined_{r}"] == 1 for r in [*bad, "unknown_camera"])
    sqs = boto3.client("sqs", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    dlq = sqs.get_queue_url(QueueName=stack.name("camera-detector-dlq"))["QueueUrl"]
    assert "Messages" not in sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=0)  # nothing retried to death


def test_a_detector_that_keeps_failing_stops_after_bounded_retries_in_the_dlq(
    stack: Settings, camera: Camera, put_snapshot: Callable[..., str]
) -> None:
    calls: list[int] = []

    def broken(event: dict[str, Any], context: Any) -> Any:
        calls.append(1)
        raise RuntimeError("DynamoDB is down")

    pump = EventPump(stack, handlers={"camera-detector": broken})
    key = put_snapshot(encode_jpeg(np.zeros((270, 480, 3), np.uint8)), NOON)
    pump.drain(timeout=60)
    from ioc_core.rooms import RESOURCES

    assert len(calls) == 1 + RESOURCES.s3_consumers[0].retry_attempts
    sqs = boto3.client("sqs", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    dlq = sqs.get_queue_url(QueueName=stack.name("camera-detector-dlq"))["QueueUrl"]
    body = json.loads(sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=0)["Messages"][0]["Body"])
    assert body["requestContext"]["condition"] == "RetriesExhausted"
    assert body["requestPayload"]["Records"][0]["s3"]["object"]["key"] == key.replace("/", "%2F")


def test_a_snapshot_stamped_ahead_of_the_clock_is_seen_now_not_in_the_future(
    stack: Settings, camera: Camera, put_snapshot: Callable[..., str], pump: EventPump
) -> None:
    """A gateway whose clock runs ahead (the simulation's runs 24× faster): the camera map
    showed last snapshots hours in the future."""
    from ioc_core.cameras.wiring import camera_service

    ahead = datetime.now(VN_TZ) + timedelta(hours=5)
    put_snapshot(encode_jpeg(_fire_scene().render(0.0), 85), ahead)
    pump.drain(timeout=60)
    state = camera_service().states.get(camera.camera_id)
    assert state is not None and state.snapshots == 1
    assert state.last_seen_at is not None and state.last_seen_at <= datetime.now(VN_TZ)


def test_the_light_of_dawn_refreshes_the_zones_reference_and_it_is_stored(
    stack: Settings, camera: Camera, put_snapshot: Callable[..., str], pump: EventPump, s3: Any
) -> None:
    """A camera tuned to relight its zones: the bootstrap reference stays the period's, its
    refresh with the light is a stored image of its own that the next snapshots' zones compare."""
    from ioc_core.cameras.wiring import camera_service

    registry = camera_service().registry
    tuning = camera.tuning.model_copy(update={"relight_zones": True})
    registry.save(camera.model_copy(update={"tuning": tuning, "version": camera.version + 1}), camera.version)
    dawn = datetime(2026, 3, 2, 5, 10, tzinfo=VN_TZ)
    scene = Scene(seed=77, width=960, height=540, start_minute=5 * 60 + 10)
    for step in range(16):  # a snapshot every 2 minutes: the reference from the first 5, then the ramp
        put_snapshot(encode_jpeg(scene.render(step * 2.0), 85), dawn + minutes(step * 2))
        pump.drain(timeout=60)
    detector = camera_service().states.get(camera.camera_id).detector  # type: ignore[union-attr]
    assert detector.references["dawn"].startswith(f"references/{camera.camera_id}/dawn/2026")
    relit = detector.relit["dawn"]
    assert relit.startswith(f"references/{camera.camera_id}/dawn/relit-20260302T05")
    stored = s3.get_object(Bucket=stack.name("camera-evidence"), Key=relit)["Body"].read()
    assert stored[:2] == b"\xff\xd8"
