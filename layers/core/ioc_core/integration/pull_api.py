"""/api/v1/integration/events and /snapshot: for systems that poll, and for one that starts
late or reconciles. Their operations are part of the room's one route table (``api_v1``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ioc_core.integration.event_log import MAX_PAGE
from ioc_core.integration.permissions import EVENTS_READ
from ioc_core.platform.api.routes import Operation, Reply, needs

READ = needs(EVENTS_READ, scope="the provincial system (scope ioc/provincial.read) and administrators")


class EventsQuery(BaseModel):
    after: str | None = Field(default=None, max_length=4000, description="The cursor of the last poll")
    types: str | None = Field(default=None, max_length=4000, description="Comma-separated event types")
    limit: int = Field(default=100, ge=1, le=MAX_PAGE)


class EventsPage(BaseModel):
    events: list[dict[str, Any]] = Field(
        description="CloudEvents 1.0 (structured), in stream order per entity"
    )
    next: str = Field(description="The cursor to poll from next (also when no event came)")
    more: bool = Field(description="Events past this page are waiting: poll again now")


class Snapshot(BaseModel):
    as_of: str
    after: str = Field(description="A cursor for /events: poll from here to follow on from the snapshot")
    reports: list[dict[str, Any]]
    incidents: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    indicators: list[dict[str, Any]]


class EntitiesQuery(BaseModel):
    type: Literal["Alert", "Open311_ServiceRequest", "KeyPerformanceIndicator"] = Field(
        description="The Smart Data Models type"
    )


OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/integration/events", "pullEvents",
              "Events past a cursor, oldest first, optionally of some types (a poll that names no"
              " cursor starts at the oldest kept, 90 days back)", "events",
              {200: Reply("A page of events and the next cursor", EventsPage)}, errors=(400, 401, 403),
              query=EventsQuery, access=READ),
    Operation("GET", "/integration/snapshot", "getSnapshot",
              "The current state: open reports, active camera incidents, open tasks, the latest"
              " approved value of each indicator, each as its latest event; with the cursor to pull on",
              "events", {200: Reply("The snapshot", Snapshot)}, errors=(401, 403), access=READ),
    Operation("GET", "/integration/ngsi-ld/entities", "listNgsiLdEntities",
              "The snapshot's entities as NGSI-LD (FIWARE Smart Data Models: Alert for camera incidents,"
              " Open311_ServiceRequest for open reports, KeyPerformanceIndicator for indicator values)",
              "events", {200: Reply("NGSI-LD entities (normalised)", media_type="application/ld+json",
                                    schema={"type": "array", "items": {"type": "object"}})},
              errors=(400, 401, 403), query=EntitiesQuery, access=READ),
)  # fmt: skip
