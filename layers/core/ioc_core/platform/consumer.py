"""Kinesis batches of CloudEvents, with the partial-failure contract of the event source
mapping: report the first record that failed, so the batch resumes exactly there and
everything before it is checkpointed. Bisect, bounded retries and the DLQ do the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import KinesisStreamEvent
from pydantic import ValidationError

from ioc_core.shared.cloudevents import CloudEvent

logger = Logger(service="ioc-events")


def consume_kinesis(event: dict[str, Any], apply: Callable[[list[CloudEvent]], None]) -> dict[str, Any]:
    records = list(KinesisStreamEvent(event).records)
    decoded: list[CloudEvent] = []
    first_failure: str | None = None
    for record in records:
        try:
            decoded.append(CloudEvent.from_json(record.kinesis.data_as_bytes()))
        except (ValidationError, ValueError):
            # A poison record: stop here; retries, then the DLQ, will take it out of the way.
            logger.error("undecodable record", extra={"sequence": record.kinesis.sequence_number})
            first_failure = record.kinesis.sequence_number
            break
    if decoded:
        try:
            apply(decoded)
        except Exception:
            logger.exception("batch failed", extra={"records": len(decoded)})
            first_failure = records[0].kinesis.sequence_number
    logger.info("batch", extra={"records": len(records), "applied": len(decoded), "failed_at": first_failure})
    return {"batchItemFailures": [{"itemIdentifier": first_failure}] if first_failure else []}
