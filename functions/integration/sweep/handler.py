"""Scheduled Lambda (every minute): deliveries due within the minute that no queue message will
bring (waits past the queue's 15-minute delay, a forwarder that died holding one) go on the queue."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.integration.deliveries.wiring import forwarder
from ioc_core.platform import observability

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    queued = forwarder().sweep()
    logger.info("sweep", extra={"queued": queued})
    return {"queued": queued}
