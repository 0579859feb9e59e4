"""Domain objects → workflow API replies. No I/O: lookups come in as a ``View``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ioc_core.field_reporting import disclosure, sla
from ioc_core.field_reporting.api_v1 import schemas as m
from ioc_core.field_reporting.api_v1 import workflow_schemas as w
from ioc_core.field_reporting.api_v1.presenter import Wards, ward_ref
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.duplicates import Candidate
from ioc_core.field_reporting.models import STATUS_LABELS, HistoryEntry, Notification, Report, SlaClock, Text
from ioc_core.field_reporting.routing import Router
from ioc_core.shared.clock import iso


@dataclass(frozen=True)
class View:
    catalogue: Catalogue
    wards: Wards
    router: Router
    calendar: sla.HolidayCalendar
    photo_url: Callable[[str], str]  # a link for this viewer (staff, the resident)
    now: datetime
    # The viewer may read personal data (the province may not): free text is masked otherwise.
    personal: bool = True

    def text(self, value: str | None) -> str | None:
        return value if self.personal else disclosure.mask_personal(value)


def _names(text: Text) -> m.Names:
    return m.Names(vi=text.vi, en=text.en)


def _service(report: Report, view: View) -> m.ServiceRef:
    service = view.catalogue.service(report.service_code)
    name = service.name if service else Text(vi=report.service_code, en=report.service_code)
    return m.ServiceRef(code=report.service_code, name=_names(name))


def _status(report: Report) -> m.StatusView:
    return m.StatusView(
        code=report.status, label=_names(STATUS_LABELS[report.status]), state=report.status.open311
    )


def unit_ref(code: str | None, view: View) -> w.UnitRef | None:
    return w.UnitRef(code=code, name=_names(view.router.unit_name(code))) if code else None


def _opt(moment: datetime | None) -> str | None:
    return iso(moment) if moment else None


def clock_view(name: str, clock: SlaClock, view: View) -> w.ClockView:
    return w.ClockView(
        clock=name,  # type: ignore[arg-type]
        budget_hours=clock.budget_hours,
        started_datetime=iso(clock.started_at),
        due_datetime=iso(clock.due_at),
        progress=round(sla.progress(clock, view.now, view.calendar), 3),
        paused=clock.paused_at is not None,
        stopped_datetime=_opt(clock.stopped_at),
        warned_datetime=_opt(clock.warned_at),
        escalated_datetime=_opt(clock.escalated_at),
        overdue=sla.is_overdue(clock, view.now),
    )


def _active(report: Report, view: View) -> w.ClockView | None:
    current = sla.active_clock(report.sla)
    return clock_view(current[0], current[1], view) if current else None


def _ward(report: Report, view: View) -> m.WardRef:
    return ward_ref(view.wards, report.location.ward_code, report.requested_at.date())


def _summary(report: Report, view: View) -> dict[str, Any]:
    """What every list and page of a report, staff's or resident's, opens with."""
    return {
        "id": report.report_id,
        "version": report.version,
        "service": _service(report, view),
        "status": _status(report),
        "requested_datetime": iso(report.requested_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": _opt(report.expected_at),
    }


def _place(report: Report, view: View) -> dict[str, Any]:
    return {
        "ward": _ward(report, view),
        "description": view.text(report.description),
        "lat": report.location.lat,
        "long": report.location.lon,
    }


def _outcome(report: Report, view: View) -> dict[str, Any]:
    """How a report ended, with the photos before and after: both detail pages show it."""
    return {
        "closed_datetime": _opt(report.closed_at),
        "photos": [view.photo_url(p.key) for p in report.photos],
        "after_photos": [view.photo_url(p.key) for p in report.after_photos],
        "resolution_note": view.text(report.resolution_note),
        "rejection_reason": report.rejection_reason,
    }


def queue_item(report: Report, view: View) -> w.QueueItem:
    return w.QueueItem(
        **_summary(report, view),
        **_place(report, view),
        unit=unit_ref(report.unit, view),
        assignee=report.assignee,
        clock=_active(report, view),
        overdue=sla.overdue(report, view.now),
        waiting_on_resident=report.waiting_on_resident,
        transfers=report.transfers,
        photo_count=len(report.photos),
    )


def steps(report: Report, view: View) -> list[w.StepView]:
    """Every step, as staff see them (notes masked for a viewer without personal data)."""
    return [_step(h, view, view.text(h.note), h.actor) for h in report.history]


def _step(h: HistoryEntry, view: View, note: str | None, actor: str | None, staff: bool = True) -> w.StepView:
    return w.StepView(
        at=iso(h.at),
        status=h.status,
        label=_names(STATUS_LABELS[h.status]),
        action=h.action,
        actor=actor,
        role=h.role,
        note=note,
        visibility=h.visibility,
        reason=h.reason,
        unit=unit_ref(h.unit, view),
        assignee=h.assignee if staff else None,  # a staff username: never a resident's view
        photo_url=view.photo_url(h.photo) if h.photo else None,
    )


def resident_steps(report: Report, view: View) -> list[w.StepView]:
    """What a following resident sees: status changes and the conversation with them, without
    staff-only notes or which staff member acted."""
    return [
        _step(h, view, h.note if disclosure.shown_to_reporter(h) else None, None, staff=False)
        for h, changed in disclosure.steps(report)
        if changed or disclosure.shown_to_reporter(h)
    ]


def _ratings(report: Report, view: View) -> list[w.RatingItem]:
    listed = report.ratings or ([report.rating] if report.rating else [])
    return [
        w.RatingItem(
            score=r.score,
            comment=view.text(r.comment),
            at=iso(r.at),
            follower=bool(r.by) and r.by != report.reporter.account_id,
        )
        for r in listed
    ]


def report_detail(report: Report, contact_visible: bool, allowed: list[str], view: View) -> w.ReportDetail:
    """``contact_visible``: the caller may see who reported (the province may not)."""
    contact = None
    if contact_visible:
        r = report.reporter
        contact = w.ContactView(
            first_name=r.first_name,
            last_name=r.last_name,
            phone=r.phone,
            email=r.email,
            account_id=r.account_id,
        )
    return w.ReportDetail(
        **_summary(report, view),
        **_place(report, view),
        **_outcome(report, view),
        unit=unit_ref(report.unit, view),
        assignee=report.assignee,
        address=view.text(report.location.address),
        attributes=dict(report.attributes),
        channel=report.channel,
        clocks=[clock_view(name, clock, view) for name, clock in (report.sla.clocks() if report.sla else [])],
        overdue=sla.overdue(report, view.now),
        waiting_on_resident=report.waiting_on_resident,
        transfers=report.transfers,
        reopened=report.reopened,
        merged_into=report.merged_into,
        merged=list(report.merged),
        followers=len(report.followers),
        ratings=_ratings(report, view),
        contact=contact,
        history=steps(report, view),
        allowed_actions=allowed,  # type: ignore[arg-type]
    )


def my_report_item(report: Report, account_id: str, allowed: list[str], view: View) -> w.MyReportItem:
    return w.MyReportItem(
        **_summary(report, view),
        following=account_id != report.reporter.account_id,
        allowed_actions=allowed,  # type: ignore[arg-type]
    )


def my_report_detail(report: Report, account_id: str, allowed: list[str], view: View) -> w.MyReportDetail:
    question = next((h.note for h in reversed(report.history) if h.action == "request_info"), None)
    mine = next((r for r in report.ratings if r.by == account_id), None)
    if mine is None and account_id == report.reporter.account_id:
        mine = report.rating
    return w.MyReportDetail(
        **_summary(report, view),
        **_place(report, view),
        **_outcome(report, view),
        waiting_on_resident=report.waiting_on_resident,
        question=question if report.waiting_on_resident else None,
        merged_into=report.merged_into,
        my_rating=w.RatingItem(score=mine.score, comment=mine.comment, at=iso(mine.at), follower=False)
        if mine
        else None,
        history=resident_steps(report, view),
        allowed_actions=allowed,  # type: ignore[arg-type]
    )


def _candidate(candidate: Candidate) -> dict[str, Any]:
    """A report near another: the console's duplicates and the app's hint at intake."""
    return {
        "id": candidate.report.report_id,
        "status": _status(candidate.report),
        "distance_m": candidate.distance_m,
        "requested_datetime": iso(candidate.report.requested_at),
    }


def duplicate_list(candidates: list[Candidate], radius: float, window: float, view: View) -> w.DuplicateList:
    return w.DuplicateList(
        radius_m=radius,
        window_hours=window,
        items=[
            w.DuplicateCandidate(
                **_candidate(c),
                service=_service(c.report, view),
                ward=_ward(c.report, view),
                description=view.text(c.report.description),
            )
            for c in candidates
        ],
    )


def nearby_view(candidates: list[Candidate], radius: float, window: float, view: View) -> w.NearbyView:
    """The public hint at intake: masked text whatever the viewer may read."""
    return w.NearbyView(
        radius_m=radius,
        window_hours=window,
        items=[
            w.NearbyItem(
                **_candidate(c),
                service=_service(c.report, view),
                ward=_ward(c.report, view),
                lat=c.report.location.lat,
                long=c.report.location.lon,
                description=disclosure.mask_personal(c.report.description),
            )
            for c in candidates
        ],
    )


def notification_view(note: Notification) -> w.NotificationView:
    # Items stored before the notifier stopped repeating the status label as the body hold it.
    repeated = note.status is not None and note.body == STATUS_LABELS[note.status]
    return w.NotificationView(
        id=note.notification_id,
        report_id=note.report_id,
        incident_id=note.incident_id,
        task_id=note.task_id,
        kind=note.kind,
        title=_names(note.title),
        body=_names(note.body) if note.body and not repeated else None,
        status=note.status,
        created_datetime=iso(note.created_at),
        due_datetime=iso(note.due_at) if note.due_at else None,
        read=note.read,
    )
