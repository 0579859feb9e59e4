"""Lambda: Kinesis events → the Field Reporting statistics projection (idempotent by event id)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.field_reporting.stats import projection_deltas
from ioc_core.field_reporting.wiring import stats_projection
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent

logger = Logger(service="ioc-field-reporting-stats")


def apply(events: list[CloudEvent]) -> None:
    stats_projection().apply([(e.id, projection_deltas(e)) for e in events])


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
