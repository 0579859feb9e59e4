"""Replay's adapters: the archive read back from S3 (the layout Firehose and its local stand-in
write), and replay requests kept in the event log's table (``replay#<id>``) with their event."""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ioc_core.integration.adapters.event_log import EventLogItem
from ioc_core.integration.replay import ReplayRequest
from ioc_core.platform.dynamo import transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.platform.resources import Archive
from ioc_core.platform.s3 import s3_client
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.datetimes import parse_datetime

REPLAY = "replay#"


class S3ArchiveReader:
    def __init__(self, settings: Settings, archive: Archive, client: Any | None = None) -> None:
        self.archive = archive
        self.bucket = settings.name(archive.bucket)
        self.client = client or s3_client(settings)

    def events(self, start: datetime, end: datetime) -> Iterator[CloudEvent]:
        # An event is filed by its arrival on the stream, a little after its time: read an hour
        # either side, and keep those whose own time is in the range.
        hour = (start.astimezone(UTC) - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        last = end.astimezone(UTC) + timedelta(hours=1)
        while hour <= last:
            for key in self._keys(self.archive.partition(hour)):
                body = gzip.decompress(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())
                for line in body.decode("utf-8").splitlines():
                    if not line.strip():
                        continue
                    event = CloudEvent.from_json(line)
                    if start <= parse_datetime(event.time) < end:
                        yield event
            hour += timedelta(hours=1)

    def _keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys += [o["Key"] for o in page.get("Contents", [])]
        return sorted(keys)


class DynamoReplayStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def add(self, request: ReplayRequest, events: Sequence[CloudEvent]) -> None:
        with transaction(self.settings) as tx:
            item = EventLogItem(
                pk=f"{REPLAY}{request.replay_id}", sk="request", payload=request.model_dump_json()
            )
            tx.save(item, condition=EventLogItem.pk.does_not_exist())
            stage_events(tx, list(events))
