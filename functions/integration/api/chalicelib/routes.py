"""/api/v1/integration routes."""

from __future__ import annotations

from chalice import Blueprint, Response

from ioc_core.integration import api_v1
from ioc_core.platform.api import http

bp = Blueprint(__name__)


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def openapi_document() -> Response:
    return Response(body=api_v1.document(), headers={"Content-Type": "application/json"})
