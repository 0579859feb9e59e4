"""The local stand-in for Kinesis Data Firehose: the pump feeds it a stream's records as it
feeds a consumer, and it writes what Firehose writes in AWS: each batch one gzipped object
of JSON lines (a record's data and a newline, as Firehose's AppendDelimiterToRecord does)
under ``<prefix>year=YYYY/month=MM/day=DD/hour=HH/`` by the records' arrival time (UTC).

Firehose buffers up to its interval or size; the stand-in writes each batch at once (more,
smaller objects; the same layout). An object is named by the batch's first sequence number,
so a retried batch writes the same object again rather than a second copy."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ioc_core.platform.resources import Archive, StreamConsumer
from ioc_core.platform.s3 import s3_client
from ioc_core.settings import Settings


def consumer_of(archive: Archive) -> StreamConsumer:
    """How the pump maps the archive: every record of its stream, no filter."""
    return StreamConsumer(
        function=archive.logical,
        handler="ioc_core.local.firehose",
        source_kind="kinesis",
        source=archive.stream,
    )


class FirehoseStandIn:
    def __init__(self, archive: Archive, settings: Settings, client: Any | None = None) -> None:
        self.archive = archive
        self.bucket = settings.name(archive.bucket)
        self.name = settings.name(archive.logical)
        self.client = client or s3_client(settings)

    def __call__(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        groups: dict[str, list[tuple[str, bytes]]] = {}
        for record in event.get("Records", []):
            kinesis = record["kinesis"]
            at = datetime.fromtimestamp(float(kinesis["approximateArrivalTimestamp"]), UTC)
            groups.setdefault(self.archive.partition(at), []).append(
                (str(kinesis["sequenceNumber"]), base64.b64decode(kinesis["data"]))
            )
        for prefix, records in groups.items():
            body = b"".join(data.rstrip(b"\n") + b"\n" for _, data in records)
            key = f"{prefix}{self.name}-{records[0][0]}.gz"
            self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=gzip.compress(body, mtime=0),
                ContentType="application/x-ndjson",
                ContentEncoding="gzip",
            )
        return {"batchItemFailures": []}
