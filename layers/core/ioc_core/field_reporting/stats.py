"""The Field Reporting statistics projection: event → counter deltas, counters → figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ioc_core.field_reporting import events as fr_events
from ioc_core.field_reporting.models import CLOSED_STATUSES, ReportStatus
from ioc_core.shared.cloudevents import CloudEvent, short_type

PK = "field_reporting#stats"
ACCOUNT_REGISTERED = "account.registered"
POSITIVE_SCORE = 4


def scopes(data: Mapping[str, Any]) -> list[str]:
    """Every counter row an event of this report touches: the city, its ward, its service."""
    rows = ["all"]
    if data.get("ward_code"):
        rows.append(f"ward#{data['ward_code']}")
    if data.get("service_code"):
        rows.append(f"service#{data['service_code']}")
    return rows


def deltas(event: CloudEvent) -> dict[tuple[str, str], dict[str, int]]:
    kind, data = short_type(event.type), event.data
    change: dict[str, int] = {}
    if kind == fr_events.SUBMITTED:
        change = {"total": 1, f"status_{ReportStatus.RECEIVED.value}": 1}
    elif kind == fr_events.STATUS_CHANGED:
        if data["from"] != data["to"]:  # a re-assignment keeps its status
            change = {f"status_{data['from']}": -1, f"status_{data['to']}": 1}
    elif kind == fr_events.RATED:
        change = _rating_change(data.get("previous_score"), int(data["score"]))
    elif kind == ACCOUNT_REGISTERED:
        return {(PK, "all"): {"accounts": 1}}
    if not change:
        return {}
    return {(PK, scope): dict(change) for scope in scopes(data)}


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
        "resolved": by_status[ReportStatus.RESOLVED.value],
        "in_progress": total - closed,
        "ratings": ratings,
        "positive_ratings": positive,
        "satisfaction_rate": round(positive / ratings, 3) if ratings else None,
        "accounts": counters.get("accounts", 0),
        "by_status": by_status,
    }
