"""Transactional outbox: events are rows written in the same DynamoDB transaction as the
state change. The relay publishes them from the table's stream to Kinesis.

Each item also carries the audit context of the change (who, from where, which route:
``audit_context.current()``), beside the event and never inside it: the relay publishes the
payload alone, the audit writer reads both.

An item holds one event, or several staged ``together``: DynamoDB takes 100 items in a
transaction, so a change of many records (an import of indicator values) keeps them all in
one transaction with one outbox item for their events, the first as ``payload`` and the rest
in ``batch``. The relay publishes each, the audit writer records each (``payloads_of``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ioc_core.platform import audit_context
from ioc_core.platform.dynamo import UNBOUND
from ioc_core.shared.cloudevents import CloudEvent

RETENTION = timedelta(days=7)
MAX_BATCH_BYTES = 300_000  # DynamoDB's items hold 400 KB; the rest is the item's other fields


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
    # Events staged together after the first: a JSON list of [partition key, payload].
    batch = UnicodeAttribute(null=True)


def payloads_of(image: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(partition key, CloudEvent JSON) of every event an outbox item holds, the first first:
    from a stream record's new image (plain values, as Powertools gives) or an item's
    ``attribute_values``."""
    rest = [(str(k), str(p)) for k, p in json.loads(str(image["batch"]))] if image.get("batch") else []
    return [(str(image.get("partition_key", "")), str(image["payload"])), *rest]


def _key(event: CloudEvent) -> str:
    return event.partitionkey or event.subject or event.id


def stage_events(tx: TransactWrite, events: list[CloudEvent], together: bool = False) -> None:
    """An outbox item per event, or with ``together`` one for all of them (one item of the
    transaction whatever their number; ValueError past what an item holds)."""
    now = datetime.now(UTC)
    context = audit_context.current().to_json()
    groups = [events] if together and events else [[e] for e in events]
    for first, *rest in groups:
        batch = json.dumps([[_key(e), e.to_json()] for e in rest], ensure_ascii=False) if rest else None
        if batch is not None and len(batch.encode("utf-8")) > MAX_BATCH_BYTES:
            raise ValueError(f"{len(rest) + 1} events are more than one outbox item holds")
        item = OutboxItem(
            event_id=first.id,
            event_type=first.type,
            partition_key=_key(first),
            payload=first.to_json(),
            created_at=int(now.timestamp() * 1000),
            expires_at=now + RETENTION,
            audit=context,
            batch=batch,
        )
        tx.save(item, condition=OutboxItem.event_id.does_not_exist())
