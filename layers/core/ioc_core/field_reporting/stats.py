"""The Field Reporting statistics projection: event → counter deltas, counters → figures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ioc_core.field_reporting import events as fr_events
from ioc_core.field_reporting.models import CLOSED_STATUSES, ReportStatus
from ioc_core.identity.events import ACCOUNT_REGISTERED
from ioc_core.shared.cloudevents import CloudEvent, short_type

PK = "field_reporting#stats"
# What the statistics consumer takes (its event filter); any other type changes no counter.
TAKES = (
    fr_events.SUBMITTED,
    fr_events.STATUS_CHANGED,
    fr_events.RATED,
    fr_events.SLA_ESCALATED,
    fr_events.MERGED,
    ACCOUNT_REGISTERED,
)
POSITIVE_SCORE = 4


CITY_ROW = "all"


def scope_row(kind: str, code: str) -> str:
    """The counter row of a ward, unit or category (``service``): ``ward#22945``."""
    return f"{kind}#{code}"


def month_row(month: str, kind: str | None = None, code: str | None = None) -> str:
    """The month row of the city, or of one ward, unit or category: ``month#2026-11#ward#22945``."""
    return f"month#{month}" + (f"#{scope_row(kind, code)}" if kind and code else "")


def last_months(count: int, today: date) -> list[str]:
    """``YYYY-MM`` of the ``count`` months up to ``today``'s, oldest first."""
    year, month = today.year, today.month
    listed = []
    for _ in range(count):
        listed.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return listed[::-1]


def scopes(data: Mapping[str, Any]) -> list[str]:
    """Every counter row an event of this report touches: the city, its ward, its service."""
    rows = [CITY_ROW]
    if data.get("ward_code"):
        rows.append(scope_row("ward", data["ward_code"]))
    if data.get("service_code"):
        rows.append(scope_row("service", data["service_code"]))
    return rows


def deltas(event: CloudEvent) -> dict[tuple[str, str], dict[str, int]]:
    kind, data = short_type(event.type), event.data
    change: dict[str, int] = {}
    if kind == fr_events.SUBMITTED:
        change = {"total": 1, f"status_{ReportStatus.RECEIVED.value}": 1}
    elif kind == fr_events.STATUS_CHANGED:
        if data["from"] != data["to"]:  # a re-assignment keeps its status
            change = {f"status_{data['from']}": -1, f"status_{data['to']}": 1}
            change |= _followers_move(data["from"], data["to"], int(data.get("merged") or 0))
    elif kind == fr_events.MERGED:  # into an open master: the duplicate is in process with it
        change = {FOLLOWING_OPEN: 1}
    elif kind == fr_events.RATED:
        change = _rating_change(data.get("previous_score"), int(data["score"]))
    elif kind == ACCOUNT_REGISTERED:
        return {(PK, "all"): {"accounts": 1}}
    if not change:
        return {}
    return {(PK, scope): dict(change) for scope in scopes(data)}


# A merged duplicate is one of the reports received; it is closed (rejected as a duplicate) but
# counted as its master is, in process or resolved, as the city counts it. These counters sit
# in the master's rows; ``figures`` adds them.
FOLLOWING_OPEN, FOLLOWING_RESOLVED = "following_open", "following_resolved"


def _following(status: str) -> str | None:
    if status == ReportStatus.RESOLVED.value:
        return FOLLOWING_RESOLVED
    return None if ReportStatus(status).is_closed else FOLLOWING_OPEN


def _followers_move(before: str, after: str, merged: int) -> dict[str, int]:
    """The master's merged duplicates move with it (a master closed unresolved takes them along)."""
    was, now = _following(before), _following(after)
    if not merged or was == now:
        return {}
    return {**({was: -merged} if was else {}), **({now: merged} if now else {})}


def _rating_change(previous: int | None, score: int) -> dict[str, int]:
    change = {"ratings": 1, "positive_ratings": int(score >= POSITIVE_SCORE)}
    if previous is not None:  # a re-rating replaces the earlier one
        change["ratings"] -= 1
        change["positive_ratings"] -= int(previous >= POSITIVE_SCORE)
    return {k: v for k, v in change.items() if v}


def figures(counters: Mapping[str, int]) -> dict[str, Any]:
    """The published figures from one counter row."""
    total = counters.get("total", 0)
    by_status = {s.value: counters.get(f"status_{s.value}", 0) for s in ReportStatus}
    closed = sum(by_status[s.value] for s in CLOSED_STATUSES)
    ratings = counters.get("ratings", 0)
    positive = counters.get("positive_ratings", 0)
    return {
        "total": total,
        "resolved": by_status[ReportStatus.RESOLVED.value] + counters.get(FOLLOWING_RESOLVED, 0),
        "in_progress": total - closed + counters.get(FOLLOWING_OPEN, 0),
        "ratings": ratings,
        "positive_ratings": positive,
        "satisfaction_rate": round(positive / ratings, 3) if ratings else None,
        "accounts": counters.get("accounts", 0),
        "by_status": by_status,
    }


# -- the workflow's figures: per unit, on-time, transfers, escalations, monthly series ---------

DETAIL_KEYS = ("resolved_on_time", "transfers", "reopened", "escalations")


def _month(event: CloudEvent) -> str:
    return event.time[:7]  # ISO 8601 with +07:00: the month in Vietnam


def monthly_scopes(data: Mapping[str, Any], month: str) -> list[str]:
    """The city's month row, and the month rows of the event's ward, unit and category."""
    rows = [month_row(month)]
    for kind, key in (("ward", "ward_code"), ("unit", "unit"), ("service", "service_code")):
        if data.get(key):
            rows.append(month_row(month, kind, data[key]))
    return rows


def detail_deltas(event: CloudEvent) -> dict[tuple[str, str], dict[str, int]]:
    """Counters the published figures do not have; rows keyed like ``deltas``' plus
    ``unit#<code>`` (a unit's own totals and statuses) and ``month#…`` (flows per month)."""
    kind, data = short_type(event.type), event.data
    out: dict[tuple[str, str], dict[str, int]] = {}

    def add(scope_rows: list[str], change: Mapping[str, int]) -> None:
        for row in scope_rows:
            target = out.setdefault((PK, row), {})
            for name, delta in change.items():
                if delta:
                    target[name] = target.get(name, 0) + delta

    unit = data.get("unit")
    unit_rows = [f"unit#{unit}"] if unit else []
    everywhere = scopes(data) + unit_rows
    # The city's day (the overview's "today") moves as its month does.
    months = [*monthly_scopes(data, _month(event)), f"day#{event.time[:10]}"]
    if kind == fr_events.SUBMITTED:
        add(unit_rows, {"total": 1, f"status_{ReportStatus.RECEIVED.value}": 1})
        add(months, {"submitted": 1})
    elif kind == fr_events.STATUS_CHANGED:
        _status_detail(data, add, everywhere, months)
    elif kind == fr_events.RATED:
        change = _rating_change(data.get("previous_score"), int(data["score"]))
        add(unit_rows + months, change)
    elif kind == fr_events.SLA_ESCALATED:
        add(everywhere, {"escalations": 1})
    if "overdue" in data and "was_overdue" in data:  # open reports past their due time, now
        add(scopes(data), {"overdue": int(bool(data["overdue"])) - int(bool(data["was_overdue"]))})
    return {row: change for row, change in out.items() if change}


def _status_detail(data: Mapping[str, Any], add: Any, everywhere: list[str], months: list[str]) -> None:
    before, after = data["from"], data["to"]
    unit, from_unit = data.get("unit"), data.get("from_unit") or data.get("unit")
    if unit and from_unit != unit:  # the report moves between units: so do its counts
        add(
            [f"unit#{from_unit}"],
            {"total": -1, f"status_{before}": -1, "transfers_out": int(bool(data.get("transfer")))},
        )
        add(
            [f"unit#{unit}"],
            {"total": 1, f"status_{after}": 1, "transfers_in": int(bool(data.get("transfer")))},
        )
    elif unit and before != after:
        add([f"unit#{unit}"], {f"status_{before}": -1, f"status_{after}": 1})
    if data.get("transfer"):
        add([r for r in everywhere if not r.startswith("unit#")], {"transfers": 1})
    if after == ReportStatus.RESOLVED.value:
        on_time = int(bool(data.get("on_time", True)))
        add(everywhere, {"resolved_on_time": on_time})
        add(months, {"resolved": 1, "resolved_on_time": on_time})
    if before == ReportStatus.RESOLVED.value and after != before:
        add(everywhere, {"resolved_on_time": -int(bool(data.get("previous_on_time", True))), "reopened": 1})
        add(months, {"reopened": 1})


def projection_deltas(event: CloudEvent) -> dict[tuple[str, str], dict[str, int]]:
    """Everything the statistics consumer applies for an event."""
    merged: dict[tuple[str, str], dict[str, int]] = {row: dict(c) for row, c in deltas(event).items()}
    for row, change in detail_deltas(event).items():
        target = merged.setdefault(row, {})
        for name, delta in change.items():
            target[name] = target.get(name, 0) + delta
    return merged


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def detailed_figures(counters: Mapping[str, int]) -> dict[str, Any]:
    """A row's figures for the console: resolution, on-time and satisfaction rates."""
    base = figures(counters)
    by_status = base["by_status"]
    resolved, total = base["resolved"], base["total"]
    on_time = counters.get("resolved_on_time", 0)
    own = by_status[ReportStatus.RESOLVED.value]  # on time is a resolution's own: duplicates have none
    return {
        "total": total,
        "open": base["in_progress"],
        "resolved": resolved,
        "rejected": by_status[ReportStatus.REJECTED.value],
        "withdrawn": by_status[ReportStatus.WITHDRAWN.value],
        "resolved_on_time": on_time,
        "on_time_rate": _rate(on_time, own),
        "resolution_rate": _rate(resolved, total),
        "ratings": base["ratings"],
        "positive_ratings": base["positive_ratings"],
        "satisfaction_rate": base["satisfaction_rate"],
        "transfers": counters.get("transfers", counters.get("transfers_in", 0)),
        "reopened": counters.get("reopened", 0),
        "escalations": counters.get("escalations", 0),
    }


def month_figures(month: str, counters: Mapping[str, int]) -> dict[str, Any]:
    resolved, on_time = counters.get("resolved", 0), counters.get("resolved_on_time", 0)
    ratings, positive = counters.get("ratings", 0), counters.get("positive_ratings", 0)
    return {
        "month": month,
        "submitted": counters.get("submitted", 0),
        "resolved": resolved,
        "resolved_on_time": on_time,
        "on_time_rate": _rate(on_time, resolved),
        "ratings": ratings,
        "positive_ratings": positive,
        "satisfaction_rate": _rate(positive, ratings),
        "reopened": counters.get("reopened", 0),
    }
