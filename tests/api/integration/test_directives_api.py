"""The province's directive webhook through the API on the test stack, then the events pumped
to the socio-economic room: a signed directive becomes one task on the register, naming the
directive; a redelivery changes nothing; a bad signature, an old timestamp, a malformed body,
another media type or an unknown unit is a 4xx problem that writes nothing."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from chalice.test import Client
from webhooks import signed_headers

from ioc_core.local.pump import EventPump
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings

pytestmark = pytest.mark.api

KEY = b"province-shared-key-for-tests-32"
SECRET = "whsec_" + base64.b64encode(KEY).decode()
PATH = "/api/v1/integration/directives"


@pytest.fixture(autouse=True)
def province_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_DIRECTIVES_SECRET", SECRET)


def directive(**data: Any) -> bytes:
    document = {
        "specversion": "1.0",
        "id": "province-evt-0042",
        "source": "/vn/gov/lamdong/ioc/chi-dao",
        "type": "vn.gov.lamdong.ioc.task.assigned",
        "time": "2026-03-16T02:00:00Z",
        "datacontenttype": "application/json",
        "data": {
            "directive_id": "CD-2026-0042",
            "title": "Kiểm tra an toàn bãi tắm Đồi Dương trước mùa du lịch hè",
            "document_ref": "Công văn 456/UBND-KT ngày 10/03/2026",
            "owner_unit": "VHXH",
            "deadline": "2030-04-30",
            "expected_output": "Báo cáo kết quả kiểm tra",
        }
        | data,
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def signed(
    body: bytes, webhook_id: str = "msg_0042", at: float | None = None, key: bytes = KEY
) -> dict[str, str]:
    return {"Content-Type": "application/cloudevents+json", **signed_headers(key, body, webhook_id, at)}


def send(client: Client, body: bytes, headers: dict[str, str]) -> Any:
    return client.http.post(PATH, body=body, headers=headers)


def drain(stack: Settings) -> None:
    ours = tuple(
        c for c in RESOURCES.consumers if c.function in ("outbox-relay", "socio-economic-directives")
    )
    EventPump(stack, resources=replace(RESOURCES, consumers=ours)).drain(timeout=60)


def board(client: Client, bearer: Callable[[str], dict[str, str]]) -> list[dict[str, Any]]:
    answer = client.http.get("/api/v1/socio-economic/tasks?owner_unit=VHXH", headers=bearer("leader"))
    assert answer.status_code == 200, answer.body
    return [t for t in json.loads(answer.body)["tasks"] if t.get("directive_id")]


def test_a_signed_directive_becomes_one_task_and_a_redelivery_changes_nothing(
    stack: Settings,
    integration_client: Client,
    socio_economic_client: Client,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    body = directive()
    headers = signed(body)
    accepted = send(integration_client, body, headers)
    assert accepted.status_code == 202, accepted.body
    assert json.loads(accepted.body) == {"status": "accepted", "directive_id": "CD-2026-0042"}
    drain(stack)
    [task] = board(socio_economic_client, bearer)
    assert (task["source"], task["directive_id"], task["owner_unit"]) == ("province", "CD-2026-0042", "VHXH")
    assert task["deadline"] == "2030-04-30" and "456/UBND-KT" in task["source_ref"]

    again = send(integration_client, body, headers)  # the province retried: same webhook-id
    assert again.status_code == 202 and json.loads(again.body)["status"] == "duplicate"
    resent = send(integration_client, body, signed(body, webhook_id="msg_0042_resent"))
    assert json.loads(resent.body)["status"] == "duplicate"
    drain(stack)
    assert [t["task_id"] for t in board(socio_economic_client, bearer)] == [task["task_id"]]


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("tampered", 401), ("old", 401), ("unsigned", 401), ("malformed", 400), ("unknown unit", 400),
        ("media type", 415), ("changed", 409),
    ],
)  # fmt: skip
def test_bad_deliveries_are_problems_that_write_nothing(
    stack: Settings,
    integration_client: Client,
    socio_economic_client: Client,
    bearer: Callable[[str], dict[str, str]],
    case: str,
    status: int,
) -> None:
    if case == "changed":  # the same directive id, other content, after the first was taken
        first = directive(directive_id="CD-2026-0050")
        assert send(integration_client, first, signed(first, webhook_id="msg_first")).status_code == 202
        drain(stack)
    body = {
        "malformed": b'{"specversion": "1.0", "data": []}',
        "unknown unit": directive(owner_unit="KHONGCO"),
        "changed": directive(directive_id="CD-2026-0050", deadline="2031-01-01"),
    }.get(case, directive())
    headers = {
        "tampered": signed(directive(owner_unit="KINHTE")),
        "old": signed(body, at=time.time() - 600),
        "unsigned": {"Content-Type": "application/cloudevents+json"},
        "media type": {**signed(body), "Content-Type": "text/plain"},
    }.get(case, signed(body, webhook_id=f"msg_{case.replace(' ', '_')}"))
    answer = send(integration_client, body, headers)
    assert answer.status_code == status, answer.body
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = json.loads(answer.body)
    assert "/" in problem["detail"]  # Vietnamese / English
    drain(stack)
    kept = [t["directive_id"] for t in board(socio_economic_client, bearer)]
    assert kept == (["CD-2026-0050"] if case == "changed" else [])
