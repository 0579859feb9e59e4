"""The IOC console's workflow API under /api/v1/workflow: the queue, a report's detail
and history, and the moves of operators and units (optimistic locking by If-Match).

Thin: parse, call the workflow service once, render with the workflow presenter. The
middleware (``access``) has checked the role; the service checks the scope.
"""

from __future__ import annotations

from collections.abc import Callable

from chalice import Blueprint, Response
from pydantic import BaseModel

from chalicelib import access, photo_links
from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting.api_v1 import export
from ioc_core.field_reporting.api_v1 import workflow_presenter as present
from ioc_core.field_reporting.api_v1 import workflow_schemas as w
from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.field_reporting.permissions import PERSONAL_DATA_READ
from ioc_core.field_reporting.wiring import router, workflow_service
from ioc_core.field_reporting.workflow_service import Caller, QueueFilters, WorkflowService
from ioc_core.platform import exports
from ioc_core.platform.api import http
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.errors import FieldProblem, ValidationFailed

bp = Blueprint(__name__)


def view(personal: bool | None = None) -> present.View:
    """How this caller sees reports: photos through links signed for them, free text masked
    unless they may read personal data (``personal`` overrides: a resident's own reports)."""
    service = workflow_service()
    return present.View(
        catalogue=service.catalogue,
        wards=default_registry(),
        router=router(),
        calendar=service.calendar,
        photo_url=photo_links.private,
        now=service.clock.now(),
        personal=access.principal().can(PERSONAL_DATA_READ) if personal is None else personal,
    )


def detail(report: Report, who: Caller) -> Response:
    allowed = workflow_service().allowed_actions(who, report)
    return tagged(report, present.report_detail(report, _contact_visible(who), allowed, view()))


def tagged(report: Report, body: BaseModel) -> Response:
    """A report's view, its version as the ETag: what the next change sends as If-Match."""
    return http.reply(body, headers=http.etag(report.version))


def _statuses(raw: str | None) -> tuple[ReportStatus, ...]:
    if not raw:
        return ()
    names = [part for part in raw.split(",") if part]
    unknown = [n for n in names if n not in ReportStatus._value2member_map_]
    if unknown:
        raise ValidationFailed(
            "Trạng thái không hợp lệ / Unknown status.",
            problems=[FieldProblem("status", f"unknown: {', '.join(unknown)}")],
        )
    return tuple(ReportStatus(n) for n in dict.fromkeys(names))


def _filters(query: w.QueueQuery, cursor: str | None) -> QueueFilters:
    return QueueFilters(
        statuses=_statuses(query.status),
        ward=query.ward,
        category=query.category,
        unit=query.unit,
        overdue=None if query.overdue is None else query.overdue == "true",
        limit=query.limit,
        cursor=cursor,
        q=query.q,
        assignee=access.principal().username if query.assignee == "me" else query.assignee,
    )


@bp.route("/workflow/reports", methods=["GET"])
@http.problem_json
def list_queue() -> Response:
    query = http.query(w.QueueQuery)
    page = workflow_service().queue(access.caller(), _filters(query, http.cursor(query.cursor)))
    shown = view()
    items = [present.queue_item(r, shown) for r in page.items]
    return http.reply(
        w.QueuePage(items=items, next_cursor=http.next_cursor(page.next_token), total=page.total)
    )


@bp.route("/workflow/reports/export", methods=["GET"])
@http.problem_json
def export_queue() -> Response:
    """The queue's filters as a CSV or XLSX file (every match, not one page)."""
    query = http.query(w.ExportQuery)
    reports = workflow_service().export(access.caller(), _filters(query, None))
    data, media_type = exports.render(
        export.sheet(reports, view(), query.lang), query.format, *export.YES_NO[query.lang]
    )
    today = workflow_service().clock.now().astimezone(VN_TZ).date().isoformat()
    # Staff's data (the provincial copy is masked, but still not for caches).
    return http.attachment(data, media_type, f"phan-anh-{today}.{query.format}")


@bp.route("/workflow/reports/{report_id}", methods=["GET"])
@http.problem_json
def get_report_detail(report_id: str) -> Response:
    who = access.caller()
    return detail(workflow_service().get(who, report_id), who)


def act(
    report_id: str,
    model: type[BaseModel],
    run: Callable[..., Report],
    *fields: str,
    render: Callable[[Report, Caller], Response] = detail,
) -> Response:
    """One action on a report: parse the body, call the service's ``run`` as the caller at the
    sent version with the body's ``fields`` (in the method's order), render the result."""
    body = http.body(model)
    who = access.caller()
    based_on = http.expected_version(body)
    done = run(workflow_service(), who, report_id, based_on, *(getattr(body, f) for f in fields))
    return render(done, who)


@bp.route("/workflow/reports/{report_id}/verify", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def verify_report(report_id: str) -> Response:
    return act(report_id, w.VerifyRequest, WorkflowService.verify, "note", "unit")


@bp.route("/workflow/reports/{report_id}/reject", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def reject_report(report_id: str) -> Response:
    return act(report_id, w.RejectRequest, WorkflowService.reject, "reason", "note")


@bp.route("/workflow/reports/{report_id}/assign", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def assign_report(report_id: str) -> Response:
    return act(report_id, w.AssignRequest, WorkflowService.assign, "unit", "note")


@bp.route("/workflow/reports/{report_id}/start", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def start_work(report_id: str) -> Response:
    return act(report_id, w.NoteRequest, WorkflowService.start, "note")


@bp.route("/workflow/reports/{report_id}/resolve", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def resolve_report(report_id: str) -> Response:
    return act(report_id, w.ResolveRequest, WorkflowService.resolve, "note", "after_photo")


@bp.route("/workflow/reports/{report_id}/assign-person", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def assign_person(report_id: str) -> Response:
    return act(report_id, w.AssignPersonRequest, WorkflowService.assign_person, "username")


@bp.route("/workflow/reports/{report_id}/hand-back", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def hand_back(report_id: str) -> Response:
    return act(report_id, w.HandBackRequest, WorkflowService.hand_back, "reason")


@bp.route("/workflow/reports/{report_id}/note", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def add_internal_note(report_id: str) -> Response:
    return act(report_id, w.InternalNoteRequest, WorkflowService.note, "note")


@bp.route("/workflow/reports/{report_id}/request-info", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def request_info(report_id: str) -> Response:
    return act(report_id, w.InfoRequest, WorkflowService.request_info, "question")


@bp.route("/workflow/reports/{report_id}/merge", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def merge_duplicate(report_id: str) -> Response:
    body = http.body(w.MergeRequest)
    who = access.caller()
    master, duplicate = workflow_service().merge(
        who, report_id, http.expected_version(body), body.master_id, body.note
    )
    service, shown = workflow_service(), view()
    result = w.MergeResult(
        master=present.report_detail(
            master, _contact_visible(who), service.allowed_actions(who, master), shown
        ),
        duplicate=present.report_detail(
            duplicate, _contact_visible(who), service.allowed_actions(who, duplicate), shown
        ),
    )
    return http.reply(result)


@bp.route("/workflow/reports/{report_id}/duplicates", methods=["GET"])
@http.problem_json
def list_duplicates(report_id: str) -> Response:
    service, candidates = workflow_service().duplicates(access.caller(), report_id)
    rule = service.duplicate
    return http.reply(present.duplicate_list(candidates, rule.radius_m, rule.window_hours, view()))


@bp.route("/workflow/overdue", methods=["GET"])
@http.problem_json
def list_overdue() -> Response:
    query = http.query(w.OverdueQuery)
    found = workflow_service().overdue(access.caller(), query.clock, query.unit, query.warned == "true")
    shown = view()
    return http.reply(
        w.QueuePage(items=[present.queue_item(r, shown) for r in found], next_cursor=None, total=len(found))
    )


@bp.route("/workflow/units/{unit}/staff", methods=["GET"])
@http.problem_json
def list_unit_staff(unit: str) -> Response:
    members = workflow_service().unit_members(access.caller(), unit)
    views = [w.UnitMemberView(username=m.username, name=m.name) for m in members]
    return http.reply(w.UnitStaffView(unit=unit, members=views))


@bp.route("/workflow/units", methods=["GET"])
@http.problem_json
def list_units() -> Response:
    units = [
        w.UnitView(
            code=u.unit.code,
            name=present.m.Names(vi=u.unit.name.vi, en=u.unit.name.en),
            kind=u.unit.kind,
            ward_code=u.ward_code,
        )
        for u in router().units.values()
    ]
    return http.reply(w.UnitsView(units=units))


def _contact_visible(who: Caller) -> bool:
    return who.principal.can(PERSONAL_DATA_READ)
