"""Counter projections kept by event consumers, idempotent by CloudEvent id.

Each consumer marks every event it has applied in the same DynamoDB transaction as the
counter increments, so a redelivered event changes nothing. Events of a batch are applied
together (one transaction, deltas summed per counter row); if any was seen before, the
batch falls back to one event at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND, commit_each_once, transaction
from ioc_core.settings import Settings

# Longer than the stream's retention (7 days), so any redelivery finds its marker.
MARKER_RETENTION = timedelta(days=14)
MAX_TX_ITEMS = 100

Deltas = Mapping[tuple[str, str], Mapping[str, int]]  # (pk, sk) → counter → delta


class CounterRow(Model):
    """Counters live as plain number attributes, named by the projection."""

    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class ProcessedMarker(Model):
    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    expires_at = TTLAttribute()


def _counter(name: str) -> NumberAttribute:
    return NumberAttribute(attr_name=name)


class CounterProjection:
    def __init__(self, settings: Settings, consumer: str) -> None:
        self.settings = settings
        self.consumer = consumer

    def apply(self, changes: list[tuple[str, Deltas]]) -> None:
        """Apply (event_id, deltas) pairs exactly once each."""
        # At-least-once delivery can put the same event twice in one batch.
        unique = list({event_id: (event_id, d) for event_id, d in reversed(changes)}.values())[::-1]
        commit_each_once(self._chunks(unique), self._commit)

    @staticmethod
    def _chunks(changes: list[tuple[str, Deltas]]) -> list[list[tuple[str, Deltas]]]:
        """Groups that fit one transaction: a marker per event plus a write per counter row."""
        chunks: list[list[tuple[str, Deltas]]] = []
        current: list[tuple[str, Deltas]] = []
        rows: set[tuple[str, str]] = set()
        for change in changes:
            new_rows = rows | set(change[1])
            if current and len(current) + 1 + len(new_rows) > MAX_TX_ITEMS:
                chunks.append(current)
                current, new_rows = [], set(change[1])
            current.append(change)
            rows = new_rows
        if current:
            chunks.append(current)
        return chunks

    def _commit(self, changes: list[tuple[str, Deltas]]) -> None:
        summed: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for _, deltas in changes:
            for row, counters in deltas.items():
                for name, delta in counters.items():
                    summed[row][name] += delta
        expires = datetime.now(UTC) + MARKER_RETENTION
        with transaction(self.settings) as tx:
            for event_id, _ in changes:
                marker = ProcessedMarker(
                    pk=f"processed#{self.consumer}#{event_id}", sk="-", expires_at=expires
                )
                tx.save(marker, condition=ProcessedMarker.pk.does_not_exist())
            for (pk, sk), counters in summed.items():
                actions: list[Action] = [
                    _counter(name).add(delta) for name, delta in sorted(counters.items()) if delta
                ]
                if actions:
                    tx.update(CounterRow(pk=pk, sk=sk), actions=actions)

    def read(self, pk: str, sk: str) -> dict[str, int]:
        conn_item = CounterRow._get_connection().get_item(pk, sk, consistent_read=True)
        item = conn_item.get("Item", {})
        return {k: int(v["N"]) for k, v in item.items() if "N" in v}

    def read_many(self, pk: str, sks: Iterable[str]) -> dict[str, dict[str, int]]:
        return {sk: self.read(pk, sk) for sk in sks}
