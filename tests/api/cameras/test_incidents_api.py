"""/api/v1/cameras/incidents: one fire is one incident card, verified and dispatched once, by
operators only; a dumping incident files a linked field report through Field Reporting's
intake; bad input is problem+json."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.cameras.models import AlertKind, CameraAlert, CameraState, Evidence
from ioc_core.shared.clock import VN_TZ

pytestmark = pytest.mark.api

BASE = "/api/v1/cameras"
T0 = datetime(2026, 3, 2, 9, tzinfo=VN_TZ)
CAMERA = {
    "camera_id": "pt-hd-09",
    "name": "Chợ Phan Thiết",
    "ward_code": "22945",
    "lat": 10.929,
    "lon": 108.101,
    "kind": "hd",
    "zones": [
        {"zone_id": "street", "kind": "fire_watch", "polygon": [[0, 0.3], [1, 0.3], [1, 1], [0, 1]],
         "name": "Mặt phố", "name_en": "Street"},
        {"zone_id": "verge", "kind": "no_dumping", "polygon": [[0, 0.8], [1, 0.8], [1, 1], [0, 1]],
         "name": "Lề đường", "name_en": "Roadside verge"},
    ],
}  # fmt: skip
Bearer = Callable[[str], dict[str, str]]


def _json(response: Any) -> Any:
    return json.loads(response.body)


def _detect(n: int, minute: float, kind: AlertKind = AlertKind.FIRE, zone: str = "street") -> None:
    """What the detector commits for a snapshot with one finding (its incident included)."""
    from ioc_core.cameras import events
    from ioc_core.cameras.wiring import camera_service

    service = camera_service()
    alert = CameraAlert(
        alert_id=f"alert-{kind.value}-{n}",
        camera_id="pt-hd-09",
        ward_code="22945",
        zone_id=zone,
        kind=kind,
        confidence=0.7,
        severity="high" if kind is AlertKind.FIRE else "medium",
        raised_at=T0 + timedelta(minutes=minute),
        evidence=Evidence(crop_key=f"alerts/{n}/crop.jpg", annotated_key=f"alerts/{n}/annotated.jpg"),
    )
    state = service.states.get("pt-hd-09") or CameraState(camera_id="pt-hd-09")
    changed = state.model_copy(deep=True)
    assert service.incidents is not None
    incidents, staged = service.incidents.take(changed, [alert], T0)
    service.uow.commit_snapshot(
        f"test#{alert.alert_id}",
        "analysed",
        changed,
        [alert],
        [events.alert_raised(alert), *staged],
        incidents,
    )


@pytest.fixture
def camera(cameras_client: Client, bearer: Bearer) -> str:
    answer = cameras_client.http.post(BASE, headers=bearer("admin"), body=json.dumps(CAMERA))
    assert answer.status_code == 201, answer.body
    return "pt-hd-09"


def _queue(client: Client, bearer: Bearer, status: str = "open") -> list[dict[str, Any]]:
    answer = client.http.get(f"{BASE}/incidents?status={status}", headers=bearer("operator"))
    assert answer.status_code == 200, answer.body
    return list(_json(answer)["incidents"])


def test_one_fire_of_13_alerts_is_one_incident_with_names_and_a_timeline(
    cameras_client: Client, bearer: Bearer, camera: str
) -> None:
    for n in range(13):
        _detect(n, minute=n * 1.6)
    queue = _queue(cameras_client, bearer)
    assert len(queue) == 1
    incident = queue[0]
    assert incident["alerts"] == 13 and len(incident["timeline"]) == 13
    assert incident["severity"] == "critical" and incident["status"] == "open"
    assert incident["paged"] == ["dieuhanh"]  # the operator on shift, from the roster
    assert incident["zone"]["name"] == {"vi": "Mặt phố", "en": "Street"}
    assert incident["ward"] == {"code": "22945", "name": {"vi": "Phường Phan Thiết", "en": "Phan Thiet Ward"}}
    assert incident["camera_name"] == "Chợ Phan Thiết"
    assert incident["timeline"][-1]["evidence"]["annotated_url"].startswith("http")
    one = cameras_client.http.get(f"{BASE}/incidents/{incident['incident_id']}", headers=bearer("leader"))
    assert one.status_code == 200 and one.headers["ETag"] == '"13"'


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), ("resident", 403), ("leader", 403), ("admin", 403)]
)
def test_only_operators_act_on_an_incident(
    cameras_client: Client, bearer: Bearer, camera: str, role: str | None, status: int
) -> None:
    _detect(0, 0)
    incident_id = _queue(cameras_client, bearer)[0]["incident_id"]
    headers = bearer(role) if role else {}
    for action, body in (("verify", {"real": True}), ("dispatch", {"unit": "PCCC"}), ("close", {})):
        answer = cameras_client.http.post(
            f"{BASE}/incidents/{incident_id}/{action}", headers=headers, body=json.dumps(body)
        )
        assert answer.status_code == status, (action, answer.body)
        assert answer.headers["Content-Type"] == "application/problem+json"
    listed = cameras_client.http.get(f"{BASE}/incidents", headers=headers)
    assert listed.status_code == (200 if role in ("leader", "admin") else status)


def test_an_operator_verifies_and_dispatches_once_then_closes(
    cameras_client: Client, bearer: Bearer, camera: str
) -> None:
    for n in range(3):
        _detect(n, n)
    incident_id = _queue(cameras_client, bearer)[0]["incident_id"]
    path = f"{BASE}/incidents/{incident_id}"
    stale = cameras_client.http.post(
        f"{path}/verify", headers={**bearer("operator"), "If-Match": '"1"'}, body='{"real": true}'
    )
    assert stale.status_code == 409 and stale.headers["ETag"] == '"3"'
    verified = cameras_client.http.post(
        f"{path}/verify", headers={**bearer("operator"), "If-Match": '"3"'}, body='{"real": true}'
    )
    assert verified.status_code == 200 and _json(verified)["status"] == "verified"
    sent = cameras_client.http.post(
        f"{path}/dispatch", headers=bearer("operator"), body=json.dumps({"unit": "Đội PCCC Phan Thiết"})
    )
    assert _json(sent)["status"] == "dispatched" and _json(sent)["unit"] == "Đội PCCC Phan Thiết"
    again = cameras_client.http.post(
        f"{path}/dispatch", headers=bearer("operator"), body='{"unit": "PCCC 2"}'
    )
    assert again.status_code == 409
    closed = cameras_client.http.post(f"{path}/close", headers=bearer("operator"), body='{"note": "đã dập"}')
    assert _json(closed)["status"] == "closed"
    assert [h["by"] for h in _json(closed)["history"][1:]] == ["operator:operator.test"] * 3
    assert _queue(cameras_client, bearer) == []
    assert [i["incident_id"] for i in _queue(cameras_client, bearer, "closed")] == [incident_id]


def test_a_dumping_incident_files_a_linked_field_report_once(
    cameras_client: Client, bearer: Bearer, camera: str
) -> None:
    from ioc_core.field_reporting.wiring import intake_service

    _detect(0, 0, AlertKind.DUMPING, "verge")
    incident_id = _queue(cameras_client, bearer)[0]["incident_id"]
    path = f"{BASE}/incidents/{incident_id}"
    cameras_client.http.post(f"{path}/verify", headers=bearer("operator"), body='{"real": true}')
    filed = cameras_client.http.post(
        f"{path}/dispatch", headers=bearer("operator"), body='{"field_report": true}'
    )
    assert filed.status_code == 200, filed.body
    incident = _json(filed)
    assert incident["status"] == "dispatched" and incident["report_id"].startswith("PT-")
    report = intake_service().get(incident["report_id"])
    assert report.service_code == "illegal_dumping" and report.channel == "camera"
    assert report.location.ward_code == "22945" and incident_id in (report.description or "")
    assert report.reporter.phone is None and report.reporter.account_id is None  # filed as the system


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unit": "PCCC", "field_report": True}, None),
        ({}, None),
        ({"unit": ""}, "unit"),
        ({"unit": "PCCC", "extra": 1}, "extra"),
    ],
)
def test_a_bad_dispatch_is_a_400_problem(
    cameras_client: Client, bearer: Bearer, camera: str, body: dict[str, Any], field: str | None
) -> None:
    _detect(0, 0)
    incident_id = _queue(cameras_client, bearer)[0]["incident_id"]
    path = f"{BASE}/incidents/{incident_id}"
    cameras_client.http.post(f"{path}/verify", headers=bearer("operator"), body='{"real": true}')
    answer = cameras_client.http.post(f"{path}/dispatch", headers=bearer("operator"), body=json.dumps(body))
    assert answer.status_code == 400, answer.body
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = _json(answer)
    assert " / " in problem["title"]  # Vietnamese / English
    if field:
        assert field in {e["field"] for e in problem["errors"]}


def test_a_fire_files_no_report_and_unknown_things_are_problems(
    cameras_client: Client, bearer: Bearer, camera: str
) -> None:
    _detect(0, 0)
    incident_id = _queue(cameras_client, bearer)[0]["incident_id"]
    path = f"{BASE}/incidents/{incident_id}"
    cameras_client.http.post(f"{path}/verify", headers=bearer("operator"), body='{"real": true}')
    fire = cameras_client.http.post(
        f"{path}/dispatch", headers=bearer("operator"), body='{"field_report": true}'
    )
    assert fire.status_code == 400 and "dispatch a unit" in _json(fire)["detail"]
    unknown = cameras_client.http.get(f"{BASE}/incidents/nope", headers=bearer("operator"))
    assert unknown.status_code == 404 and unknown.headers["Content-Type"] == "application/problem+json"
    bad = cameras_client.http.get(f"{BASE}/incidents?status=burning", headers=bearer("operator"))
    assert bad.status_code == 400
    limit = cameras_client.http.get(f"{BASE}/incidents?limit=0", headers=bearer("operator"))
    assert limit.status_code == 400


def test_the_camera_map_names_wards_and_zones(cameras_client: Client, bearer: Bearer, camera: str) -> None:
    listed = _json(cameras_client.http.get(BASE, headers=bearer("operator")))["cameras"]
    assert listed[0]["ward"]["name"]["vi"] == "Phường Phan Thiết"
    assert [(z["name"], z["name_en"]) for z in listed[0]["zones"]] == [
        ("Mặt phố", "Street"),
        ("Lề đường", "Roadside verge"),
    ]
