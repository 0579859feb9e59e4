"""The resident's own reports under /api/v1/me: rate, dispute ("not fixed"), withdraw,
answer the city's question; and following someone else's (/reports/{id}/follow). A resident
reaches only their reports, those they follow and the masters their merged duplicates follow
(the service checks it). Their inbox: chalicelib/notifications.py."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import access
from chalicelib.workflow import act, tagged, view
from ioc_core.field_reporting.api_v1 import workflow_presenter as present
from ioc_core.field_reporting.api_v1 import workflow_schemas as w
from ioc_core.field_reporting.models import Report
from ioc_core.field_reporting.wiring import workflow_service
from ioc_core.field_reporting.workflow_service import Caller, WorkflowService
from ioc_core.platform.api import http

bp = Blueprint(__name__)


def mine(report: Report, who: Caller) -> Response:
    allowed = workflow_service().allowed_actions(who, report)
    return tagged(report, present.my_report_detail(report, who.principal.sub, allowed, view(personal=True)))


def listed(reports: list[Report], who: Caller) -> list[w.MyReportItem]:
    """The resident's list items: each report with what they may do to it now."""
    service, shown = workflow_service(), view(personal=True)
    return [
        present.my_report_item(r, who.principal.sub, service.allowed_actions(who, r), shown) for r in reports
    ]


@bp.route("/me/reports", methods=["GET"])
@http.problem_json
def list_my_reports() -> Response:
    query = http.query(w.PageQuery)
    who = access.caller()
    page = workflow_service().mine(who, query.limit, http.cursor(query.cursor))
    items = listed(page.items, who)
    return http.reply(w.MyReportsPage(items=items, next_cursor=http.next_cursor(page.next_token)))


@bp.route("/me/follows", methods=["GET"])
@http.problem_json
def list_my_follows() -> Response:
    query = http.query(w.FollowsQuery)
    who = access.caller()
    return http.reply(w.MyFollows(items=listed(workflow_service().followed(who, query.limit), who)))


@bp.route("/me/reports/{report_id}", methods=["GET"])
@http.problem_json
def get_my_report(report_id: str) -> Response:
    who = access.caller()
    return mine(workflow_service().get(who, report_id), who)


@bp.route("/reports/{report_id}/follow", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def follow_report(report_id: str) -> Response:
    """Follow someone else's open report instead of sending the same problem (idempotent)."""
    who = access.caller()
    return mine(workflow_service().follow(who, report_id), who)


@bp.route("/me/reports/{report_id}/rate", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def rate_report(report_id: str) -> Response:
    return act(report_id, w.RateRequest, WorkflowService.rate, "score", "comment", render=mine)


@bp.route("/me/reports/{report_id}/dispute", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def dispute_report(report_id: str) -> Response:
    return act(report_id, w.DisputeRequest, WorkflowService.dispute, "comment", render=mine)


@bp.route("/me/reports/{report_id}/withdraw", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def withdraw_report(report_id: str) -> Response:
    return act(report_id, w.WithdrawRequest, WorkflowService.withdraw, "reason", "note", render=mine)


@bp.route("/me/reports/{report_id}/reply", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def reply_to_question(report_id: str) -> Response:
    return act(report_id, w.ReplyRequest, WorkflowService.reply, "message", render=mine)
