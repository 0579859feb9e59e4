"""Scope: which reports a caller may see and change, in one place.

The route table says which permission a route needs; the rooms' policy says how far it reaches
for the caller (``Reach``): operators, leaders and the province every report, a unit's staff
the reports assigned to their units, a ward's leader the reports of their wards, a resident
their own (and masters they follow).
"""

from __future__ import annotations

from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.field_reporting.permissions import REPORTS_READ
from ioc_core.identity.principal import Principal
from ioc_core.platform.access import Reach
from ioc_core.shared.errors import Forbidden


def assigned_to(report: Report, unit: str | None) -> bool:
    return (
        unit is not None
        and report.unit == unit
        and any(h.status is ReportStatus.ASSIGNED for h in report.history)
    )


def assigned_within(report: Report, reach: Reach) -> bool:
    """Assigned to one of the units ``reach`` names (a city-wide reach is not a unit's)."""
    return any(assigned_to(report, unit) for unit in reach.units)


def reaches(principal: Principal, reach: Reach, report: Report) -> bool:
    return (
        reach.city
        or assigned_within(report, reach)
        or report.location.ward_code in reach.wards
        or (reach.own and principal.sub in report.owners)
    )


def can_see(principal: Principal, report: Report, permission: str = REPORTS_READ) -> bool:
    return reaches(principal, principal.reach(permission), report)


def require_scope(principal: Principal, report: Report, permission: str = REPORTS_READ) -> None:
    reach = principal.reach(permission)
    if not reaches(principal, reach, report):
        if reach.units or reach.wards:
            raise Forbidden(
                f"Phản ánh '{report.report_id}' không thuộc đơn vị hay phường của bạn /"
                f" Report '{report.report_id}' is not assigned to your unit nor in your ward."
            )
        raise Forbidden(
            f"Phản ánh '{report.report_id}' không phải của bạn / Report '{report.report_id}' is not yours."
        )
