"""The event log and the snapshot in DynamoDB (logical table ``event_log``).

- ``log#<shard>`` / ``<sequence key>``: one record, expiring after the retention.
- ``id#<event id>`` / ``id``: the event is logged (a republished copy is left out).
- ``watermark`` / ``<shard>``: how far each shard is written whole.
- ``snapshot#<kind>`` / ``<entity>``: the entity's latest event, written on condition that it
  is newer; the sparse index ``active`` holds only the entities still active, so a snapshot
  reads the 79 open reports, not the 1,104.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.integration.event_log import RETENTION, Logged
from ioc_core.integration.snapshot import Entry
from ioc_core.platform.dynamo import UNBOUND
from ioc_core.shared.cloudevents import CloudEvent

TABLE = "event_log"
LOG = "log#"
SEEN = "id#"  # an event id logged already (the relay publishes at least once)
WATERMARK = "watermark"
SNAPSHOT = "snapshot#"


class _Active(GlobalSecondaryIndex["EventLogItem"]):
    class Meta:
        index_name = "active"
        projection = AllProjection()

    active_kind = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class EventLogItem(Model):
    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    event_type = UnicodeAttribute(null=True)
    payload = UnicodeAttribute(null=True)  # the CloudEvent, structured JSON
    order = UnicodeAttribute(null=True)  # a snapshot entry's: larger is newer
    active_kind = UnicodeAttribute(null=True)  # set only while the entity is active (the sparse index)
    expires_at = TTLAttribute(null=True)

    active = _Active()


MODELS: tuple[tuple[type[Model], str], ...] = ((EventLogItem, TABLE),)


class DynamoEventLog:
    def append(self, records: Sequence[Logged]) -> None:
        expires = datetime.now(UTC) + RETENTION
        ids = list(dict.fromkeys(r.event.id for r in records))
        seen = {
            str(i.pk)
            for i in EventLogItem.batch_get([(f"{SEEN}{i}", "id") for i in ids], consistent_read=True)
        }
        fresh: dict[str, Logged] = {}
        for record in records:
            if f"{SEEN}{record.event.id}" not in seen:
                fresh.setdefault(record.event.id, record)  # a copy within the batch: the first
        # The records first, then their ids: a batch cut short comes again whole (the same
        # sequence numbers, written again), and finds its ids only once its records are in.
        with EventLogItem.batch_write() as batch:
            for record in fresh.values():
                batch.save(
                    EventLogItem(
                        pk=f"{LOG}{record.shard}",
                        sk=record.sequence,
                        event_type=record.event.type,
                        payload=record.event.to_json(),
                        expires_at=expires,
                    )
                )
        with EventLogItem.batch_write() as batch:
            for event_id in fresh:
                batch.save(EventLogItem(pk=f"{SEEN}{event_id}", sk="id", expires_at=expires))

    def advance(self, shard: str, sequence: str) -> None:
        item = EventLogItem(pk=WATERMARK, sk=shard, order=sequence)
        try:
            item.save(condition=EventLogItem.order.does_not_exist() | (EventLogItem.order < sequence))
        except PutError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise  # else: a retried batch, the watermark is past it already

    def watermarks(self) -> dict[str, str]:
        return {str(i.sk): str(i.order) for i in EventLogItem.query(WATERMARK, consistent_read=True)}

    def read(self, shard: str, after: str | None, upto: str, limit: int) -> list[Logged]:
        condition = EventLogItem.sk.between(after, upto) if after else EventLogItem.sk <= upto
        found = []
        for item in EventLogItem.query(f"{LOG}{shard}", condition, consistent_read=True, limit=limit + 1):
            if after is not None and item.sk == after:
                continue  # ``between`` takes both ends
            found.append(Logged(shard, str(item.sk), CloudEvent.from_json(str(item.payload))))
            if len(found) == limit:
                break
        return found


class DynamoSnapshotStore:
    def offer(self, entries: Sequence[Entry]) -> None:
        for entry in entries:
            item = EventLogItem(
                pk=f"{SNAPSHOT}{entry.kind}",
                sk=entry.key,
                event_type=entry.event.type,
                payload=entry.event.to_json(),
                order=entry.order,
                active_kind=entry.kind if entry.active else None,
            )
            try:
                item.save(condition=EventLogItem.order.does_not_exist() | (EventLogItem.order < entry.order))
            except PutError as error:
                if error.cause_response_code != "ConditionalCheckFailedException":
                    raise  # else: it holds a newer event of that entity already

    def active(self, kind: str) -> list[CloudEvent]:
        return [CloudEvent.from_json(str(i.payload)) for i in EventLogItem.active.query(kind)]
