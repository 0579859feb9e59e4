"""The administrators' subscriptions API on moto: only admin calls it, bad input is a 4xx
problem naming the field (Vietnamese and English), the secret is shown once and never stored
by a cache, and the delivery log and parked deliveries are listed per subscription."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.integration.deliveries.models import Attempt, DeliveryStatus
from ioc_core.settings import Settings
from ioc_core.shared.clock import SystemClock

pytestmark = pytest.mark.api
BASE = "/api/v1/integration/subscriptions"
Bearer = Callable[[str], dict[str, str]]


def _json(answer: Any) -> Any:
    return json.loads(answer.body)


def _create(client: Client, bearer: Bearer, **body: Any) -> Any:
    payload = {"url": "https://province.example.vn/hooks/city", **body}
    return client.http.post(BASE, headers=bearer("admin"), body=json.dumps(payload))


def test_an_administrator_creates_a_subscription_and_sees_its_secret_once(
    integration_client: Client, bearer: Bearer
) -> None:
    created = _create(integration_client, bearer, types=["field_reporting.report.submitted"], wards=["22945"])
    assert created.status_code == 201, created.body
    assert created.headers["Cache-Control"] == "no-store"
    sent = _json(created)
    assert sent["secret"].startswith("whsec_")
    sub = sent["subscription"]
    assert sub["status"] == "active" and sub["created_by"].endswith("admin.test")
    assert sub["types"] == ["field_reporting.report.submitted"] and sub["wards"] == ["22945"]
    one = integration_client.http.get(f"{BASE}/{sub['id']}", headers=bearer("admin"))
    listed = integration_client.http.get(BASE, headers=bearer("admin"))
    for answer in (one, listed):
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
        assert sent["secret"] not in answer.body.decode() and "whsec_" not in answer.body.decode()
    assert [s["id"] for s in _json(listed)["items"]] == [sub["id"]]


def test_rotation_shows_the_new_secret_once_and_keeps_the_old_one_for_the_overlap(
    integration_client: Client, bearer: Bearer
) -> None:
    sub = _json(_create(integration_client, bearer))
    rotated = integration_client.http.post(
        f"{BASE}/{sub['subscription']['id']}/rotate-secret", headers=bearer("admin")
    )
    assert rotated.status_code == 200
    sent = _json(rotated)
    assert sent["secret"].startswith("whsec_") and sent["secret"] != sub["secret"]
    secrets = sent["subscription"]["secrets"]
    assert len(secrets) == 2 and secrets[0]["expires_at"] is None and secrets[1]["expires_at"]


def test_pause_resume_and_delete(integration_client: Client, bearer: Bearer) -> None:
    sub_id = _json(_create(integration_client, bearer))["subscription"]["id"]
    paused = integration_client.http.post(f"{BASE}/{sub_id}/pause", headers=bearer("admin"))
    assert _json(paused)["status"] == "paused"
    resumed = integration_client.http.post(f"{BASE}/{sub_id}/resume", headers=bearer("admin"))
    assert _json(resumed)["status"] == "active"
    gone = integration_client.http.delete(f"{BASE}/{sub_id}", headers=bearer("admin"))
    assert gone.status_code == 204
    missing = integration_client.http.get(f"{BASE}/{sub_id}", headers=bearer("admin"))
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://province.example.vn/hooks"}, "url"),
        ({"url": "https://user:secret@province.example.vn/"}, "url"),
        ({"url": "ftp://province.example.vn/"}, "url"),
        ({"url": "https://province.example.vn/", "types": ["field_reporting.report.exploded"]}, "types"),
        ({"url": "https://province.example.vn/", "colour": "red"}, "colour"),
        ({"types": []}, "url"),
        ({"url": 42}, "url"),
    ],
)
def test_bad_input_is_a_400_problem_naming_the_field(
    integration_client: Client, bearer: Bearer, body: dict[str, Any], field: str
) -> None:
    answer = integration_client.http.post(BASE, headers=bearer("admin"), body=json.dumps(body))
    assert answer.status_code == 400, answer.body
    problem = _json(answer)
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert field in [e["field"] for e in problem["errors"]], problem
    assert integration_client.http.get(BASE, headers=bearer("admin")).body == b'{"items":[]}'


def test_a_subscription_id_of_the_wrong_shape_and_a_body_that_is_not_json_are_4xx(
    integration_client: Client, bearer: Bearer
) -> None:
    assert integration_client.http.get(f"{BASE}/not-an-id", headers=bearer("admin")).status_code in (400, 404)
    garbage = integration_client.http.post(BASE, headers=bearer("admin"), body=b"{not json")
    assert garbage.status_code == 400
    assert (
        integration_client.http.post(
            BASE, headers={**bearer("admin"), "Content-Type": "text/plain"}, body=b"x"
        ).status_code
        == 415
    )


@pytest.mark.parametrize("role", ["operator", "leader", "provincial", "resident"])
def test_only_administrators_manage_subscriptions(
    integration_client: Client, bearer: Bearer, role: str
) -> None:
    answer = integration_client.http.get(BASE, headers=bearer(role))
    assert answer.status_code == 403
    assert integration_client.http.get(BASE).status_code == 401


def test_the_delivery_log_and_the_parked_deliveries_are_listed_and_redriven(
    integration_client: Client, bearer: Bearer, stack: Settings
) -> None:
    from contracts.deliveries import delivery
    from ioc_core.integration.deliveries.wiring import attempt_log, delivery_store

    sub_id = _json(_create(integration_client, bearer))["subscription"]["id"]
    now = SystemClock().now()
    for n in range(3):
        attempt_log().add(
            Attempt(subscription_id=sub_id, event_id="e1", event_type="field_reporting.report.submitted",
                    attempt=n + 1, at=now + timedelta(seconds=n), status_code=500, latency_ms=30 + n,
                    response_head="Internal Server Error", outcome="retry")
        )  # fmt: skip
    parked = delivery(
        "e1", position=1, status=DeliveryStatus.PARKED, due_at=None, attempts=8, last_status=500
    )
    delivery_store().add(parked.model_copy(update={"subscription_id": sub_id}))

    first = integration_client.http.get(f"{BASE}/{sub_id}/attempts?limit=2", headers=bearer("admin"))
    page = _json(first)
    assert [a["attempt"] for a in page["items"]] == [3, 2] and page["next_cursor"]
    assert page["items"][0]["response_head"] == "Internal Server Error"
    rest = integration_client.http.get(
        f"{BASE}/{sub_id}/attempts?limit=2&cursor={page['next_cursor']}", headers=bearer("admin")
    )
    assert [a["attempt"] for a in _json(rest)["items"]] == [1]
    forged = integration_client.http.get(f"{BASE}/{sub_id}/attempts?cursor=abc", headers=bearer("admin"))
    assert forged.status_code == 400

    listed = _json(integration_client.http.get(f"{BASE}/{sub_id}/parked", headers=bearer("admin")))
    assert [(p["event_id"], p["attempts"], p["last_status"]) for p in listed["items"]] == [("e1", 8, 500)]
    redriven = integration_client.http.post(f"{BASE}/{sub_id}/redrive", headers=bearer("admin"))
    assert _json(redriven) == {"redriven": 1}
    assert (
        _json(integration_client.http.get(f"{BASE}/{sub_id}/parked", headers=bearer("admin")))["items"] == []
    )


def test_the_integration_document_describes_the_subscription_routes(integration_client: Client) -> None:
    document = _json(integration_client.http.get("/api/v1/integration/openapi.json"))
    assert f"{BASE}/{{subscription_id}}/rotate-secret" in document["paths"]
    create = document["paths"][BASE]["post"]
    assert create["x-permission"] == "integration.subscriptions.manage"


def test_a_retried_creation_with_its_idempotency_key_answers_the_same_subscription(
    integration_client: Client, bearer: Bearer
) -> None:
    body = json.dumps({"url": "https://province.example.vn/hooks/city"})
    headers = {**bearer("admin"), "Idempotency-Key": "onboard-province-1"}
    first = integration_client.http.post(BASE, headers=headers, body=body)
    again = integration_client.http.post(BASE, headers=headers, body=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert _json(again) == _json(first)
    assert len(_json(integration_client.http.get(BASE, headers=bearer("admin")))["items"]) == 1
    other = json.dumps({"url": "https://province.example.vn/hooks/other"})
    assert integration_client.http.post(BASE, headers=headers, body=other).status_code == 409
    malformed = integration_client.http.post(BASE, headers={**headers, "Idempotency-Key": " "}, body=body)
    assert malformed.status_code == 400
    assert "Idempotency-Key" in [e["field"] for e in _json(malformed)["errors"]]


def test_a_replay_is_queued_for_an_administrator_and_a_bad_range_is_a_400(
    integration_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    admin = bearer("admin")
    sub = _json(_create(integration_client, bearer))["subscription"]["id"]
    now = SystemClock().now().replace(microsecond=0)
    path = f"/api/v1/integration/subscriptions/{sub}/replays"
    body = {"from": (now - timedelta(hours=3)).isoformat(), "to": (now - timedelta(hours=1)).isoformat()}
    queued = integration_client.http.post(path, headers=admin, body=json.dumps(body))
    assert queued.status_code == 202, queued.body
    view = json.loads(queued.body)
    assert view["replay_id"].startswith("rpl_") and view["from"] and view["to"] and view["status"] == "queued"
    future = {"from": body["from"], "to": (now + timedelta(hours=1)).isoformat()}
    refused = integration_client.http.post(path, headers=admin, body=json.dumps(future))
    assert refused.status_code == 400 and json.loads(refused.body)["errors"][0]["field"] == "to"
    missing = integration_client.http.post(
        path.replace(sub, "sub_" + "0" * 20), headers=admin, body=json.dumps(body)
    )
    assert missing.status_code == 404
    assert (
        integration_client.http.post(path, headers=bearer("operator"), body=json.dumps(body)).status_code
        == 403
    )
