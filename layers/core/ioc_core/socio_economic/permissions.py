"""The socio-economic room's roles and permissions.

The statistics office (``statistics_officer``) checks and approves every unit's figures and
keeps the targets; a unit's staff (Field Reporting's ``unit_staff@TCKH``) enter their unit's
indicators and approve a colleague's entry, never their own; leaders read, ask for the
meeting pack and direct tasks.
"""

from __future__ import annotations

from ioc_core.field_reporting.permissions import UNIT_STAFF
from ioc_core.platform.access import RoleDefinition, permission
from ioc_core.platform.rooms import Label

STATISTICS = "statistics_officer"
INDICATORS_READ = "socio_economic.indicators.read"
VALUES_ENTER = "socio_economic.values.enter"
VALUES_APPROVE = "socio_economic.values.approve"
TARGETS_SET = "socio_economic.targets.set"
PACKS_MAKE = "socio_economic.packs.make"
TASKS_READ = "socio_economic.tasks.read"
TASKS_MANAGE = "socio_economic.tasks.manage"
TASKS_REPORT = "socio_economic.tasks.report"

ROLES = (RoleDefinition(STATISTICS, Label("Cán bộ thống kê", "Statistics officer")),)

PERMISSIONS = (
    permission(
        INDICATORS_READ,
        Label("Xem chỉ tiêu kinh tế – xã hội", "See socio-economic indicators"),
        "operator",
        "leader",
        "admin",
        STATISTICS,
        UNIT_STAFF,
        "ward_leader",
    ),
    permission(
        VALUES_ENTER, Label("Nhập số liệu chỉ tiêu", "Enter indicator values"), STATISTICS, UNIT_STAFF
    ),
    permission(
        VALUES_APPROVE, Label("Phê duyệt số liệu", "Approve indicator values"), STATISTICS, UNIT_STAFF
    ),
    permission(TARGETS_SET, Label("Đặt chỉ tiêu kế hoạch", "Set targets"), STATISTICS),
    permission(PACKS_MAKE, Label("Lập báo cáo phục vụ họp", "Make the meeting pack"), "leader", STATISTICS),
    permission(
        TASKS_READ, Label("Xem nhiệm vụ", "See tasks"), "operator", "leader", "admin", STATISTICS, UNIT_STAFF
    ),
    permission(
        TASKS_MANAGE, Label("Giao và theo dõi nhiệm vụ", "Register and direct tasks"), "leader", STATISTICS
    ),
    permission(TASKS_REPORT, Label("Báo cáo tiến độ nhiệm vụ", "Report task progress"), UNIT_STAFF),
)
