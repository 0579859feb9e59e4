"""The cameras' lists page by the kit's signed cursors (``page_token``), and alerts and cameras
are versioned resources: an ETag on every reply, If-Match (or ``version``) on every change."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.cameras.adapters.dynamo import DynamoAlertRepository
from ioc_core.cameras.models import AlertKind, CameraAlert
from ioc_core.platform.dynamo import encode_token
from ioc_core.shared.clock import VN_TZ

pytestmark = pytest.mark.api

BASE = "/api/v1/cameras"
CAMERA_ID = "pt-ward-11"
CAMERA = {
    "camera_id": CAMERA_ID, "name": "Chợ Phan Thiết", "ward_code": "22945", "lat": 10.93, "lon": 108.1,
    "kind": "ward",
    "zones": [{"zone_id": "street", "kind": "fire_watch", "polygon": [[0, 0.3], [1, 0.3], [1, 1], [0, 1]]}],
}  # fmt: skip
Bearer = Callable[[str], dict[str, str]]


def _json(answer: Any) -> Any:
    return json.loads(answer.body)


def _alerts(client: Client, bearer: Bearer, count: int) -> list[str]:
    from ioc_core.cameras import events
    from ioc_core.cameras.wiring import camera_service

    assert client.http.post(BASE, headers=bearer("admin"), body=json.dumps(CAMERA)).status_code == 201
    raised = []
    for n in range(count):
        alert = CameraAlert(
            alert_id=f"alert-{n}", camera_id=CAMERA_ID, ward_code="22945", zone_id="street",
            kind=AlertKind.FIRE, confidence=0.8, severity="high",
            raised_at=datetime(2026, 3, 2, 9, tzinfo=VN_TZ) + timedelta(minutes=n),
        )  # fmt: skip
        camera_service().uow.commit_snapshot(
            f"test#{alert.alert_id}", "analysed", None, [alert], [events.alert_raised(alert)]
        )
        raised.append(alert.alert_id)
    return raised


def _walk(client: Client, bearer: Bearer, path: str) -> tuple[list[str], int]:
    seen, token, pages = [], None, 0
    while pages < 10:
        answer = client.http.get(path + (f"&page_token={token}" if token else ""), headers=bearer("operator"))
        assert answer.status_code == 200, answer.body
        page = _json(answer)
        seen += [a["alert_id"] for a in page["alerts"]]
        pages += 1
        token = page["next_page_token"]
        if token is None:
            break
    return seen, pages


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[Any]:
    calls: list[Any] = []
    real = getattr(DynamoAlertRepository, name)

    def counted(self: Any, *args: Any) -> Any:
        calls.append(args)
        return real(self, *args)

    monkeypatch.setattr(DynamoAlertRepository, name, counted)
    return calls


def test_the_alert_queue_and_a_cameras_alerts_page_by_signed_tokens(
    cameras_client: Client, bearer: Bearer
) -> None:
    raised = _alerts(cameras_client, bearer, 3)
    queue, pages = _walk(cameras_client, bearer, f"{BASE}/alerts?limit=1")
    assert sorted(queue) == raised and pages >= 3
    mine, _ = _walk(cameras_client, bearer, f"{BASE}/{CAMERA_ID}/alerts?limit=2")
    assert sorted(mine) == raised


def test_a_forged_or_foreign_page_token_is_a_400_and_never_a_query(
    cameras_client: Client, bearer: Bearer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _alerts(cameras_client, bearer, 2)
    first = _json(cameras_client.http.get(f"{BASE}/alerts?limit=1", headers=bearer("operator")))
    issued = first["next_page_token"]
    assert isinstance(issued, str)
    by_status, by_camera = _counting(monkeypatch, "by_status"), _counting(monkeypatch, "by_camera")
    made_up = encode_token({"p": "status#raised", "k": None})
    for path, role in (
        (f"{BASE}/alerts?page_token={made_up}", "operator"),  # the adapter's own token
        (f"{BASE}/alerts?page_token={issued[:-4]}", "operator"),  # truncated
        (f"{BASE}/alerts?status=closed&page_token={issued}", "operator"),  # other filters
        (f"{BASE}/alerts?page_token={issued}", "leader"),  # another caller
        (f"{BASE}/{CAMERA_ID}/alerts?page_token={issued}", "operator"),  # another list
    ):
        answer = cameras_client.http.get(path, headers=bearer(role))
        assert answer.status_code == 400, (path, answer.body)
        problem = _json(answer)
        assert [e["field"] for e in problem["errors"]] == ["page_token"] and " / " in problem["detail"]
    assert by_status == [] and by_camera == []
    again = cameras_client.http.get(f"{BASE}/alerts?limit=1&page_token={issued}", headers=bearer("operator"))
    assert again.status_code == 200 and len(by_status) == 1


def test_an_alert_carries_its_etag_and_a_stale_if_match_is_a_409(
    cameras_client: Client, bearer: Bearer
) -> None:
    (alert_id,) = _alerts(cameras_client, bearer, 1)
    path = f"{BASE}/alerts/{alert_id}"
    read = cameras_client.http.get(path, headers=bearer("operator"))
    assert read.headers["ETag"] == '"1"'
    verified = cameras_client.http.post(
        f"{path}/verify", headers={**bearer("operator"), "If-Match": '"1"'}, body='{"real": true}'
    )
    assert verified.status_code == 200 and verified.headers["ETag"] == '"2"'
    stale = cameras_client.http.post(
        f"{path}/dispatch", headers={**bearer("operator"), "If-Match": '"1"'}, body='{"unit": "PCCC"}'
    )
    assert stale.status_code == 409 and stale.headers["ETag"] == '"2"'
    assert _json(stale)["current_version"] == 2 and " / " in _json(stale)["detail"]
    assert _json(cameras_client.http.get(path, headers=bearer("operator")))["status"] == "verified"
    by_body = cameras_client.http.post(
        f"{path}/dispatch", headers=bearer("operator"), body='{"unit": "PCCC", "version": 2}'
    )
    assert by_body.status_code == 200 and _json(by_body)["status"] == "dispatched"
    blind = cameras_client.http.post(f"{path}/close", headers=bearer("operator"), body="{}")
    assert blind.status_code == 200 and blind.headers["ETag"] == '"4"'  # no version: as before


def test_redrawing_zones_needs_the_cameras_version(cameras_client: Client, bearer: Bearer) -> None:
    _alerts(cameras_client, bearer, 0)
    path = f"{BASE}/{CAMERA_ID}"
    assert cameras_client.http.get(path, headers=bearer("admin")).headers["ETag"] == '"1"'
    zones = json.dumps({"zones": CAMERA["zones"]})
    missing = cameras_client.http.put(f"{path}/zones", headers=bearer("admin"), body=zones)
    assert missing.status_code == 428
    redrawn = cameras_client.http.put(
        f"{path}/zones", headers={**bearer("admin"), "If-Match": '"1"'}, body=zones
    )
    assert redrawn.status_code == 200 and redrawn.headers["ETag"] == '"2"'
    stale = cameras_client.http.put(
        f"{path}/zones", headers=bearer("admin"), body=json.dumps({"zones": CAMERA["zones"], "version": 1})
    )
    assert stale.status_code == 409 and _json(stale)["current_version"] == 2


def test_the_document_names_if_match_and_the_etag_of_versioned_routes(
    cameras_client: Client, bearer: Bearer
) -> None:
    document = _json(cameras_client.http.get(f"{BASE}/openapi.json", headers=bearer("operator")))
    verify = document["paths"][f"{BASE}/alerts/{{alert_id}}/verify"]["post"]
    assert "If-Match" in [p["name"] for p in verify["parameters"]]
    assert "ETag" in verify["responses"]["200"]["headers"]
    zones = document["paths"][f"{BASE}/{{camera_id}}/zones"]["put"]
    assert "428" in zones["responses"]
    listing = document["paths"][BASE]["get"]
    assert "headers" not in listing["responses"]["200"]
