"""Lambda: outbox table stream → Kinesis. Thin: the relay logic lives in the core layer."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.platform import observability
from ioc_core.platform.relay import relay
from ioc_core.platform.wiring import event_publisher

logger = observability.logger()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return relay(event, event_publisher())
