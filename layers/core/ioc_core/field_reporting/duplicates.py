"""Duplicate suggestions: open reports of the same category near a point, recently.

Each category has its own radius and time window (``duplicate`` in the catalogue: 30 m
and a week for a pothole, 200 m and 12 h for a flood).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from ioc_core.field_reporting.models import Report, ReportStatus, ServiceDefinition
from ioc_core.field_reporting.ports import ReportQuery, ReportRepository

EARTH_RADIUS_M = 6_371_008.8
MAX_SCANNED = 500


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Candidate:
    report: Report
    distance_m: float


def nearby_open(
    repo: ReportRepository,
    service: ServiceDefinition,
    lat: float,
    lon: float,
    now: datetime,
    exclude: str | None = None,
) -> list[Candidate]:
    """Open, unmerged reports of ``service`` within its radius and window, nearest first."""
    rule = service.duplicate
    query = ReportQuery(
        service_codes=(service.service_code,),
        start=now - timedelta(hours=rule.window_hours),
        end=now,
        limit=MAX_SCANNED,
    )
    found = []
    for report in repo.query(query).items:
        if report.report_id == exclude or report.status.is_closed or report.merged_into:
            continue
        if report.status is ReportStatus.WITHDRAWN:
            continue
        meters = distance_m(lat, lon, report.location.lat, report.location.lon)
        if meters <= rule.radius_m:
            found.append(Candidate(report, round(meters, 1)))
    return sorted(found, key=lambda c: (c.distance_m, c.report.requested_at))
