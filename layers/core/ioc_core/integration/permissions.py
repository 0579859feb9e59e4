"""Integration's permissions. The event contract itself (schemas, AsyncAPI) is public: it holds
no data, and a partner reads it before it has credentials."""

from __future__ import annotations

from ioc_core.platform.access import Permission, RoleDefinition

ROLES: tuple[RoleDefinition, ...] = ()
PERMISSIONS: tuple[Permission, ...] = ()
