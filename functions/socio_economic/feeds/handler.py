"""Lambda: Field Reporting's events → the indicators it feeds (FR_RECEIVED, FR_RESOLVED),
idempotent by event id; the values are set from the counters, so a replay changes nothing."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic import feeds
from ioc_core.socio_economic.wiring import feed_projection, feed_values

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    projection = feed_projection()
    projection.apply([(e.id, d) for e in events if (d := feeds.deltas(e))])
    rows = feeds.touched(events)
    if rows:
        feed_values(projection.read_many(feeds.PK, sorted(rows)))


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
