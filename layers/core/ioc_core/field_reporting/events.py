"""Field Reporting's CloudEvents. Data carries no personal data: events leave the city."""

from __future__ import annotations

from typing import Any

from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.shared.clock import iso
from ioc_core.shared.cloudevents import CloudEvent

SUBSYSTEM = "field_reporting"
SUBMITTED = "report.submitted"
STATUS_CHANGED = "report.status_changed"
RATED = "report.rated"


def _base(report: Report) -> dict[str, Any]:
    return {
        "report_id": report.report_id,
        "service_code": report.service_code,
        "ward_code": report.location.ward_code,
        "status": report.status.value,
        "agency_responsible": report.agency_responsible,
    }


def _event(short: str, report: Report, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent.new(
        short,
        subsystem=SUBSYSTEM,
        subject=report.report_id,
        at=report.updated_at,
        data=_base(report) | data,
        sequence=report.version,
    )


def submitted(report: Report) -> CloudEvent:
    return _event(
        SUBMITTED,
        report,
        {
            "lat": report.location.lat,
            "long": report.location.lon,
            "channel": report.channel,
            "requested_datetime": iso(report.requested_at),
            "expected_datetime": iso(report.expected_at) if report.expected_at else None,
            "photo_count": len(report.photos),
        },
    )


def status_changed(report: Report, previous: ReportStatus, note: str | None) -> CloudEvent:
    return _event(STATUS_CHANGED, report, {"from": previous.value, "to": report.status.value, "note": note})


def rated(report: Report, previous_score: int | None) -> CloudEvent:
    assert report.rating is not None
    return _event(RATED, report, {"score": report.rating.score, "previous_score": previous_score})
