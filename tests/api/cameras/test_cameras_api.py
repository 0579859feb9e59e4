"""/api/v1/cameras: roles, the camera map, presigned uploads, the alert queue and actions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.cameras.models import AlertKind, CameraAlert, Evidence
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ

pytestmark = pytest.mark.api

BASE = "/api/v1/cameras"
CAMERA = {
    "camera_id": "pt-hd-09",
    "name": "Cầu Trần Hưng Đạo",
    "ward_code": "22945",
    "lat": 10.93,
    "lon": 108.1,
    "kind": "hd",
    "zones": [{"zone_id": "street", "kind": "fire_watch", "polygon": [[0, 0.3], [1, 0.3], [1, 1], [0, 1]]}],
}
Bearer = Callable[[str], dict[str, str]]


def _json(response: Any) -> Any:
    return json.loads(response.body)


def _register(client: Client, bearer: Bearer) -> str:
    answer = client.http.post(BASE, headers=bearer("admin"), body=json.dumps(CAMERA))
    assert answer.status_code == 201, answer.body
    return str(_json(answer)["uploader_key"])


def _seed_alert(kind: AlertKind = AlertKind.FIRE) -> CameraAlert:
    from ioc_core.cameras import events
    from ioc_core.cameras.wiring import camera_service

    alert = CameraAlert(
        alert_id=f"alert-{kind.value}",
        camera_id=CAMERA["camera_id"],
        ward_code="22945",
        zone_id="street",
        kind=kind,
        confidence=0.81,
        severity="critical",
        raised_at=datetime(2026, 3, 2, 9, tzinfo=VN_TZ),
        evidence=Evidence(crop_key="alerts/x/crop.jpg", annotated_key="alerts/x/annotated.jpg"),
    )
    camera_service().uow.commit_snapshot(
        f"test#{alert.alert_id}", "analysed", None, [alert], [events.alert_raised(alert)]
    )
    return alert


def test_staff_routes_need_a_token_and_the_right_role(cameras_client: Client, bearer: Bearer) -> None:
    anonymous = cameras_client.http.get(BASE)
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"] == "application/problem+json"
    assert cameras_client.http.get(BASE, headers=bearer("resident")).status_code == 403
    assert (
        cameras_client.http.post(BASE, headers=bearer("operator"), body=json.dumps(CAMERA)).status_code == 403
    )


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("resident", 403), ("operator", 403), ("leader", 403)]
)
def test_only_an_administrator_rotates_an_uploader_key(
    cameras_client: Client, bearer: Bearer, role: str | None, status: int
) -> None:
    key = _register(cameras_client, bearer)
    headers = bearer(role) if role else {}
    refused = cameras_client.http.post(f"{BASE}/pt-hd-09/uploader-key", headers=headers)
    assert refused.status_code == status
    assert refused.headers["Content-Type"] == "application/problem+json"
    still = cameras_client.http.post(f"{BASE}/pt-hd-09/uploads", headers={"X-Camera-Key": key})
    assert still.status_code == 201  # a refused rotation leaves the gateway working


def test_the_camera_map_lists_cameras_with_health_and_false_alarm_rates(
    cameras_client: Client, bearer: Bearer
) -> None:
    _register(cameras_client, bearer)
    listed = _json(cameras_client.http.get(BASE, headers=bearer("operator")))["cameras"]
    assert [c["camera_id"] for c in listed] == ["pt-hd-09"]
    camera = listed[0]
    assert "uploader_key_hash" not in camera
    assert camera["health"] == {"last_seen_at": None, "silent": False, "snapshots": 0}
    assert camera["stats"]["false_alarm_rate"] is None
    one = _json(cameras_client.http.get(f"{BASE}/pt-hd-09", headers=bearer("leader")))
    assert one["zones"][0]["kind"] == "fire_watch"


def test_gateways_get_presigned_uploads_with_their_key_only(
    cameras_client: Client, bearer: Bearer, stack: Settings
) -> None:
    key = _register(cameras_client, bearer)
    ok = cameras_client.http.post(f"{BASE}/pt-hd-09/uploads", headers={"X-Camera-Key": key})
    assert ok.status_code == 201
    post = _json(ok)
    assert post["key"].startswith("cameras/pt-hd-09/") and post["fields"]["key"] == post["key"]
    assert post["max_bytes"] == 10 * 1024 * 1024
    wrong = cameras_client.http.post(f"{BASE}/pt-hd-09/uploads", headers={"X-Camera-Key": "guess"})
    assert wrong.status_code == 403


def test_an_inactive_camera_is_told_so_with_its_key_and_nothing_without(
    cameras_client: Client, bearer: Bearer
) -> None:
    from ioc_core.cameras.wiring import camera_service

    key = _register(cameras_client, bearer)
    camera = camera_service().get("pt-hd-09")
    camera_service().registry.save(camera.model_copy(update={"active": False, "version": 2}), 1)
    upload = f"{BASE}/pt-hd-09/uploads"
    inactive = cameras_client.http.post(upload, headers={"X-Camera-Key": key})
    assert inactive.status_code == 409, inactive.body
    assert inactive.headers["Content-Type"] == "application/problem+json"
    problem = _json(inactive)
    assert problem["type"].endswith("/camera-inactive")
    assert problem["title"] == "Xung đột / Conflict"
    assert problem["detail"].startswith("Camera đang ngừng hoạt động / Camera pt-hd-09 is inactive")
    # Without the key nobody learns whether the camera exists or is active.
    guessed = cameras_client.http.post(upload, headers={"X-Camera-Key": "guess"})
    unknown = cameras_client.http.post(f"{BASE}/pt-nope-1/uploads", headers={"X-Camera-Key": "guess"})
    assert guessed.status_code == unknown.status_code == 403
    assert _json(guessed)["detail"] == _json(unknown)["detail"]


def test_a_rotated_key_replaces_the_old_one_and_is_shown_once(cameras_client: Client, bearer: Bearer) -> None:
    from ioc_core.cameras.registry import hash_key
    from ioc_core.cameras.wiring import camera_service

    old = _register(cameras_client, bearer)
    rotated = cameras_client.http.post(f"{BASE}/pt-hd-09/uploader-key", headers=bearer("admin"))
    assert rotated.status_code == 201
    assert rotated.headers["Cache-Control"] == "no-store"  # a secret: no cache may keep it
    new = _json(rotated)["uploader_key"]
    assert new != old and len(new) >= 32
    stored = camera_service().get("pt-hd-09")
    assert stored.uploader_key_hash == hash_key(new) and new not in stored.model_dump_json()
    assert stored.uploader_key_rotated_at is not None
    upload = f"{BASE}/pt-hd-09/uploads"
    assert cameras_client.http.post(upload, headers={"X-Camera-Key": old}).status_code == 403
    assert cameras_client.http.post(upload, headers={"X-Camera-Key": new}).status_code == 201
    shown = _json(cameras_client.http.get(f"{BASE}/pt-hd-09", headers=bearer("admin")))
    assert new not in json.dumps(shown) and "uploader_key_hash" not in shown
    missing = cameras_client.http.post(f"{BASE}/pt-nope-1/uploader-key", headers=bearer("admin"))
    assert missing.status_code == 404


def test_operators_verify_dispatch_and_close_an_alert(cameras_client: Client, bearer: Bearer) -> None:
    _register(cameras_client, bearer)
    alert = _seed_alert()
    queue = _json(cameras_client.http.get(f"{BASE}/alerts", headers=bearer("operator")))["alerts"]
    assert [a["alert_id"] for a in queue] == [alert.alert_id]
    assert queue[0]["evidence"]["crop_url"].startswith("http")
    path = f"{BASE}/alerts/{alert.alert_id}"
    assert (
        cameras_client.http.post(
            f"{path}/verify", headers=bearer("leader"), body='{"real": true}'
        ).status_code
        == 403
    )
    verified = cameras_client.http.post(f"{path}/verify", headers=bearer("operator"), body='{"real": true}')
    assert _json(verified)["status"] == "verified"
    dispatched = cameras_client.http.post(
        f"{path}/dispatch", headers=bearer("operator"), body=json.dumps({"unit": "PCCC Phan Thiết"})
    )
    assert _json(dispatched)["status"] == "dispatched"
    closed = _json(cameras_client.http.post(f"{path}/close", headers=bearer("operator"), body="{}"))
    assert closed["status"] == "closed"
    assert [h["by"] for h in closed["history"]] == ["operator:operator.test"] * 3
    assert _json(cameras_client.http.get(f"{BASE}/alerts", headers=bearer("operator")))["alerts"] == []
    done = _json(cameras_client.http.get(f"{BASE}/alerts?status=closed", headers=bearer("operator")))[
        "alerts"
    ]
    assert [a["alert_id"] for a in done] == [alert.alert_id]


def test_a_false_alarm_tunes_the_camera_and_bad_requests_are_problems(
    cameras_client: Client, bearer: Bearer
) -> None:
    _register(cameras_client, bearer)
    alert = _seed_alert()
    path = f"{BASE}/alerts/{alert.alert_id}"
    bad = cameras_client.http.post(f"{path}/verify", headers=bearer("operator"), body='{"real": "perhaps"}')
    assert bad.status_code == 400 and _json(bad)["errors"][0]["field"] == "real"
    out_of_order = cameras_client.http.post(f"{path}/close", headers=bearer("operator"), body="{}")
    assert out_of_order.status_code == 409
    cameras_client.http.post(
        f"{path}/verify", headers=bearer("operator"), body='{"real": false, "note": "đèn xe"}'
    )
    camera = _json(cameras_client.http.get(f"{BASE}/pt-hd-09", headers=bearer("operator")))
    assert camera["tuning"]["fire_threshold"] == pytest.approx(0.65) and camera["tuning"]["false_alarms"] == 1
    assert cameras_client.http.get(f"{BASE}/alerts/nope", headers=bearer("operator")).status_code == 404


def test_closing_a_zone_change_can_accept_it_into_the_reference(
    cameras_client: Client, bearer: Bearer, stack: Settings
) -> None:
    import boto3

    from ioc_core.cameras.models import SnapshotRef
    from ioc_core.cameras.wiring import camera_service

    _register(cameras_client, bearer)
    s3 = boto3.client("s3", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    key = "cameras/pt-hd-09/2026/03/02/20260302T120000.jpg"
    s3.put_object(Bucket=stack.name("camera-snapshots"), Key=key, Body=b"\xff\xd8 a snapshot \xff\xd9")
    alert = _seed_alert(AlertKind.DUMPING)
    snapshot = SnapshotRef(bucket=stack.name("camera-snapshots"), key=key, taken_at=alert.raised_at)
    moved = alert.model_copy(update={"snapshot": snapshot, "version": 2})
    camera_service().uow.commit_alert(moved, 1, [])
    path = f"{BASE}/alerts/{alert.alert_id}"
    cameras_client.http.post(f"{path}/verify", headers=bearer("operator"), body='{"real": true}')
    closed = cameras_client.http.post(
        f"{path}/close", headers=bearer("operator"), body='{"accept_change": true}'
    )
    assert _json(closed)["status"] == "closed"
    state = camera_service().states.get("pt-hd-09")
    assert state is not None
    reference = state.detector.references["day"]
    assert reference.startswith("references/pt-hd-09/day/accepted-")
    copied = s3.get_object(Bucket=stack.name("camera-evidence"), Key=reference)["Body"].read()
    assert copied == b"\xff\xd8 a snapshot \xff\xd9"


# -- the platform's API kit: the same contract as every /api/v1 app -------------------------------


def test_a_missing_token_is_a_401_with_the_bearer_challenge(cameras_client: Client) -> None:
    answer = cameras_client.http.get(f"{BASE}/alerts")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="ioc"'
    assert _json(answer)["status"] == 401


def test_a_bad_token_is_a_401_never_anonymous(cameras_client: Client) -> None:
    answer = cameras_client.http.get(BASE, headers={"Authorization": "Bearer not-a-token"})
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Content-Type": "text/plain"}, "real", 415),
        ({"Content-Type": "application/json"}, "x" * (64 * 1024 + 1), 413),
        ({"Content-Type": "application/json"}, "[1, 2]", 400),
        ({"Content-Type": "application/json"}, '{"real": "yes"}', 400),
        ({"Content-Type": "application/json"}, '{"real": true, "extra": 1}', 400),
    ],
)
def test_bad_bodies_are_problems_in_problem_json(
    cameras_client: Client, bearer: Bearer, headers: dict[str, str], body: str, status: int
) -> None:
    _register(cameras_client, bearer)
    alert = _seed_alert()
    auth = {"Authorization": bearer("operator")["Authorization"], **headers}
    answer = cameras_client.http.post(f"{BASE}/alerts/{alert.alert_id}/verify", headers=auth, body=body)
    assert answer.status_code == status, answer.body
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = _json(answer)
    assert problem["status"] == status and " / " in problem["detail"]  # Vietnamese / English


def test_a_route_missing_from_the_table_serves_nobody(stack: Settings, bearer: Bearer) -> None:
    """Fail closed: the middleware refuses a route of its prefix that the table does not name,
    even to an administrator (the old per-route check let such a route through)."""
    from chalice import Chalice

    from ioc_core.cameras.api_v1 import TABLE
    from ioc_core.platform.api import http

    app = Chalice(app_name="probe")
    http.install(app, TABLE)

    @app.route("/api/v1/cameras/forgotten")
    def forgotten() -> dict[str, bool]:
        return {"served": True}

    with Client(app, stage_name="local") as client:
        answer = client.http.get("/api/v1/cameras/forgotten", headers=bearer("admin"))
    assert answer.status_code == 403
    assert "No access rule" in _json(answer)["detail"]


def test_the_openapi_document_lists_exactly_the_app_s_routes(cameras_client: Client, bearer: Bearer) -> None:
    from openapi_spec_validator import validate

    answer = cameras_client.http.get(f"{BASE}/openapi.json", headers=bearer("operator"))
    assert answer.status_code == 200
    document = _json(answer)
    validate(document)
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    routed = {(m, path) for path, entries in cameras_client._app.routes.items() for m in entries}
    assert documented == routed
    roles = {op["operationId"]: op["x-roles"] for item in document["paths"].values() for op in item.values()}
    assert roles["verifyAlert"] == ["operator"] and roles["presignUpload"] == ["anonymous"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"camera_id": ""}, "camera_id"),
        ({"camera_id": "sec/../uploads"}, "camera_id"),
        ({"lat": 1000}, "lat"),
        ({"lon": -200}, "lon"),
        ({"silent_after_minutes": 0}, "silent_after_minutes"),
        ({"ward_code": "99999"}, "ward_code"),
        ({"lat": 21.0285, "lon": 105.8542}, "lat"),  # WGS84, but Hanoi
    ],
)
def test_a_bad_camera_is_a_400_naming_the_field_and_is_not_registered(
    cameras_client: Client, bearer: Bearer, change: dict[str, Any], field: str
) -> None:
    """The review's probes (issue 10): each was a 500, or a camera with a ward no one knows."""
    answer = cameras_client.http.post(BASE, headers=bearer("admin"), body=json.dumps({**CAMERA, **change}))
    assert answer.status_code == 400, answer.body
    problem = _json(answer)
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert field in {e["field"] for e in problem["errors"]}, problem
    listed = _json(cameras_client.http.get(BASE, headers=bearer("admin")))["cameras"]
    assert listed == []
