"""Lambda: Field Reporting's events → the indicators it feeds (FR_RECEIVED, FR_RESOLVED),
idempotent by event id (the values are set from the counters, so a replay changes nothing);
the room's own changes → its overview tile, recomputed once per batch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ioc_core.platform import observability
from ioc_core.platform.consumer import consume_kinesis
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent, short_type
from ioc_core.socio_economic import feeds, overview
from ioc_core.socio_economic.wiring import feed_projection, feed_values

logger = observability.logger()


def apply(events: list[CloudEvent]) -> None:
    projection = feed_projection()
    # First where each new report came in (its own marker: the submission counts once), then
    # every count, a status change in its report's month.
    projection.apply([(f"{e.id}#received", d) for e in events if (d := feeds.received_in(e))])

    def month_of(report: str) -> str | None:
        return feeds.yyyymm(projection.read(feeds.REPORTS, report)) if report else None

    changes = [(e.id, d) for e in events if (d := feeds.deltas(e, month_of))]
    projection.apply(changes)
    rows = {sk for _, d in changes for (_, sk) in d}
    if rows:
        feed_values(projection.read_many(feeds.PK, sorted(rows)))
    # Field Reporting's events move the tile only through this month's figures (a replay of the
    # demo history's older months would otherwise recompute it hundreds of times).
    this_month = datetime.now(VN_TZ).strftime("%Y-%m")
    if any(short_type(e.type) in feeds.REFRESHED_BY for e in events) or any(r >= this_month for r in rows):
        overview.refresh()


@observability.observed
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return consume_kinesis(event, apply)
