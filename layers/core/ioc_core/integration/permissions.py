"""Integration's permissions. The event contract itself (schemas, AsyncAPI) is public: it holds
no data, and a partner reads it before it has credentials. The events and the snapshot are for
the provincial system (OAuth2 client credentials, scope ``ioc/provincial.read``) and for the
administrators who run the integration. Subscriptions (where the city's events go, and the
secrets that sign them) are the administrators' alone."""

from __future__ import annotations

from ioc_core.platform.access import Permission, RoleDefinition, permission
from ioc_core.platform.rooms import Label

EVENTS_READ = "integration.events.read"
SUBSCRIPTIONS_MANAGE = "integration.subscriptions.manage"

ROLES: tuple[RoleDefinition, ...] = ()
PERMISSIONS: tuple[Permission, ...] = (
    permission(
        EVENTS_READ,
        Label("Đọc sự kiện và ảnh chụp trạng thái", "Pull events and the snapshot"),
        "provincial",
        "admin",
    ),
    permission(
        SUBSCRIPTIONS_MANAGE,
        Label("Quản lý đăng ký nhận sự kiện của tỉnh", "Manage the province's event subscriptions"),
        "admin",
    ),
)
