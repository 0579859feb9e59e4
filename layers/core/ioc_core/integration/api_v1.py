"""The /api/v1/integration contract: what the province's systems and the city's administrators
call to read the event contract, subscribe, pull and replay."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ioc_core.integration.directives_api import OPERATIONS as DIRECTIVES
from ioc_core.integration.pull_api import OPERATIONS as PULL
from ioc_core.platform.api import openapi
from ioc_core.platform.api.routes import PREFIX, PUBLIC, Operation, Reply, RouteTable

OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/integration/openapi.json", "getIntegrationOpenApi", "This document", "meta",
              {200: Reply("OpenAPI 3.1", schema={"type": "object"})}, access=PUBLIC),
    *DIRECTIVES,
    *PULL,
)  # fmt: skip
TABLE = RouteTable(f"{PREFIX}/integration", OPERATIONS)


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return openapi.build(
        TABLE,
        "Phan Thiết IOC: integration (/api/v1/integration)",
        "The city's events for the province's monitoring center: the versioned event contract,"
        " subscriptions with signed deliveries, pull and replay. Errors are RFC 9457"
        " problem+json in Vietnamese and English.",
    )
