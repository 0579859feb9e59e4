"""The local event pump keeps the event source mapping's contract."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from ioc_core.local.pump import EventPump
from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration


def _put(stack: Settings, n: int) -> None:
    KinesisPublisher(stack).publish([(f"k{i}", json.dumps({"n": i})) for i in range(n)])


def _numbers(event: dict[str, Any]) -> list[int]:
    import base64

    return [json.loads(base64.b64decode(r["kinesis"]["data"]))["n"] for r in event["Records"]]


def _pump(stack: Settings, stats_handler: Any) -> EventPump:
    return EventPump(
        stack,
        handlers={
            "outbox-relay": lambda e, c: {"batchItemFailures": []},
            "field-reporting-stats": stats_handler,
        },
    )


def test_partial_failure_resumes_at_the_failed_record(stack: Settings) -> None:
    _put(stack, 10)
    seen: list[int] = []
    failed_once: set[int] = set()

    def handler(event: dict[str, Any], ctx: Any) -> dict[str, Any]:
        for record, n in zip(event["Records"], _numbers(event), strict=True):
            if n == 4 and n not in failed_once:
                failed_once.add(n)
                return {"batchItemFailures": [{"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}
            seen.append(n)
        return {"batchItemFailures": []}

    pump = _pump(stack, handler)
    pump.drain(timeout=30)
    assert seen == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]  # 0–3 checkpointed, then resumed at 4


def test_a_crashing_batch_is_bisected_down_to_the_poison_record_which_goes_to_the_dlq(
    stack: Settings,
) -> None:
    _put(stack, 8)
    processed: list[int] = []

    def handler(event: dict[str, Any], ctx: Any) -> dict[str, Any]:
        numbers = _numbers(event)
        if 5 in numbers:
            raise ValueError("poison")
        processed.extend(numbers)
        return {"batchItemFailures": []}

    pump = _pump(stack, handler)
    pump.drain(timeout=30)
    mapping = next(m for m in pump.mappings if m.consumer.source_kind == "kinesis")
    assert sorted(set(processed)) == [0, 1, 2, 3, 4, 6, 7]
    assert mapping.stats.dead_lettered == 1
    sqs = boto3.client("sqs", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    url = sqs.get_queue_url(QueueName=stack.name("events-dlq"))["QueueUrl"]
    body = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert body["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert len(body["records"]) == 1


def test_the_relay_publishes_outbox_rows_in_lambda_shape(stack: Settings) -> None:
    from ioc_core.field_reporting.models import ReportDraft
    from ioc_core.field_reporting.wiring import intake_service

    intake = intake_service()
    code = next(s.service_code for s in intake.catalogue.active_services() if not s.attributes)
    report = intake.submit(ReportDraft(service_code=code, lat=10.928, lon=108.102)).report
    received: list[dict[str, Any]] = []

    def stats(event: dict[str, Any], ctx: Any) -> dict[str, Any]:
        received.extend(event["Records"])
        return {"batchItemFailures": []}

    from ioc_core.local.lambdas import load_handler
    from ioc_core.platform.resources import RESOURCES

    relay = load_handler(RESOURCES.consumers[0].handler)
    pump = EventPump(stack, handlers={"outbox-relay": relay, "field-reporting-stats": stats})
    pump.drain(timeout=30)
    assert len(received) == 1
    record = received[0]
    assert record["eventSource"] == "aws:kinesis" and record["kinesis"]["partitionKey"] == report.report_id
    import base64

    event = json.loads(base64.b64decode(record["kinesis"]["data"]))
    assert event["specversion"] == "1.0" and event["subject"] == report.report_id
    assert event["type"].endswith("report.submitted")
