"""/api/v1/overview: one call, every room's tile (the rooms declare them)."""

from __future__ import annotations

from chalice import Blueprint, Response

from ioc_core.platform import api_v1
from ioc_core.platform.api import http
from ioc_core.platform.overview import overview
from ioc_core.rooms import ROOMS
from ioc_core.shared.clock import VN_TZ, SystemClock

bp = Blueprint(__name__)


@bp.route("", methods=["GET"])
@http.problem_json
def get_overview() -> Response:
    return http.reply(
        overview(ROOMS, SystemClock().now().astimezone(VN_TZ)), headers={"Cache-Control": "no-store"}
    )


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def openapi_document() -> Response:
    return Response(body=api_v1.document(), headers={"Content-Type": "application/json"})
