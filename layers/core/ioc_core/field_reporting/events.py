"""Field Reporting's CloudEvents. Data carries no personal data: events leave the city.

Staff are named by role only; residents not at all (notifications find them through the
report, inside the city).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc_core.field_reporting import sla
from ioc_core.field_reporting.models import STATUS_LABELS, Rating, Report, ReportStatus
from ioc_core.platform.rooms import Label
from ioc_core.shared.clock import iso
from ioc_core.shared.cloudevents import CloudEvent

SUBSYSTEM = "field_reporting"
REPORT_EVENT = "field_reporting.report."  # every event about a report starts so
SUBMITTED = "field_reporting.report.submitted"
STATUS_CHANGED = "field_reporting.report.status_changed"
RATED = "field_reporting.report.rated"
MERGED = "field_reporting.report.merged"
INFO_REQUESTED = "field_reporting.report.info_requested"
INFO_PROVIDED = "field_reporting.report.info_provided"
SLA_WARNING = "field_reporting.report.sla_warning"
SLA_ESCALATED = "field_reporting.report.sla_escalated"
# Who inside the unit works on it changed; the data names no one (the staff views do).
ASSIGNEE_CHANGED = "field_reporting.report.assignee_changed"
# The administrator replaced the routing rules (category × ward → unit): the rules are no one's data.
ROUTING_CHANGED = "field_reporting.routing.changed"
EMITS = (
    SUBMITTED, STATUS_CHANGED, RATED, MERGED, INFO_REQUESTED, INFO_PROVIDED, SLA_WARNING, SLA_ESCALATED,
    ASSIGNEE_CHANGED, ROUTING_CHANGED,
)  # fmt: skip


def _base(report: Report) -> dict[str, Any]:
    return {
        "report_id": report.report_id,
        "service_code": report.service_code,
        "ward_code": report.location.ward_code,
        "status": report.status.value,
        "agency_responsible": report.agency_responsible,
        "unit": report.unit or report.agency_responsible,
    }


def _event(short: str, report: Report, data: dict[str, Any], at: datetime | None = None) -> CloudEvent:
    return CloudEvent.new(
        short,
        subsystem=SUBSYSTEM,
        subject=report.report_id,
        at=at or report.updated_at,
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


def on_time(report: Report) -> bool:
    """Resolved by its due time (``expected_at``)."""
    if report.closed_at is None or report.expected_at is None:
        return True
    return report.closed_at <= report.expected_at


def status_changed(
    report: Report, previous: ReportStatus, note: str | None, before: Report | None = None
) -> CloudEvent:
    entry = report.history[-1] if report.history else None
    data: dict[str, Any] = {"from": previous.value, "to": report.status.value, "note": note}
    data["merged"] = len(report.merged)  # duplicates merged in: they are counted as this report is
    if entry is not None and entry.action:
        data.update({"action": entry.action, "role": entry.role, "reason": entry.reason})
    if before is not None:
        data["from_unit"] = before.unit or before.agency_responsible
        data["transfer"] = report.transfers > before.transfers
    if report.status is ReportStatus.RESOLVED:
        data["on_time"] = on_time(report)
    if previous is ReportStatus.RESOLVED and before is not None:
        data["previous_on_time"] = on_time(before)
    data["expected_datetime"] = iso(report.expected_at) if report.expected_at else None
    data["overdue"] = sla.escalated(report)
    if before is not None:
        data["was_overdue"] = sla.escalated(before)
    return _event(STATUS_CHANGED, report, data)


def rated(report: Report, previous_score: int | None, rating: Rating | None = None) -> CloudEvent:
    given = rating or report.rating
    assert given is not None
    return _event(
        RATED,
        report,
        {
            "score": given.score,
            "previous_score": previous_score,
            "follower": bool(given.by) and given.by != report.reporter.account_id,
        },
        at=given.at,
    )


def merged(master: Report, duplicate_id: str) -> CloudEvent:
    return _event(MERGED, master, {"duplicate_id": duplicate_id, "followers": len(master.followers)})


def info(report: Report, short: str, *, role: str | None) -> CloudEvent:
    return _event(short, report, {"role": role, "waiting_on_resident": report.waiting_on_resident})


def assignee_changed(report: Report) -> CloudEvent:
    return _event(ASSIGNEE_CHANGED, report, {"assigned": report.assignee is not None})


def sla_mark(
    report: Report, short: str, *, clock: str, due: datetime, share: float, at: datetime
) -> CloudEvent:
    data: dict[str, Any] = {"clock": clock, "due_datetime": iso(due), "progress": round(share, 3)}
    if short == SLA_ESCALATED:  # the clock it is on escalates: the report is overdue from now
        data |= {"was_overdue": False, "overdue": True}
    return _event(short, report, data, at=at)


def routing_changed(rules: list[dict[str, str]], at: datetime, version: int) -> CloudEvent:
    """``version``: the routing table's, one more on every replacement."""
    return CloudEvent.new(
        ROUTING_CHANGED, subsystem=SUBSYSTEM, subject="routing", at=at,
        data={"rules": len(rules), "units": sorted({r["unit"] for r in rules})}, sequence=version,
    )  # fmt: skip


def audit_words() -> dict[str, Label]:
    """How the audit log names this room's events and a report's states."""
    words = {f"status:{status.value}": Label(text.vi, text.en) for status, text in STATUS_LABELS.items()}
    return words | {
        SUBMITTED: Label("Gửi phản ánh", "Report submitted"),
        STATUS_CHANGED: Label("Phản ánh", "Report"),
        RATED: Label("Đánh giá phản ánh", "Report rated"),
        MERGED: Label("Gộp phản ánh trùng vào", "Duplicate merged into"),
        INFO_REQUESTED: Label("Yêu cầu bổ sung thông tin", "More information asked for"),
        INFO_PROVIDED: Label("Bổ sung thông tin", "Information provided"),
        SLA_WARNING: Label("Sắp quá hạn", "Nearly due"),
        SLA_ESCALATED: Label("Quá hạn", "Overdue"),
        ASSIGNEE_CHANGED: Label("Đổi người xử lý", "Assignee changed"),
        ROUTING_CHANGED: Label("Thay bảng định tuyến", "Routing table replaced"),
    }
