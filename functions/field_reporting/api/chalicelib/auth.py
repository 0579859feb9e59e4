"""The caller, under /api/v1: ``GET /me`` (role, unit and the operations the role may call
here). Signing in is identity's own API (functions/identity/api, /api/v1/auth)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import access
from ioc_core.field_reporting.api_v1 import openapi
from ioc_core.field_reporting.permissions import UNIT_STAFF
from ioc_core.field_reporting.wiring import router
from ioc_core.identity import schemas
from ioc_core.platform.access import policy
from ioc_core.platform.api import http

bp = Blueprint(__name__)


@bp.route("/me", methods=["GET"])
@http.problem_json
def me() -> Response:
    caller = access.caller()
    who = caller.principal
    units = who.scopes(UNIT_STAFF)
    unit_name = router().unit_name(units[0]) if units else None
    return http.reply(
        schemas.MeView(
            sub=who.sub,
            role=caller.role,
            roles=sorted(who.roles),
            grants=[schemas.GrantView(role=g.role, scope=g.scope) for g in sorted(who.grants)],
            permissions=sorted(policy().permissions_of(who.grants)),
            username=who.username,
            name=who.name,
            phone=who.phone,
            unit=units[0] if units else None,
            unit_name=unit_name.vi if unit_name else None,
            operations=openapi.allowed_operations(who),
        )
    )
