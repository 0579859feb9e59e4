"""Field Reporting: residents report problems, the city verifies, routes and resolves them,
residents rate the result. Open311 GeoReport v2 and the /api/v1 contract; the heart of the IOC."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.field_reporting import events, notifications, permissions, search, stats
from ioc_core.field_reporting.demo import load
from ioc_core.platform.overview import Tile
from ioc_core.platform.resources import (
    Bucket,
    HttpApi,
    Index,
    Key,
    Resources,
    Schedule,
    StreamConsumer,
    Table,
)
from ioc_core.platform.rooms import Cached, Label, Room

if TYPE_CHECKING:
    from pynamodb.models import Model

_REQUESTED = Key("requested_at")


def _models() -> Iterable[tuple[type[Model], str]]:
    from ioc_core.field_reporting.adapters.dynamo import FollowItem, ReportItem
    from ioc_core.field_reporting.adapters.notifications import NotificationItem, UnreadCounter
    from ioc_core.field_reporting.adapters.saved_filters import SavedFilterItem
    from ioc_core.field_reporting.adapters.search_index import SearchItem

    return (
        (ReportItem, "reports"),
        (FollowItem, "follows"),
        (NotificationItem, "notifications"),
        (UnreadCounter, "notifications"),
        (SearchItem, "search"),
        (SavedFilterItem, "saved_filters"),
    )


def _caches() -> Iterable[Cached]:
    from ioc_core.field_reporting import wiring

    return wiring.CACHED


def _units() -> Iterable[tuple[str, Label]]:
    from ioc_core.admin_units.registry import default_registry, today_in_vietnam
    from ioc_core.field_reporting.catalogue import default_catalogue
    from ioc_core.field_reporting.routing import Router, routing_data

    router = Router(default_catalogue(), default_registry(), routing_data(), today_in_vietnam())
    return [(code, Label(u.unit.name.vi, u.unit.name.en)) for code, u in sorted(router.units.items())]


def _tile() -> Tile:
    from ioc_core.field_reporting.overview import tile

    return tile()


ROOM = Room(
    name="field_reporting",
    title=Label("Phản ánh hiện trường", "Field Reporting"),
    resources=Resources(
        tables=(
            Table(
                "reports",
                Key("report_id"),
                indexes=(
                    Index("by_status", Key("status"), _REQUESTED),
                    Index("by_ward", Key("ward_code"), _REQUESTED),
                    Index("by_service", Key("service_code"), _REQUESTED),
                    Index("by_reporter", Key("reporter_id"), _REQUESTED),
                    Index("by_month", Key("month"), _REQUESTED),
                    Index("by_token", Key("token")),
                    # Sparse: the reports assigned to a unit (its staff's queue).
                    Index("by_unit", Key("unit_code"), _REQUESTED),
                ),
                subsystem="field_reporting",
            ),
            # In-app inboxes (resident accounts, unit and role desks) and the SMS/push delivery log.
            Table(
                "notifications",
                Key("recipient"),
                Key("notification_id"),
                # Sparse: the unread items only (their count, the unread list, mark all read).
                indexes=(Index("unread", Key("unread_for"), Key("notification_id")),),
                ttl_attribute="expires_at",
                subsystem="field_reporting",
            ),
            # The staff search: a posting per (word, report) and a doc per report ("#doc").
            Table("search", Key("term"), Key("report_id"), subsystem="field_reporting"),
            # Each staff member's saved queue filters: their account id, then the filter's name.
            Table("saved_filters", Key("owner"), Key("name"), subsystem="field_reporting"),
            # The reports a resident follows (someone else's), kept with the report's followers.
            Table("follows", Key("account_id"), Key("report_id"), subsystem="field_reporting"),
        ),
        buckets=(Bucket("media", subsystem="field_reporting", expire_prefixes=(("uploads/", 2),)),),
        consumers=(
            StreamConsumer(
                function="field-reporting-stats",
                handler="field_reporting.stats_consumer.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=stats.TAKES,
                reads=("projections",),
                writes=("projections",),
            ),
            StreamConsumer(
                function="field-reporting-search",
                handler="field_reporting.search_indexer.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=search.TAKES,
                reads=("reports", "search"),
                writes=("search",),
            ),
            StreamConsumer(
                function="field-reporting-notifications",
                handler="field_reporting.notifications.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=notifications.TAKES,
                reads=("reports", "notifications"),
                writes=("notifications",),
                sends=("sms",),
            ),
        ),
        apis=(
            HttpApi(
                name="field-reporting-api",
                source_dir="field_reporting/api",
                routes_prefixes=("/open311/v2", "/api/v1", "/discovery."),
                layers=("core", "identity", "media"),
                reads=(
                    "reports",
                    "idempotency",
                    "api_keys",
                    "projections",
                    "media",
                    "notifications",
                    "accounts",
                    "search",
                    "saved_filters",
                    "follows",
                ),
                writes=(
                    "reports",
                    "outbox",
                    "idempotency",
                    "media",
                    "notifications",
                    "projections",
                    "api_keys",
                    "saved_filters",
                    "follows",
                ),
                # Who works in a unit (the assignee picker and its check): the staff pool's
                # group members, read only.
                lists_members=("staff",),
            ),
        ),
        schedules=(
            # SLA clocks: warnings at 80 %, escalations at 100 %, each raised once.
            Schedule(
                function="field-reporting-sla",
                handler="field_reporting.jobs.sla_monitor.handler",
                expression="rate(5 minutes)",
                reads=("reports",),
                writes=("reports", "outbox"),
            ),
        ),
    ),
    models=_models,
    caches=_caches,
    emits=events.EMITS,
    audit_words=events.audit_words,
    seed=load,
    banner=(
        ("Open311 GeoReport v2", "/open311/v2/discovery.json"),
        ("Services", "/open311/v2/services.json?lang=en"),
        ("Requests (90 days)", "/open311/v2/requests.json?extensions=true"),
        ("Mobile API (OpenAPI)", "/api/v1/openapi.json"),
        ("Statistics", "/api/v1/stats/field-reporting"),
        ("Resident web app", "/app/"),
    ),
    console=("field_reporting",),
    overview=_tile,
    roles=permissions.ROLES,
    units=_units,
    permissions=permissions.PERMISSIONS,
)
