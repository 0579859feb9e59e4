"""Indicators other rooms feed through their events (never by reading their tables).

Field Reporting: each report submitted counts once in FR_RECEIVED for its month (Vietnam
time) and ward; its resolution counts in FR_RESOLVED for the month it was *received* (a
reopening takes it back), so FR_RESOLUTION_RATE, their ratio, is the share of a month's
reports resolved so far and never passes 100 %. The month each report came in is kept with the
counters (a row per report), read when its status changes. The counts are
kept idempotently by event id in the projections table; the indicator values are then set
from them, as approved system figures (``source: feed``), so a replay changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ioc_core.shared.cloudevents import CloudEvent, short_type
from ioc_core.socio_economic import events as room_events
from ioc_core.socio_economic.catalogue import CITY
from ioc_core.socio_economic.models import Entry, SeriesValue
from ioc_core.socio_economic.tasks import events as task_events

SUBMITTED = "field_reporting.report.submitted"
STATUS_CHANGED = "field_reporting.report.status_changed"
TAKES = (SUBMITTED, STATUS_CHANGED)
# The room's own changes after which the overview tile is recomputed.
REFRESHED_BY = (
    *(e for e in room_events.EMITS if e.startswith("socio_economic.indicator.")),
    *task_events.EMITS,
)
PK = "socio_economic#feeds"
REPORTS = "socio_economic#feeds#reports"  # report id → the month it came in (yyyymm)
FEED_BY = "system:field_reporting"
COUNTERS = {"received": "FR_RECEIVED", "resolved": "FR_RESOLVED"}


def row(month: str, breakdown: str) -> str:
    return f"{month}#{breakdown}"


def received_in(event: CloudEvent) -> dict[tuple[str, str], dict[str, int]]:
    """A submission's row: the month its report came in, as yyyymm."""
    if short_type(event.type) != SUBMITTED or not event.data.get("report_id"):
        return {}
    month = str(event.data.get("requested_datetime") or event.time)[:7]
    return (
        {(REPORTS, str(event.data["report_id"])): {"month": int(month.replace("-", ""))}}
        if len(month) == 7
        else {}
    )


def deltas(
    event: CloudEvent, month_of: Callable[[str], str | None] = lambda report: None
) -> dict[tuple[str, str], dict[str, int]]:
    """The counter changes of one Field Reporting event (month × city and its ward); a status
    change counts in the month its report came in (``month_of``), else in its own month."""
    kind, data = short_type(event.type), event.data
    month = (event.time or "")[:7]
    change: dict[str, int] = {}
    if kind == SUBMITTED:
        month = str(data.get("requested_datetime") or event.time)[:7]
        change = {"received": 1}
    elif kind == STATUS_CHANGED:
        month = month_of(str(data.get("report_id", ""))) or month
        if data.get("to") == "resolved":
            change = {"resolved": 1}
        elif data.get("from") == "resolved" and data.get("to") != "closed":
            change = {"resolved": -1}
    if not change or len(month) != 7:
        return {}
    rows = [row(month, CITY)]
    if data.get("ward_code"):
        rows.append(row(month, f"ward:{data['ward_code']}"))
    return {(PK, r): change for r in rows}


def yyyymm(counters: dict[str, int]) -> str | None:
    value = counters.get("month")
    return f"{value // 100:04d}-{value % 100:02d}" if value else None


def values(counters: dict[str, dict[str, int]], now: datetime) -> list[SeriesValue]:
    """The indicator values the counters give (one per counter, month and breakdown)."""
    out: list[SeriesValue] = []
    for sk, counts in counters.items():
        month, _, breakdown = sk.partition("#")
        for counter, code in COUNTERS.items():
            value = float(max(0, counts.get(counter, 0)))
            entry = Entry(value=value, status="official", by=FEED_BY, at=now, source="feed")
            out.append(
                SeriesValue(
                    indicator=code, breakdown=breakdown, period=month, approved=entry,
                    approved_by=FEED_BY, approved_at=now, version=1,
                )
            )  # fmt: skip
    return out
