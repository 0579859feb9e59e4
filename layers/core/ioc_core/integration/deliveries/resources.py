"""What the deliveries need from AWS; the integration room adds it to its resources.

The fan-out consumer reads the event stream with enhanced fan-out (the stream's polling reads
are spoken for, and the province's deliveries are latency-bound). Short waits (the first try,
5 s, 5 min) are the forwarder queue's per-message delays; longer ones (30 min to 10 h) sit on
the deliveries' due index, which the sweep polls every minute and puts on the queue."""

from __future__ import annotations

from ioc_core.platform.resources import (
    Index,
    Key,
    Queue,
    QueueConsumer,
    Resources,
    Schedule,
    StreamConsumer,
    Table,
)

SUBSCRIPTIONS = "integration_subscriptions"
DELIVERIES = "integration_deliveries"
ATTEMPTS = "integration_attempts"
QUEUE = "integration-forward"
FANOUT = "integration-fanout"
FORWARDER = "integration-forwarder"
SWEEP = "integration-sweep"
SUBSYSTEM = "integration"


def delivery_resources() -> Resources:
    return Resources(
        tables=(
            Table(
                SUBSCRIPTIONS,
                Key("subscription_id"),
                indexes=(Index("by_creation", Key("kind"), Key("created_key")),),
                subsystem=SUBSYSTEM,
            ),
            Table(
                DELIVERIES,
                Key("delivery_id"),
                indexes=(
                    Index("by_lane", Key("lane"), Key("position")),
                    Index("by_due", Key("due_shard"), Key("due_key")),
                    Index("by_subscription", Key("subscription_id"), Key("state_key")),
                ),
                ttl_attribute="expires_at",
                subsystem=SUBSYSTEM,
            ),
            Table(
                ATTEMPTS,
                Key("subscription_id"),
                Key("attempt_key"),
                ttl_attribute="expires_at",
                subsystem=SUBSYSTEM,
            ),
        ),
        own_queues=(Queue(QUEUE),),
        consumers=(
            StreamConsumer(
                function=FANOUT,
                handler="integration.fanout.handler.handler",
                source_kind="kinesis",
                source="events",
                every_event=True,
                fan_out=True,
                reads=(SUBSCRIPTIONS,),
                writes=(DELIVERIES, QUEUE),
            ),
        ),
        queue_consumers=(
            QueueConsumer(
                function=FORWARDER,
                handler="integration.forwarder.handler.handler",
                queue=QUEUE,
                reads=(SUBSCRIPTIONS, DELIVERIES, ATTEMPTS),
                writes=(SUBSCRIPTIONS, DELIVERIES, ATTEMPTS, QUEUE, "outbox"),
            ),
        ),
        schedules=(
            Schedule(
                function=SWEEP,
                handler="integration.sweep.handler.handler",
                expression="rate(1 minute)",
                reads=(DELIVERIES,),
                writes=(QUEUE,),
            ),
        ),
    )
