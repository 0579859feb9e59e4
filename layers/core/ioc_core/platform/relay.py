"""The outbox relay: new outbox rows (from the table's stream) are published to Kinesis.

Delivery is at least once: a record Kinesis refuses is reported as the batch's first
failure and comes again; consumers dedupe by event id."""

from __future__ import annotations

from typing import Any, Protocol

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecordEventName

from ioc_core.platform.outbox import payloads_of

logger = Logger(service="ioc-outbox-relay")


class Publisher(Protocol):
    def publish(self, records: list[tuple[str, str]]) -> list[int]: ...


def relay(event: dict[str, Any], publisher: Publisher) -> dict[str, Any]:
    pending: list[tuple[str, tuple[str, str]]] = []  # (stream sequence, (partition key, payload))
    for record in DynamoDBStreamEvent(event).records:
        if record.event_name is not DynamoDBRecordEventName.INSERT or record.dynamodb is None:
            continue  # TTL deletions and updates are not events
        sequence = record.dynamodb.sequence_number or ""
        # An item of events staged together comes again whole if any of them is refused.
        pending += [(sequence, one) for one in payloads_of(record.dynamodb.new_image)]
    if not pending:
        return {"batchItemFailures": []}
    try:
        failed = publisher.publish([item for _, item in pending])
    except Exception:
        logger.exception("publish failed", extra={"records": len(pending)})
        failed = [0]
    logger.info("relayed", extra={"records": len(pending), "refused": len(failed)})
    if failed:
        return {"batchItemFailures": [{"itemIdentifier": pending[min(failed)][0]}]}
    return {"batchItemFailures": []}
