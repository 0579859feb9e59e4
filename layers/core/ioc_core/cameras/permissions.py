"""The cameras' permissions: operators handle alerts, administrators keep the roster."""

from __future__ import annotations

from ioc_core.platform.access import permission
from ioc_core.platform.rooms import Label

READ = "cameras.cameras.read"
OPERATE = "cameras.alerts.handle"
MANAGE = "cameras.cameras.manage"

PERMISSIONS = (
    permission(
        READ, Label("Xem camera và cảnh báo", "See cameras and alerts"), "operator", "leader", "admin"
    ),
    permission(OPERATE, Label("Xử lý cảnh báo", "Handle alerts"), "operator"),
    permission(MANAGE, Label("Quản lý danh sách camera", "Manage the camera roster"), "admin"),
)
