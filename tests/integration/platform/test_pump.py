"""The local event pump keeps the event source mapping's contract."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from ioc_core.local.pump import EventPump
from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.platform.resources import Resources, StreamConsumer
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.integration


def _put(stack: Settings, n: int) -> None:
    KinesisPublisher(stack).publish([(f"k{i}", json.dumps({"n": i})) for i in range(n)])


def _numbers(event: dict[str, Any]) -> list[int]:
    import base64

    return [json.loads(base64.b64decode(r["kinesis"]["data"]))["n"] for r in event["Records"]]


def _stats_consumer() -> StreamConsumer:
    return next(c for c in RESOURCES.consumers if c.function == "field-reporting-stats")


def _unfiltered() -> Resources:
    """The stats consumer taking every record: these tests put plain numbers, not CloudEvents."""
    return Resources(consumers=(replace(_stats_consumer(), event_types=()),))


def _pump(stack: Settings, stats_handler: Any) -> EventPump:
    return EventPump(stack, _unfiltered(), handlers={"field-reporting-stats": stats_handler})


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
    url = sqs.get_queue_url(QueueName=stack.name("field-reporting-stats-dlq"))["QueueUrl"]
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

    relay = load_handler(RESOURCES.consumers[0].handler)
    pump = EventPump(stack, handlers={"outbox-relay": relay, "field-reporting-stats": stats})
    pump.drain(timeout=30)
    assert len(received) == 1
    record = received[0]
    assert record["eventSource"] == "aws:kinesis" and record["kinesis"]["partitionKey"] == report.report_id
    import base64

    event = json.loads(base64.b64decode(record["kinesis"]["data"]))
    assert event["specversion"] == "1.0" and event["subject"] == report.report_id
    assert event["type"].endswith("field_reporting.report.submitted")


def test_a_consumer_is_fed_only_the_event_types_it_declares(stack: Settings) -> None:
    """The same pattern as the mapping's FilterCriteria in AWS: other rooms' events and records
    that are not CloudEvents never reach the function, and are not retried or dead-lettered."""
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    taken = CloudEvent.new(
        "field_reporting.report.rated", subsystem="field_reporting", subject="r1", at=at, data={}
    )
    other = CloudEvent.new("cameras.alert.raised", subsystem="cameras", subject="a1", at=at, data={})
    KinesisPublisher(stack).publish([("r1", taken.to_json()), ("a1", other.to_json()), ("x", "not json")])
    received: list[str] = []

    def stats(event: dict[str, Any], ctx: Any) -> dict[str, Any]:
        import base64

        received.extend(json.loads(base64.b64decode(r["kinesis"]["data"]))["type"] for r in event["Records"])
        return {"batchItemFailures": []}

    pump = EventPump(
        stack, Resources(consumers=(_stats_consumer(),)), handlers={"field-reporting-stats": stats}
    )
    pump.drain(timeout=30)
    assert received == [taken.type]
    assert pump.mappings[0].stats.filtered_out == 2
    assert pump.mappings[0].stats.dead_lettered == 0


def test_a_consumer_is_behind_until_it_has_read_its_backlog_to_the_end_once(stack: Settings) -> None:
    """What `ioc dev` waits for before "Ready": the backlog there at start, not a quiet moment."""
    _put(stack, 250)
    seen: list[int] = []

    def handler(event: dict[str, Any], ctx: Any) -> dict[str, Any]:
        seen.extend(_numbers(event))
        return {"batchItemFailures": []}

    pump = _pump(stack, handler)
    assert pump.behind() == ["field-reporting-stats"]
    while pump.behind():
        pump.poll_once()
    assert sorted(seen)[-1] == 249 and pump.delivered() >= 250
    _put(stack, 3)  # later events (a camera's) leave it caught up
    assert pump.poll_once() == 3 and pump.behind() == []
    pump.rearm()  # a second round (after the relay upstream reached its end): behind until read again
    assert pump.behind() == ["field-reporting-stats"]
    assert pump.poll_once() == 0 and pump.behind() == []


def test_a_consumer_of_single_records_reads_the_shard_in_pages(stack: Settings) -> None:
    """Batch size 1 is a batch of one, not a read of one: a rare event behind a long backlog of
    others (a replay request behind the demo history) is reached in a few reads."""
    _put(stack, 1200)
    rare = CloudEvent.new(
        "field_reporting.report.submitted", subsystem="field_reporting", subject="PT-RARE",
        at=datetime(2026, 12, 4, tzinfo=UTC), data={"report_id": "PT-RARE"}, sequence=1,
    )  # fmt: skip
    KinesisPublisher(stack).publish([("PT-RARE", rare.to_json())])
    single = replace(_stats_consumer(), batch_size=1, event_types=("field_reporting.report.submitted",))
    batches: list[list[str]] = []

    def handler(event: dict[str, Any], ctx: Any) -> dict[str, Any]:
        import base64

        batches.append(
            [json.loads(base64.b64decode(r["kinesis"]["data"]))["subject"] for r in event["Records"]]
        )
        return {"batchItemFailures": []}

    reads: list[int] = []

    def count(params: dict[str, Any], **_: Any) -> None:
        reads.append(int(params.get("Limit", 0)))

    boto3.setup_default_session()  # the pump's clients come from it
    events = boto3.DEFAULT_SESSION.events  # type: ignore[union-attr]
    events.register("provide-client-params.kinesis.GetRecords", count)
    try:
        EventPump(stack, Resources(consumers=(single,)), handlers={single.function: handler}).drain(
            timeout=60
        )
    finally:
        events.unregister("provide-client-params.kinesis.GetRecords", count)
    assert batches == [["PT-RARE"]]
    assert 0 < len(reads) <= 12, f"{len(reads)} reads for 1,201 records"
