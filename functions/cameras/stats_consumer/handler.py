"""Lambda: Kinesis events → camera counters (alerts, verdicts, quarantine), idempotent by event id."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.cameras.stats import deltas
from ioc_core.cameras.wiring import stats_projection
from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    stats_projection().apply([(e.id, d) for e in events if (d := deltas(e))])
    observability.record_business(events)  # alerts raised, snapshots quarantined


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
