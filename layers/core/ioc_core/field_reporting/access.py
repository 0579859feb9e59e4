"""Scope: which reports a caller's role may see and change, in one place.

The route table (``platform/api/routes.py``) says which roles may call a route; this says
which reports they reach through it: operators, leaders and the province every report, a
unit the reports assigned to it, a resident their own (and masters they follow).
"""

from __future__ import annotations

from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.identity.principal import Principal, Role
from ioc_core.shared.errors import Forbidden

WHOLE_CITY = frozenset({Role.OPERATOR, Role.LEADER, Role.PROVINCIAL, Role.ADMIN})
SEES_PERSONAL_DATA = frozenset({Role.OPERATOR, Role.UNIT_STAFF, Role.LEADER})


def assigned_to(report: Report, unit: str | None) -> bool:
    return (
        unit is not None
        and report.unit == unit
        and any(h.status is ReportStatus.ASSIGNED for h in report.history)
    )


def can_see(principal: Principal, role: Role, report: Report) -> bool:
    if role in WHOLE_CITY:
        return True
    if role is Role.UNIT_STAFF:
        return assigned_to(report, principal.unit)
    if role is Role.RESIDENT:
        return principal.sub in report.owners
    return False


def require_scope(principal: Principal, role: Role, report: Report) -> None:
    if not can_see(principal, role, report):
        if role is Role.UNIT_STAFF:
            raise Forbidden(f"Report '{report.report_id}' is not assigned to your unit.")
        raise Forbidden(f"Report '{report.report_id}' is not yours.")
