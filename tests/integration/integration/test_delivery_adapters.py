"""The deliveries' adapters on moto: the repositories' contract (PynamoDB, the subscriptions'
events in the same transaction), no scans, and the forwarder's queue with its delays."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from contracts.deliveries import T0, DeliveryStoresContract, Outbox, Stores, subscription
from ioc_core.integration.deliveries.adapters import DynamoAttempts, DynamoDeliveries, DynamoSubscriptions
from ioc_core.integration.deliveries.queue import SqsWakeups
from ioc_core.integration.deliveries.resources import QUEUE
from ioc_core.platform.outbox import OutboxItem
from ioc_core.settings import Settings
from ioc_core.shared.clock import FixedClock
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.integration


@pytest.fixture
def stores(stack: Settings) -> Stores:
    return DynamoSubscriptions(stack), DynamoDeliveries(), DynamoAttempts()


@pytest.fixture
def outbox(stack: Settings) -> Outbox:
    # The test reads the whole outbox: a handful of items.
    return lambda: [CloudEvent.from_json(item.payload).short_type for item in OutboxItem.scan()]


class TestDynamoDeliveryStores(DeliveryStoresContract):
    pass


def test_the_fan_out_and_the_forwarder_read_keys_and_indexes_never_a_scan(
    stores: Stores, no_scans: None
) -> None:
    subs, deliveries, attempts = stores
    subs.save(subscription(1), [], 0)
    assert [s.subscription_id for s in subs.all()] == [subscription(1).subscription_id]
    assert (
        deliveries.due(T0, 10) == []
        and attempts.of_subscription(subscription(1).subscription_id, 5).items == []
    )


def test_wake_ups_go_on_the_queue_delayed_and_long_waits_are_left_to_the_sweep(stack: Settings) -> None:
    sqs = boto3.client("sqs", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    wakeups = SqsWakeups(stack, FixedClock(T0), sqs)
    wakeups.wake([("now", T0), ("soon", T0 + timedelta(seconds=300)), ("later", T0 + timedelta(hours=2))])
    url = sqs.get_queue_url(QueueName=stack.name(QUEUE))["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "1"
    assert attributes["ApproximateNumberOfMessagesDelayed"] == "1"
    [message] = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert json.loads(message["Body"]) == {"delivery_id": "now"}
