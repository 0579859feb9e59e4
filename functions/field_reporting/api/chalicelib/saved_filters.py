"""/api/v1/me/saved-filters: the signed-in staff member's saved queue filters.

Thin: the owner is the checked caller's account id (never a field of the request), then one
call of the saved-filter service. The middleware has checked the role against the route table
and marks every reply ``Cache-Control: no-store`` (they are personal).
"""

from __future__ import annotations

from chalice import Blueprint, Response

from ioc_core.field_reporting.api_v1.saved_filters import SavedFilterList, SavedFilterRequest, SavedFilterView
from ioc_core.field_reporting.wiring import saved_filters
from ioc_core.platform.api import http

bp = Blueprint(__name__)


def _owner() -> str:
    who, _ = http.signed_in()
    return who.sub


@bp.route("/me/saved-filters", methods=["GET"])
@http.problem_json
def list_saved_filters() -> Response:
    kept = saved_filters().list(_owner())
    return http.reply(SavedFilterList(items=[SavedFilterView.of(s) for s in kept]))


@bp.route("/me/saved-filters/{name}", methods=["PUT"], content_types=http.ANY_BODY)
@http.problem_json
def put_saved_filter(name: str) -> Response:
    sent = http.body(SavedFilterRequest)
    saved, created = saved_filters().save(_owner(), name, sent.filters)
    return http.reply(SavedFilterView.of(saved), status=201 if created else 200)


@bp.route("/me/saved-filters/{name}", methods=["DELETE"])
@http.problem_json
def delete_saved_filter(name: str) -> Response:
    saved_filters().forget(_owner(), name)
    return Response(body="", status_code=204)
