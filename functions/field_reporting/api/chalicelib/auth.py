"""The caller, under /api/v1: ``GET /me`` (role, unit and the operations the role may call
here). Signing in is identity's own API (functions/identity/api, /api/v1/auth)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import access
from ioc_core.field_reporting.api_v1 import openapi
from ioc_core.field_reporting.wiring import router
from ioc_core.identity import schemas
from ioc_core.platform.api import http

bp = Blueprint(__name__)


@bp.route("/me", methods=["GET"])
@http.problem_json
def me() -> Response:
    who = access.caller().principal
    role = who.role
    assert role is not None
    unit_name = router().unit_name(who.unit) if who.unit else None
    return http.reply(
        schemas.MeView(
            sub=who.sub,
            role=role.value,
            roles=sorted(r.value for r in who.roles),  # type: ignore[misc]
            username=who.username,
            name=who.name,
            phone=who.phone,
            unit=who.unit,
            unit_name=unit_name.vi if unit_name else None,
            operations=openapi.allowed_operations(who.roles),
        )
    )
