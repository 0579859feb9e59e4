"""Lambda: every event of the stream → the event log that polls read, and the snapshot.

Idempotent: a record is written under its shard and sequence number, an entity's snapshot
entry only by a newer event, so a retried batch changes nothing. A record that is not a
CloudEvent is logged and left out (nothing could serve it); any other failure retries the
batch whole (``batchItemFailures`` names its first record)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import KinesisStreamEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from ioc_core.integration.event_log import Logged, sequence_key
from ioc_core.integration.wiring import archiver
from ioc_core.platform import observability
from ioc_core.shared.cloudevents import CloudEvent

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = list(KinesisStreamEvent(event).records)
    logged: list[Logged] = []
    for record in records:
        shard = record.event_id.split(":", 1)[0]
        try:
            cloud_event = CloudEvent.from_json(record.kinesis.data_as_bytes())
        except (ValidationError, ValueError):
            logger.error(
                "not a CloudEvent: left out of the log", extra={"sequence": record.kinesis.sequence_number}
            )
            continue
        logged.append(Logged(shard, sequence_key(record.kinesis.sequence_number), cloud_event))
    try:
        archiver().take(logged)
    except Exception:
        logger.exception("event log batch failed", extra={"records": len(records)})
        return {"batchItemFailures": [{"itemIdentifier": records[0].kinesis.sequence_number}]}
    logger.info("event log", extra={"records": len(records), "logged": len(logged)})
    return {"batchItemFailures": []}
