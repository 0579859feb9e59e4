"""The audit writer: each new outbox item (from the outbox table's stream) becomes one audit
entry, with the context committed beside its event. Idempotent by event id: a batch delivered
again writes nothing twice.

It reads the outbox stream beside the relay rather than inside it, so neither holds the other
back: an audit write that fails is retried (and dead-lettered) on its own, without publishing
the batch's events to Kinesis again, and a Kinesis outage does not stop the log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecordEventName

from ioc_core.platform.audit.models import AuditEntry, entry_of
from ioc_core.platform.audit.service import AuditLog
from ioc_core.platform.audit_context import AuditContext
from ioc_core.platform.outbox import payloads_of
from ioc_core.platform.rooms import Label
from ioc_core.shared.cloudevents import CloudEvent

logger = Logger(service="ioc-audit-writer")


def entries_of(event: dict[str, Any], vocabulary: Mapping[str, Label]) -> list[tuple[str, AuditEntry]]:
    """(stream sequence, entry) of every event of every inserted outbox item, in stream order
    (an item of events staged together: an entry each, with the item's context)."""
    found: list[tuple[str, AuditEntry]] = []
    for record in DynamoDBStreamEvent(event).records:
        if record.event_name is not DynamoDBRecordEventName.INSERT or record.dynamodb is None:
            continue  # TTL deletions are not changes
        image = record.dynamodb.new_image
        committed = datetime.fromtimestamp(int(image["created_at"]) / 1000, UTC)
        context = AuditContext.from_json(str(image["audit"])) if image.get("audit") else None
        sequence = record.dynamodb.sequence_number or ""
        for _, payload in payloads_of(image):
            entry = entry_of(CloudEvent.from_json(payload), context, committed, vocabulary)
            found.append((sequence, entry))
    return found


def write(event: dict[str, Any], log: AuditLog, vocabulary: Mapping[str, Label]) -> dict[str, Any]:
    """The batch's entries in one batch write; if it fails the whole batch comes again (from its
    first record), which rewrites what was written already as the same entries."""
    pending = entries_of(event, vocabulary)
    if not pending:
        return {"batchItemFailures": []}
    try:
        written = log.record([entry for _, entry in pending])
    except Exception:
        logger.exception("audit write failed", extra={"records": len(pending)})
        return {"batchItemFailures": [{"itemIdentifier": pending[0][0]}]}
    logger.info("audited", extra={"records": len(pending), "written": written})
    return {"batchItemFailures": []}
