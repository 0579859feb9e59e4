"""Transactional outbox: events are rows written in the same DynamoDB transaction as the
state change. The relay publishes them from the table's stream to Kinesis.

Each item also carries the audit context of the change (who, from where, which route:
``audit_context.current()``), beside the event and never inside it: the relay publishes the
payload alone, the audit writer reads both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ioc_core.platform import audit_context
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
    audit = UnicodeAttribute(null=True)  # AuditContext as JSON; never part of the payload


def stage_events(tx: TransactWrite, events: list[CloudEvent]) -> None:
    now = datetime.now(UTC)
    context = audit_context.current().to_json()
    for event in events:
        item = OutboxItem(
            event_id=event.id,
            event_type=event.type,
            partition_key=event.partitionkey or event.subject or event.id,
            payload=event.to_json(),
            created_at=int(now.timestamp() * 1000),
            expires_at=now + RETENTION,
            audit=context,
        )
        tx.save(item, condition=OutboxItem.event_id.does_not_exist())
