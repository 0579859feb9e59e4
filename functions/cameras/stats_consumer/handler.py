"""Lambda: Kinesis events → camera counters (alerts, verdicts, quarantine), idempotent by event id."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.cameras.stats import deltas
from ioc_core.cameras.wiring import stats_projection
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent

logger = Logger(service="ioc-camera-alert-stats")


def apply(events: list[CloudEvent]) -> None:
    stats_projection().apply([(e.id, d) for e in events if (d := deltas(e))])


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
