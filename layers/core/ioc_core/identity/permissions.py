"""Identity's roles and permissions: residents, administrators, the province's system."""

from __future__ import annotations

from ioc_core.identity.principal import PROVINCIAL, RESIDENT
from ioc_core.platform.access import RoleDefinition, permission
from ioc_core.platform.rooms import Label

STAFF_READ = "identity.staff.read"
STAFF_MANAGE = "identity.staff.manage"

ROLES = (
    RoleDefinition(RESIDENT, Label("Người dân", "Resident"), scope="own", pool="resident"),
    RoleDefinition("admin", Label("Quản trị hệ thống", "Administrator")),  # catalogue, routing, users, keys
    # The province's system (client credentials): read-only integration.
    RoleDefinition(PROVINCIAL, Label("Hệ thống tỉnh", "Provincial system"), pool="machine"),
)
PERMISSIONS = (
    permission(STAFF_READ, Label("Xem tài khoản cán bộ", "See staff accounts"), "admin"),
    permission(STAFF_MANAGE, Label("Phân quyền cán bộ", "Grant staff roles"), "admin"),
)
