"""Transactional outbox: events are rows written in the same DynamoDB transaction as the
state change. The relay publishes them from the table's stream to Kinesis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ioc_core.platform.dynamo import UNBOUND
from ioc_core.shared.cloudevents import CloudEvent

RETENTION = timedelta(days=7)


class OutboxItem(Model):
    class Meta:
        table_name = UNBOUND

    event_id = UnicodeAttribute(hash_key=True)
    event_type = UnicodeAttribute()
    partition_key = UnicodeAttribute()
    payload = UnicodeAttribute()  # the CloudEvent, structured JSON
    created_at = NumberAttribute()
    expires_at = TTLAttribute()


def stage_events(tx: TransactWrite, events: list[CloudEvent]) -> None:
    now = datetime.now(UTC)
    for event in events:
        item = OutboxItem(
            event_id=event.id,
            event_type=event.type,
            partition_key=event.partitionkey or event.subject or event.id,
            payload=event.to_json(),
            created_at=int(now.timestamp() * 1000),
            expires_at=now + RETENTION,
        )
        tx.save(item, condition=OutboxItem.event_id.does_not_exist())
