"""The /api/v1/integration contract: what the province's systems and the city's administrators
call to read the event contract, subscribe, pull and replay."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ioc_core.integration.directives_api import OPERATIONS as DIRECTIVES
from ioc_core.integration.pull_api import OPERATIONS as PULL
from ioc_core.platform.api import openapi
from ioc_core.platform.api.routes import PREFIX, PUBLIC, Operation, Reply, RouteTable

_SCHEMA_PATH = {"event_type": r"^[a-z_]+([.][a-z_]+)+$", "version": r"^v[1-9][0-9]*$"}
_CATALOGUE_ENTRY = {
    "type": "object",
    "required": ["type", "cloudevents_type", "room", "title", "description", "versions"],
    "properties": {
        "type": {"type": "string"},
        "cloudevents_type": {"type": "string"},
        "room": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "object", "properties": {"vi": {"type": "string"}, "en": {"type": "string"}}},
        "versions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "version": {"type": "string"},
                    "status": {"enum": ["current", "deprecated"]},
                    "deprecation_date": {"type": ["string", "null"], "format": "date"},
                    "dataschema": {"type": "string", "format": "uri"},
                    "href": {"type": "string"},
                },
            },
        },
    },
}
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/integration/openapi.json", "getIntegrationOpenApi", "This document", "meta",
              {200: Reply("OpenAPI 3.1", schema={"type": "object"})}, access=PUBLIC),
    # The event contract (the catalogue of event types, each type's schemas, the AsyncAPI
    # document): public, cacheable (Cache-Control, ETag and If-None-Match).
    Operation("GET", "/integration/schemas", "listEventSchemas", "Every event type, its versions and schemas",
              "events", {200: Reply("The catalogue", schema={"type": "object", "properties": {
                  "types": {"type": "array", "items": _CATALOGUE_ENTRY}}})}, access=PUBLIC),
    Operation("GET", "/integration/schemas/{event_type}/{version}", "getEventSchema",
              "The JSON Schema (draft 2020-12) of one event type's data, one major version", "events",
              {200: Reply("The schema", media_type="application/schema+json", schema={"type": "object"})},
              errors=(404,), path_params=_SCHEMA_PATH, access=PUBLIC),
    Operation("GET", "/integration/asyncapi.json", "getEventsAsyncApi",
              "AsyncAPI 3.0: the event stream and webhook deliveries, a message per event type", "events",
              {200: Reply("AsyncAPI 3.0", schema={"type": "object"})}, access=PUBLIC),
    *DIRECTIVES,
    *PULL,
)  # fmt: skip
TABLE = RouteTable(f"{PREFIX}/integration", OPERATIONS)


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    from ioc_core.integration.subscriptions_api import OPERATIONS as SUBSCRIPTIONS

    return openapi.build(
        RouteTable(TABLE.prefix, TABLE.operations + SUBSCRIPTIONS),
        "Phan Thiết IOC: integration (/api/v1/integration)",
        "The city's events for the province's monitoring center: the versioned event contract,"
        " subscriptions with signed deliveries, pull and replay. Errors are RFC 9457"
        " problem+json in Vietnamese and English.",
    )
