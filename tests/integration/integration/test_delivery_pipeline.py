"""The whole way on moto through the local event pump, as in AWS: an event on the stream, the
fan-out consumer's delivery, the queue's wake-up, the forwarder's signed POST to a real
loopback receiver; a stream that hands the event over twice still delivers it once; the
sweep job puts a due delivery (a long wait come due) on the queue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from webhooks import Received, loopback_receiver, verified

from ioc_core.integration.deliveries.models import DeliveryStatus
from ioc_core.integration.deliveries.resources import delivery_resources
from ioc_core.integration.deliveries.service import NewSubscription
from ioc_core.local.pump import EventPump
from ioc_core.local.scheduler import find, run_job
from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.settings import Settings
from ioc_core.shared.clock import SystemClock
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.integration


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    with loopback_receiver() as served:
        yield served


def test_an_event_on_the_stream_reaches_the_receiver_signed_and_once(
    stack: Settings, receiver: tuple[str, Received]
) -> None:
    from ioc_core.integration.deliveries.wiring import subscription_service

    url, received = receiver
    created = subscription_service().create(NewSubscription(url=url), by="admin:quantri")
    event = CloudEvent.new(
        "field_reporting.report.submitted", subsystem="field_reporting", subject="PT-9",
        at=SystemClock().now(),
        data={"report_id": "PT-9", "ward_code": "22945"},
    )  # fmt: skip
    KinesisPublisher(stack).publish([("PT-9", event.to_json()), ("PT-9", event.to_json())])  # twice
    EventPump(stack, delivery_resources()).drain(timeout=60)
    [(headers, body)] = received.requests
    assert headers["webhook-id"] == event.id and json.loads(body)["id"] == event.id
    assert headers["content-type"].startswith("application/cloudevents+json")
    assert verified(created.secret, headers, body)


def test_the_sweep_queues_a_delivery_whose_long_wait_came_due(
    stack: Settings, receiver: tuple[str, Received]
) -> None:
    from ioc_core.integration.deliveries.wiring import delivery_store, subscription_service

    url, received = receiver
    received.status = 500
    sub = subscription_service().create(NewSubscription(url=url), by="admin:quantri").subscription
    event = CloudEvent.new(
        "field_reporting.report.submitted", subsystem="field_reporting", subject="PT-10",
        at=SystemClock().now(),
        data={"report_id": "PT-10"},
    )  # fmt: skip
    KinesisPublisher(stack).publish([("PT-10", event.to_json())])
    pump = EventPump(stack, delivery_resources())
    pump.drain(timeout=60)
    assert len(received.requests) == 1  # its retry is 5 s away, on the queue's delay
    # As if a long wait had come due: the sweep finds it on the due index and queues it now.
    [waiting] = delivery_store().of_subscription(sub.subscription_id, DeliveryStatus.PENDING, 10).items
    now = SystemClock().now()
    delivery_store().save(
        waiting.model_copy(update={"due_at": now - timedelta(seconds=1), "version": waiting.version + 1}),
        waiting.version,
    )
    received.status = 204
    assert run_job(find("integration-sweep"), prefix=stack.resource_prefix) == {"queued": 1}
    pump.drain(timeout=60)
    assert len(received.requests) == 2
    [done] = delivery_store().of_subscription(sub.subscription_id, DeliveryStatus.DELIVERED, 10).items
    assert done.attempts == 2


def test_a_replay_reads_the_archive_and_reaches_that_subscription_alone_marked(
    stack: Settings, receiver: tuple[str, Received]
) -> None:
    """The archive (the local Firehose stand-in's objects) read back by the replayer through the
    pump: the range's events again, signed, marked replayid, with a webhook-id of their own;
    the stream gains the request's event and nothing else."""
    from dataclasses import replace

    from ioc_core.integration.wiring import replay_service
    from ioc_core.rooms import RESOURCES

    url, received = receiver
    created = subscription_service_create(url)
    now = SystemClock().now()
    events = [
        CloudEvent.new(
            "field_reporting.report.submitted", subsystem="field_reporting", subject=f"PT-R{n}",
            at=now - timedelta(minutes=30 - n), data={"report_id": f"PT-R{n}", "ward_code": "22945"},
        )
        for n in range(3)
    ]  # fmt: skip
    KinesisPublisher(stack).publish([(e.subject or "", e.to_json()) for e in events])
    ours = ("integration-fanout", "integration-forwarder", "integration-replayer")
    pump_resources = replace(RESOURCES, consumers=tuple(c for c in RESOURCES.consumers if c.function in ours),
                             s3_consumers=(), schedules=())  # fmt: skip
    EventPump(stack, pump_resources).drain(timeout=60)
    assert len(received.requests) == 3
    request = replay_service().request(
        created.subscription.subscription_id, now - timedelta(hours=1), now, "admin:quantri"
    )
    from ioc_core.platform.outbox import OutboxItem

    [staged] = [i for i in OutboxItem.scan() if "replay.requested" in i.event_type]
    KinesisPublisher(stack).publish([(staged.partition_key, staged.payload)])  # as the relay would
    EventPump(stack, pump_resources).drain(timeout=60)
    # (the request's own event reaches the subscription live, as every event it takes)
    replayed = [(h, b) for h, b in received.requests[3:] if b"replayid" in b]
    assert sorted(json.loads(b)["subject"] for _, b in replayed) == ["PT-R0", "PT-R1", "PT-R2"]
    for headers, body in replayed:
        sent = json.loads(body)
        assert sent["replayid"] == request.replay_id
        assert headers["webhook-id"] == f"{request.replay_id}.{sent['id']}"
        assert verified(created.secret, headers, body)


def subscription_service_create(url: str):  # type: ignore[no-untyped-def]
    from ioc_core.integration.deliveries.wiring import subscription_service

    return subscription_service().create(NewSubscription(url=url), by="admin:quantri")
