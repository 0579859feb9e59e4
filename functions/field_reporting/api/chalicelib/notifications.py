"""The inboxes under /api/v1: a staff desk's (/workflow/notifications: operators, a unit,
the leaders) and a resident's (/me/notifications), each paged, with its unread count, and
marked read one or all at once; and the log of messages sent outside the app.

Thin: whose inbox comes from the caller (never from the request), then one call of the inbox
service. The middleware (``access``) has checked the role against the route table.
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import access
from ioc_core.field_reporting.api_v1 import workflow_presenter as present
from ioc_core.field_reporting.api_v1 import workflow_schemas as w
from ioc_core.field_reporting.inbox import Marked, resident_inbox, staff_desk
from ioc_core.field_reporting.wiring import inbox, inbox_service
from ioc_core.platform.api import http

bp = Blueprint(__name__)


def _page(recipient: str) -> Response:
    """A page of one inbox (only its unread with ``unread=true``) and how much of it is unread."""
    query = http.query(w.InboxQuery)
    found = inbox_service().page(recipient, query.limit, http.cursor(query.cursor), query.unread == "true")
    views = [present.notification_view(n) for n in found.items]
    next_cursor = http.next_cursor(found.next_token)
    return http.reply(w.NotificationPage(items=views, next_cursor=next_cursor, unread=found.unread))


def _marked(done: Marked) -> Response:
    return http.reply(w.MarkedRead(marked=done.marked, unread=done.unread))


def _desk() -> str:
    return staff_desk(access.caller())


def _mine() -> str:
    return resident_inbox(access.caller())


# -- a staff desk's ---------------------------------------------------------------------------


@bp.route("/workflow/notifications", methods=["GET"])
@http.problem_json
def list_staff_notifications() -> Response:
    return _page(_desk())


@bp.route("/workflow/notifications/unread-count", methods=["GET"])
@http.problem_json
def count_staff_unread() -> Response:
    return http.reply(w.UnreadCount(unread=inbox_service().unread(_desk())))


@bp.route("/workflow/notifications/read-all", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def mark_staff_notifications_read() -> Response:
    return _marked(inbox_service().mark_all_read(_desk()))


@bp.route("/workflow/notifications/{notification_id}/read", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def mark_staff_notification_read(notification_id: str) -> Response:
    return _marked(inbox_service().mark_read(_desk(), notification_id))


@bp.route("/notifications/log", methods=["GET"])
@http.problem_json
def delivery_log() -> Response:
    items = [
        w.DeliveryView(at=present.iso(d.at), channel=d.channel, to=d.to, text=d.text, report_id=d.report_id)  # type: ignore[arg-type]
        for d in inbox().deliveries(100)
    ]
    return http.reply(w.DeliveryLog(items=items))


# -- a resident's -----------------------------------------------------------------------------


@bp.route("/me/notifications", methods=["GET"])
@http.problem_json
def list_my_notifications() -> Response:
    return _page(_mine())


@bp.route("/me/notifications/read-all", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def mark_my_notifications_read() -> Response:
    return _marked(inbox_service().mark_all_read(_mine()))


@bp.route("/me/notifications/{notification_id}/read", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def mark_notification_read(notification_id: str) -> Response:
    return _marked(inbox_service().mark_read(_mine(), notification_id))
