"""The platform's roles and permissions: the IOC's operators and the city's leaders."""

from __future__ import annotations

from ioc_core.platform.access import RoleDefinition, permission
from ioc_core.platform.rooms import Label

OVERVIEW_READ = "platform.overview.read"
API_KEYS_MANAGE = "platform.api_keys.manage"

ROLES = (
    RoleDefinition("operator", Label("Trực ban IOC", "IOC operator")),  # verifies and routes
    RoleDefinition("leader", Label("Lãnh đạo", "Leader")),  # reads everything, changes nothing
)
PERMISSIONS = (
    permission(OVERVIEW_READ, Label("Xem tổng quan", "See the overview"), "operator", "leader", "admin"),
    permission(API_KEYS_MANAGE, Label("Cấp khóa API Open311", "Issue Open311 API keys"), "admin"),
)
