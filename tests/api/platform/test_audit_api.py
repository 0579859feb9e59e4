"""GET /api/v1/audit, and the trail a change leaves: a report verified through the API is one
audit entry naming the operator and the request's address, while the event on Kinesis names
neither. Runs the outbox's two readers (the relay and the audit writer) through the pump."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import boto3
import pytest
from chalice.test import Client

from ioc_core.local.pump import EventPump
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings
from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api
VIEWER = "203.0.113.7"  # as CloudFront forwards the viewer's address
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def _drain(stack: Settings) -> None:
    ours = tuple(c for c in RESOURCES.consumers if c.function in ("outbox-relay", "audit-writer"))
    EventPump(stack, resources=replace(RESOURCES, consumers=ours)).drain(timeout=60)


def _kinesis_payloads(stack: Settings) -> list[str]:
    client = boto3.client("kinesis", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    name, found = stack.name("events"), []
    for shard in client.list_shards(StreamName=name)["Shards"]:
        iterator = client.get_shard_iterator(
            StreamName=name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        found += [r["Data"].decode("utf-8") for r in client.get_records(ShardIterator=iterator)["Records"]]
    return found


def _search(client: Client, headers: dict[str, str], query: str = "") -> Any:
    return client.http.get(f"/api/v1/audit{query}", headers=headers)


def _staff_token(role: str, username: str) -> str:
    from ioc_core.identity.wiring import dev_idp

    provider = dev_idp()
    assert provider is not None
    return provider.issue(f"{username}-sub", username, [role]).access_token


def test_a_verify_through_the_api_is_one_entry_with_the_operator_and_the_address_and_not_in_the_event(
    stack: Settings, session: Session, overview_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    created = session.call(
        "POST", "/reports", {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn tắt"},
        token=session.resident(),
    )  # fmt: skip
    assert created.status_code == 201, created.body
    report_id = str(body(created)["id"])
    operator = _staff_token("operator", "op.nguyenvana")
    verified = session.call(
        "POST", f"/workflow/reports/{report_id}/verify", {"version": 1}, token=operator,
        **{"X-Forwarded-For": VIEWER, "User-Agent": AGENT},
    )  # fmt: skip
    assert verified.status_code == 200, verified.body
    _drain(stack)

    found = _search(overview_client, bearer("admin"), f"?target={report_id}")
    assert found.status_code == 200, found.body
    entries = json.loads(found.body)["items"]
    changes = [e for e in entries if e["action"] == "field_reporting.report.status_changed"]
    assert len(changes) == 1, entries
    (entry,) = changes
    assert (entry["actor"], entry["role"], entry["change"], entry["step"]) == (
        "op.nguyenvana", "operator", "received→verified", "verify",
    )  # fmt: skip
    assert (entry["forwarded_for"], entry["user_agent"]) == (VIEWER, AGENT) and entry["ip"]
    assert entry["route"] == "POST /api/v1/workflow/reports/{report_id}/verify"
    assert entry["summary"]["vi"] == f"Phản ánh {report_id}: Chờ tiếp nhận → Đã tiếp nhận (verify)"
    submitted = [e for e in entries if e["action"] == "field_reporting.report.submitted"]
    assert [e["actor"].split(":")[0] for e in submitted] == ["resident"]  # by account id, never a phone

    published = [p for p in _kinesis_payloads(stack) if report_id in p]
    assert any("status_changed" in p for p in published)
    for payload in published:
        for leak in ("op.nguyenvana", VIEWER, "Firefox", "audit", "user_agent", "forwarded"):
            assert leak not in payload, (leak, payload)

    _drain(stack)  # delivered again (at least once): still one entry
    again = json.loads(_search(overview_client, bearer("leader"), f"?target={report_id}").body)["items"]
    assert [e["id"] for e in again] == [e["id"] for e in entries]


def test_revoking_an_api_key_is_found_by_actor_action_and_words(
    stack: Settings, session: Session, overview_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    admin = _staff_token("admin", "quantri.le")
    made = session.call("POST", "/admin/api-keys", {"name": "Đối tác Hải Đăng"}, token=admin)
    assert made.status_code == 201, made.body
    key_id = body(made)["key_id"]
    assert session.call("POST", f"/admin/api-keys/{key_id}/revoke", {}, token=admin).status_code == 200
    _drain(stack)

    headers = bearer("leader")
    by_actor = json.loads(_search(overview_client, headers, "?actor=quantri.le").body)["items"]
    assert [e["action"] for e in by_actor] == ["platform.api_key.revoked", "platform.api_key.created"]
    words = json.loads(_search(overview_client, headers, "?q=thu%20hoi%20DOI%20TAC").body)["items"]
    assert [(e["target"]["id"], e["actor"]) for e in words] == [(key_id, "quantri.le")]
    shown = f"{key_id[:10]}… «Đối tác Hải Đăng»"
    assert words[0]["summary"] == {"vi": f"Thu hồi khóa API {shown}", "en": f"API key revoked {shown}"}
    by_action = json.loads(_search(overview_client, headers, "?action=platform.api_key&limit=1").body)
    assert len(by_action["items"]) == 1 and by_action["next_cursor"]
    rest = _search(
        overview_client, headers, f"?action=platform.api_key&limit=1&cursor={by_action['next_cursor']}"
    )
    assert [e["action"] for e in json.loads(rest.body)["items"]] == ["platform.api_key.created"]
    # A cursor is for its filters: another filter with it is a 400, before DynamoDB is asked.
    other = _search(overview_client, headers, f"?action=platform&limit=1&cursor={by_action['next_cursor']}")
    assert other.status_code == 400 and json.loads(other.body)["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?from=yesterday", "from"),
        ("?from=2026-02-30", "from"),
        ("?from=2026-12-02&to=2026-12-01", "from"),
        ("?from=2026-01-01&to=2026-12-01", "from"),  # eleven months of day partitions
        ("?action=Platform!", "action"),
        ("?limit=0", "limit"),
        ("?cursor=forged", "cursor"),
    ],
)
def test_bad_searches_are_400_problems_in_both_languages(
    stack: Settings, overview_client: Client, bearer: Callable[[str], dict[str, str]], query: str, field: str
) -> None:
    answer = _search(overview_client, bearer("admin"), query)
    assert answer.status_code == 400, answer.body
    problem = json.loads(answer.body)
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert " / " in problem["title"] + problem["detail"]
    assert field in [e["field"] for e in problem["errors"]]


def test_days_are_vietnam_days_and_a_day_ends_at_its_last_instant(
    stack: Settings, overview_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    from contracts.audit_log import entry
    from ioc_core.platform.wiring import audit_log

    audit_log().record([entry(0), entry(1), entry(2)])  # 23:30, 23:50 on 1 December, 00:10 on the 2nd
    first = _search(overview_client, bearer("admin"), "?from=2026-12-01&to=2026-12-01")
    assert [e["id"] for e in json.loads(first.body)["items"]] == ["ev-0001", "ev-0000"]
    second = json.loads(_search(overview_client, bearer("admin"), "?from=2026-12-02&to=2026-12-02").body)
    assert [(e["id"], e["datetime"][:19]) for e in second["items"]] == [("ev-0002", "2026-12-02T00:10:00")]


@pytest.mark.parametrize(
    ("role", "status"), [("operator", 403), ("unit_staff", 403), ("admin", 200), ("leader", 200)]
)
def test_only_administrators_and_leaders_read_the_log(
    stack: Settings, overview_client: Client, bearer: Callable[[str], dict[str, str]], role: str, status: int
) -> None:
    assert _search(overview_client, bearer(role)).status_code == status
    assert _search(overview_client, {}).status_code == 401


def test_a_camera_registered_and_its_key_rotated_are_audited_and_no_key_leaves_in_an_event(
    stack: Settings, cameras_client: Client, overview_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    camera = {"camera_id": "pt-hd-09", "name": "Cầu Trần Hưng Đạo", "ward_code": "22945", "lat": 10.93,
              "lon": 108.1, "kind": "hd", "zones": []}  # fmt: skip
    admin = {
        "Authorization": f"Bearer {_staff_token('admin', 'quantri.le')}",
        "Content-Type": "application/json",
    }
    made = cameras_client.http.post("/api/v1/cameras", headers=admin, body=json.dumps(camera))
    assert made.status_code == 201, made.body
    rotated = cameras_client.http.post("/api/v1/cameras/pt-hd-09/uploader-key", headers=admin)
    assert rotated.status_code == 201, rotated.body
    keys = (json.loads(made.body)["uploader_key"], json.loads(rotated.body)["uploader_key"])
    _drain(stack)

    found = json.loads(_search(overview_client, bearer("admin"), "?target=pt-hd-09").body)["items"]
    assert [(e["action"], e["actor"]) for e in found] == [
        ("cameras.camera.uploader_key_rotated", "quantri.le"), ("cameras.camera.registered", "quantri.le"),
    ]  # fmt: skip
    assert found[1]["summary"]["en"] == "Camera registered pt-hd-09 «Cầu Trần Hưng Đạo»"
    for payload in _kinesis_payloads(stack):
        assert not any(key in payload for key in keys) and "quantri" not in payload


def test_the_audit_log_publishes_its_openapi_document_to_those_who_read_it(
    overview_client: Client, bearer: Callable[[str], dict[str, str]]
) -> None:
    answer = overview_client.http.get("/api/v1/audit/openapi.json", headers=bearer("admin"))
    assert answer.status_code == 200, answer.body
    document = json.loads(answer.body)
    assert document["openapi"].startswith("3.1") and "/api/v1/audit" in document["paths"]
    query = {p["name"] for p in document["paths"]["/api/v1/audit"]["get"]["parameters"]}
    assert {"actor", "target", "cursor"} <= query
    refused = overview_client.http.get("/api/v1/audit/openapi.json", headers=bearer("operator"))
    assert refused.status_code == 403
