"""Lambda (SQS): each message names a delivery that is due; the forwarder sends it when it is
its entity's turn, signed (Standard Webhooks), and schedules what failed. A delivery that
raised is reported back, so the queue retries that message alone."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.integration.deliveries.queue import delivery_ids
from ioc_core.integration.deliveries.wiring import forwarder
from ioc_core.platform import observability

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    messages = delivery_ids(event)
    sent = forwarder().forward_many([delivery for _, delivery in messages])
    failed = [message for message, delivery in messages if delivery not in sent]
    outcomes: dict[str, int] = {}
    for result in sent.values():
        outcomes[result.outcome.value] = outcomes.get(result.outcome.value, 0) + 1
    logger.info("forwarded", extra={"messages": len(messages), "failed": len(failed), **outcomes})
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}
