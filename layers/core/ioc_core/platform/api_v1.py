"""The platform's /api/v1/overview contract: the leader's overview, one tile per room."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ioc_core.platform.api import openapi
from ioc_core.platform.api.routes import PREFIX, Operation, Reply, RouteTable, needs
from ioc_core.platform.overview import Overview
from ioc_core.platform.permissions import OVERVIEW_READ

# Leaders and operators watch the city; administrators see what they see.
WATCH = needs(OVERVIEW_READ)
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/overview", "getOverview", "The city at a glance: one tile per room", "overview",
              {200: Reply("Every room's tile", Overview)}, errors=(401, 403), access=WATCH),
    Operation("GET", "/overview/openapi.json", "getOverviewOpenApi", "This document", "meta",
              {200: Reply("OpenAPI 3.1", schema={"type": "object"})}, errors=(401, 403), access=WATCH),
)  # fmt: skip
TABLE = RouteTable(f"{PREFIX}/overview", OPERATIONS)


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return openapi.build(
        TABLE,
        "Phan Thiết IOC: overview (/api/v1/overview)",
        "The leader's overview: each room's headline figures, open alerts and rankings, from its"
        " projections. Errors are RFC 9457 problem+json in Vietnamese and English.",
    )
