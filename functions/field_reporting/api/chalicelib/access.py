"""Authorization in one place: every /api/v1 route is checked against its row of the route
table (``ioc_core.field_reporting.mobile.operations``: roles, anonymous or not) before its
view runs. The caller and the role that acts are handed to the view through ``caller()``;
report-level scope (a unit's assignments, a resident's own reports) is the service's.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib import http
from ioc_core.field_reporting.mobile import openapi
from ioc_core.field_reporting.mobile.operations import Access
from ioc_core.field_reporting.workflow_service import Caller
from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.principal import ANONYMOUS, Principal, Role
from ioc_core.identity.wiring import authenticate
from ioc_core.shared.errors import DomainError, Forbidden

bp = Blueprint(__name__)
_current: contextvars.ContextVar[tuple[Principal, Role | None]] = contextvars.ContextVar("ioc_caller")


def check(access: Access, principal: Principal) -> Role | None:
    """The role that acts on the route; 401 without a needed token, 403 for other roles."""
    if not principal.authenticated:
        if access.anonymous:
            return None
        raise Unauthenticated("Đăng nhập để tiếp tục / Sign in: send 'Authorization: Bearer <token>'.")
    role = principal.acting_role(access.roles)
    if role is None:
        allowed = ", ".join(sorted(r.value for r in access.roles)) or "nobody"
        mine = ", ".join(sorted(r.value for r in principal.roles)) or "no role"
        raise Forbidden(f"Không có quyền / This route is for: {allowed}; you are: {mine}.")
    return role


@bp.middleware("http")
def authorize(event: Request, get_response: Callable[[Request], Response]) -> Response:
    if not event.path.startswith(openapi.PREFIX):
        return get_response(event)  # Open311 has its own keys
    operation = openapi.operation_for(event.method, event.path)
    try:
        if operation is None:  # fail closed: a route missing from the table serves nobody
            raise Forbidden(f"No access rule for {event.method} {event.path}.")
        principal = authenticate(event.headers.get("authorization"))
        role = check(operation.access, principal)
    except DomainError as error:
        return http.problem_response(error)
    token = _current.set((principal, role))
    try:
        return get_response(event)
    finally:
        _current.reset(token)


def principal() -> Principal:
    return _current.get((ANONYMOUS, None))[0]


def caller() -> Caller:
    """The signed-in caller and the role acting on this route (the middleware checked it)."""
    who, role = _current.get((ANONYMOUS, None))
    if role is None:
        raise Unauthenticated("Sign in first.")
    return Caller(who, role)
