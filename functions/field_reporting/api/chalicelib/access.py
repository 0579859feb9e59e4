"""The caller as Field Reporting's services take it. The platform kit's middleware has
already checked the route's permission (``ioc_core.platform.api.http.install``); report-level
scope (a unit's assignments, a resident's own reports) is the services'."""

from __future__ import annotations

from ioc_core.field_reporting.permissions import REPORTS_READ
from ioc_core.field_reporting.workflow_service import Caller
from ioc_core.platform.api.http import principal, route_permission, signed_in

__all__ = ["caller", "principal"]


def caller() -> Caller:
    """The signed-in caller, the role acting on this route and the route's permission."""
    who, role = signed_in()
    return Caller(who, role, route_permission() or REPORTS_READ)
