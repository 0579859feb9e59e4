"""Integration with the province's monitoring center, declared once."""

from __future__ import annotations

from ioc_core.integration import permissions
from ioc_core.platform.resources import HttpApi, Resources
from ioc_core.platform.rooms import Label, Room

SUBSYSTEM = "integration"

ROOM = Room(
    name=SUBSYSTEM,
    title=Label("Tích hợp với tỉnh", "Provincial integration"),
    resources=Resources(
        apis=(
            HttpApi(
                name="integration-api",
                source_dir="integration/api",
                routes_prefixes=("/api/v1/integration",),
                layers=("core", "identity"),
            ),
        ),
    ),
    banner=(("Provincial integration: OpenAPI", "/api/v1/integration/openapi.json"),),
    roles=permissions.ROLES,
    permissions=permissions.PERMISSIONS,
)
