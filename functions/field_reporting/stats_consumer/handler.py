"""Lambda: Kinesis events → the Field Reporting statistics projection (idempotent by event id)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.field_reporting.stats import projection_deltas
from ioc_core.field_reporting.wiring import stats_projection
from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    stats_projection().apply([(e.id, projection_deltas(e)) for e in events])
    observability.record_business(events)  # reports submitted, resolved late


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
