"""Lambda (enhanced fan-out on the event stream): each event → one delivery per subscription
that takes it, written once by (subscription, event id), and the forwarder woken for it."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import KinesisStreamEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from ioc_core.integration.deliveries.wiring import fanout
from ioc_core.platform import observability
from ioc_core.shared.cloudevents import CloudEvent

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records: list[tuple[str, CloudEvent]] = []
    first_failure: str | None = None
    for record in KinesisStreamEvent(event).records:
        try:
            records.append(
                (record.kinesis.sequence_number, CloudEvent.from_json(record.kinesis.data_as_bytes()))
            )
        except (ValidationError, ValueError):
            logger.error("undecodable record", extra={"sequence": record.kinesis.sequence_number})
            first_failure = record.kinesis.sequence_number
            break  # retries, then the DLQ, take the poison record out of the way
    if records:
        try:
            result = fanout().accept(records)
            logger.info("fanned out", extra=result.__dict__)
        except Exception:
            logger.exception("fan-out failed", extra={"records": len(records)})
            first_failure = records[0][0]
    return {"batchItemFailures": [{"itemIdentifier": first_failure}] if first_failure else []}
