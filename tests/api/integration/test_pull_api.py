"""Pull and snapshot through the API on the test stack, the events pumped through the relay
and the event-log consumer: a poll follows on from its cursor, filters by type, and carries
no personal data; a cursor is the caller's own and tamper-proof; only the provincial system
and administrators read; the snapshot holds the open report and a cursor to follow on."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from chalice.test import Client

from ioc_core.local.pump import EventPump
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings
from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api
EVENTS = "/api/v1/integration/events"


def drain(stack: Settings) -> None:
    ours = tuple(c for c in RESOURCES.consumers if c.function in ("outbox-relay", "integration-event-log"))
    EventPump(stack, resources=replace(RESOURCES, consumers=ours)).drain(timeout=60)


def poll(client: Client, headers: dict[str, str], **query: str) -> Any:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return client.http.get(f"{EVENTS}?{params}" if params else EVENTS, headers=headers)


def test_a_poll_follows_on_from_its_cursor_by_type_without_personal_data(
    stack: Settings, session: Session, integration_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    province = bearer("provincial")
    created = session.call(
        "POST", "/reports",
        {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn tắt, gọi 0912 345 678"},
        token=session.resident("0912345678"),
    )  # fmt: skip
    assert created.status_code == 201, created.body
    report_id = str(body(created)["id"])
    drain(stack)

    first = poll(integration_client, province)
    assert first.status_code == 200, first.body
    assert first.headers["Cache-Control"] == "no-store"
    page = json.loads(first.body)
    mine = [e for e in page["events"] if e.get("subject") == report_id]
    assert [e["type"].rsplit(".", 2)[-2:] for e in mine] == [["report", "submitted"]]
    assert mine[0]["specversion"] == "1.0" and mine[0]["partitionkey"] == report_id
    text = first.body.decode() if isinstance(first.body, bytes) else str(first.body)
    assert "912345678" not in text.replace(" ", "") and "0912 345 678" not in text

    again = json.loads(poll(integration_client, province, after=page["next"]).body)
    assert again["events"] == [] and again["more"] is False

    moved = session.call(
        "POST", f"/workflow/reports/{report_id}/verify", {"version": 1}, token=session.staff("dieuhanh")
    )
    assert moved.status_code == 200, moved.body
    drain(stack)
    after = json.loads(poll(integration_client, province, after=again["next"]).body)
    assert [(e["subject"], e["type"].rsplit(".", 1)[-1]) for e in after["events"]] == [
        (report_id, "status_changed")
    ]
    only = json.loads(poll(integration_client, province, types="field_reporting.report.submitted").body)
    assert {e["type"].rsplit(".", 1)[-1] for e in only["events"]} == {"submitted"}


def test_cursors_are_the_callers_own_and_tamper_proof(
    stack: Settings, integration_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    province = bearer("provincial")
    cursor = json.loads(poll(integration_client, province).body)["next"]
    for sent, headers in ((cursor[:-2] + "AA", province), ('{"s":"1"}', province), (cursor, bearer("admin"))):
        refused = poll(integration_client, headers, after=sent)
        assert refused.status_code == 400, refused.body
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert json.loads(refused.body)["errors"][0]["field"] == "after"
    unknown = poll(integration_client, province, types="field_reporting.report.exploded")
    assert unknown.status_code == 400 and json.loads(unknown.body)["errors"][0]["field"] == "types"
    assert poll(integration_client, province, limit="0").status_code == 400


@pytest.mark.parametrize(
    ("role", "status"), [("operator", 403), ("leader", 403), ("admin", 200), ("provincial", 200)]
)
def test_only_the_province_and_administrators_pull(
    integration_client: Client, bearer: Callable[[str], dict[str, str]], role: str, status: int
) -> None:
    for path in (EVENTS, "/api/v1/integration/snapshot"):
        assert integration_client.http.get(path, headers=bearer(role)).status_code == status
    assert integration_client.http.get(EVENTS).status_code == 401


def test_the_snapshot_holds_the_open_report_and_a_cursor_to_follow_on(
    stack: Settings, session: Session, integration_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    province = bearer("provincial")
    created = session.call(
        "POST", "/reports", {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn tắt"},
        token=session.resident(),
    )  # fmt: skip
    report_id = str(body(created)["id"])
    drain(stack)
    answer = integration_client.http.get("/api/v1/integration/snapshot", headers=province)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    snapshot = json.loads(answer.body)
    assert [e["data"]["status"] for e in snapshot["reports"] if e["subject"] == report_id] == ["received"]
    assert set(snapshot) >= {"as_of", "after", "reports", "incidents", "tasks", "indicators"}
    following = json.loads(poll(integration_client, province, after=snapshot["after"]).body)
    assert [e for e in following["events"] if e.get("subject") == report_id] == []


def test_open_reports_are_served_as_ngsi_ld_service_requests(
    stack: Settings, session: Session, integration_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    created = session.call(
        "POST", "/reports", {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn tắt"},
        token=session.resident(),
    )  # fmt: skip
    report_id = str(body(created)["id"])
    drain(stack)
    path = "/api/v1/integration/ngsi-ld/entities?type=Open311_ServiceRequest"
    answer = integration_client.http.get(path, headers=bearer("provincial"))
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/ld+json"
    [entity] = [e for e in json.loads(answer.body) if e["id"].endswith(f":{report_id}")]
    assert entity["type"] == "Open311_ServiceRequest" and entity["status"]["value"] == "open"
    assert entity["location"]["value"]["coordinates"] == [INSIDE[1], INSIDE[0]]
    wrong = integration_client.http.get(
        "/api/v1/integration/ngsi-ld/entities?type=Person", headers=bearer("provincial")
    )
    assert wrong.status_code == 400
