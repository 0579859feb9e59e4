"""The archive consumer's work, apart from Lambda's event shape: a batch of stream records →
the event log (each under its shard and sequence), the snapshot (each entity's newest), then
the shards' watermarks, last, so a poll never sees part of a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ioc_core.integration.event_log import EventLog, Logged
from ioc_core.integration.snapshot import SnapshotStore, entries


@dataclass
class Archiver:
    log: EventLog
    snapshot: SnapshotStore

    def take(self, records: Sequence[Logged]) -> None:
        if not records:
            return
        self.log.append(records)
        self.snapshot.offer(entries([r.event for r in records]))
        last: dict[str, str] = {}
        for record in records:
            last[record.shard] = max(last.get(record.shard, ""), record.sequence)
        for shard, sequence in sorted(last.items()):
            self.log.advance(shard, sequence)
