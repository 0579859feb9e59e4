"""Lambda: a replay request (``integration.replay.requested``) → the archive's events of its
range queued as deliveries for its subscription alone, marked replayid; each once, however
often the request is handed over."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.integration import replay
from ioc_core.integration.wiring import replayer
from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    for event in events:
        if event.short_type in replay.EMITS:
            done = replayer().run(event)
            logger.info("replayed", extra=done.__dict__)


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
