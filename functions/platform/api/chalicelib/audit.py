"""/api/v1/audit: the audit log, searched (filters, newest first, signed cursors)."""

from __future__ import annotations

from chalice import Blueprint, Response

from ioc_core.platform.api import http
from ioc_core.platform.audit import api
from ioc_core.platform.wiring import audit_service

bp = Blueprint(__name__)


@bp.route("", methods=["GET"])
@http.problem_json
def search_audit() -> Response:
    query = http.query(api.AuditQuery)
    page = audit_service().search(api.search_request(query, http.cursor(query.cursor)))
    return http.reply(
        api.AuditList(
            items=[api.AuditEntryView.of(e) for e in page.items],
            next_cursor=http.next_cursor(page.next_token),
        )
    )


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def audit_openapi() -> Response:
    return Response(body=api.document(), headers={"Content-Type": "application/json"})
