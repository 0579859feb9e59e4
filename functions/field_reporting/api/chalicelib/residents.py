"""The resident's own reports and inbox under /api/v1/me: rate, dispute ("not fixed"),
withdraw, answer the city's question. A resident reaches only their reports and the
masters their merged duplicates follow (the service checks it)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel

from chalicelib import access, http
from chalicelib.workflow import act, view
from ioc_core.field_reporting.mobile import workflow_presenter as present
from ioc_core.field_reporting.mobile import workflow_schemas as w
from ioc_core.field_reporting.models import Report
from ioc_core.field_reporting.notifications import account
from ioc_core.field_reporting.wiring import inbox, workflow_service
from ioc_core.field_reporting.workflow_service import Caller
from ioc_core.shared.errors import NotFound

bp = Blueprint(__name__)


def mine(report: Report, who: Caller) -> Response:
    allowed = workflow_service().allowed_actions(who, report)
    body = present.my_report_detail(report, who.principal.sub, allowed, view())
    return http.reply(body, headers={"ETag": f'"{report.version}"'})


@bp.route("/me/reports", methods=["GET"])
@http.problem_json
def list_my_reports() -> Response:
    query = http.query(w.PageQuery)
    who = access.caller()
    service, shown = workflow_service(), view()
    page = service.mine(who, query.limit, query.cursor)
    items = [
        present.my_report_item(r, who.principal.sub, service.allowed_actions(who, r), shown)
        for r in page.items
    ]
    return http.reply(w.MyReportsPage(items=items, next_cursor=page.next_token))


@bp.route("/me/reports/{report_id}", methods=["GET"])
@http.problem_json
def get_my_report(report_id: str) -> Response:
    who = access.caller()
    return mine(workflow_service().get(who, report_id), who)


def _act(report_id: str, model: type[BaseModel], run: Any) -> Response:
    return act(report_id, model, run, render=mine)


@bp.route("/me/reports/{report_id}/rate", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def rate_report(report_id: str) -> Response:
    return _act(
        report_id, w.RateRequest, lambda c, i, v, b: workflow_service().rate(c, i, v, b.score, b.comment)
    )


@bp.route("/me/reports/{report_id}/dispute", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def dispute_report(report_id: str) -> Response:
    return _act(
        report_id, w.DisputeRequest, lambda c, i, v, b: workflow_service().dispute(c, i, v, b.comment)
    )


@bp.route("/me/reports/{report_id}/withdraw", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def withdraw_report(report_id: str) -> Response:
    return _act(
        report_id,
        w.WithdrawRequest,
        lambda c, i, v, b: workflow_service().withdraw(c, i, v, b.reason, b.note),
    )


@bp.route("/me/reports/{report_id}/reply", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def reply_to_question(report_id: str) -> Response:
    return _act(report_id, w.ReplyRequest, lambda c, i, v, b: workflow_service().reply(c, i, v, b.message))


@bp.route("/me/notifications", methods=["GET"])
@http.problem_json
def list_my_notifications() -> Response:
    query = http.query(w.PageQuery)
    recipient = account(access.caller().principal.sub)
    items, token = inbox().page(recipient, query.limit, query.cursor)
    return http.reply(
        w.NotificationPage(
            items=[present.notification_view(n) for n in items],
            next_cursor=token,
            unread=inbox().unread(recipient),
        )
    )


@bp.route("/me/notifications/{notification_id}/read", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def mark_notification_read(notification_id: str) -> Response:
    recipient = account(access.caller().principal.sub)
    note = inbox().mark_read(recipient, notification_id)
    if note is None:
        raise NotFound(f"No notification '{notification_id[:80]}'.")
    return http.reply(present.notification_view(note))
