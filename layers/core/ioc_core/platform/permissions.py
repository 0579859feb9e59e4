"""The platform's roles and permissions: the IOC's operators and the city's leaders."""

from __future__ import annotations

from ioc_core.platform.access import RoleDefinition, permission
from ioc_core.platform.rooms import Label

OVERVIEW_READ = "platform.overview.read"
API_KEYS_MANAGE = "platform.api_keys.manage"
AUDIT_READ = "platform.audit.read"

ROLES = (
    RoleDefinition("operator", Label("Trực ban IOC", "IOC operator")),  # verifies and routes
    RoleDefinition("leader", Label("Lãnh đạo", "Leader")),  # reads everything, changes nothing
)
PERMISSIONS = (
    permission(OVERVIEW_READ, Label("Xem tổng quan", "See the overview"), "operator", "leader", "admin"),
    permission(API_KEYS_MANAGE, Label("Cấp khóa API Open311", "Issue Open311 API keys"), "admin"),
    # Who did what, when and from where: the administrators who run the system and the leaders it answers to.
    permission(AUDIT_READ, Label("Xem nhật ký hệ thống", "Read the audit log"), "admin", "leader"),
)
