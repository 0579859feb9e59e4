"""The platform: what every room stands on. The transactional outbox and its relay to the
event stream, idempotency claims, the consumers' read models and processed-event markers,
Open311 API keys, the console's bucket, and the administrator's console module."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.platform import permissions
from ioc_core.platform.resources import (
    Bucket,
    HttpApi,
    Index,
    Key,
    Resources,
    Stream,
    StreamConsumer,
    Table,
)
from ioc_core.platform.rooms import Cached, Label, Room

if TYPE_CHECKING:
    from pynamodb.models import Model


def _models() -> Iterable[tuple[type[Model], str]]:
    from ioc_core.local.seed import SeedMarker
    from ioc_core.platform.api_keys import ApiKeyItem
    from ioc_core.platform.idempotency import IdempotencyItem
    from ioc_core.platform.outbox import OutboxItem
    from ioc_core.platform.projections import CounterRow, ProcessedMarker

    return (
        (OutboxItem, "outbox"),
        (IdempotencyItem, "idempotency"),
        (ApiKeyItem, "api_keys"),
        (CounterRow, "projections"),
        (ProcessedMarker, "projections"),
        (SeedMarker, "projections"),
    )


def _caches() -> Iterable[Cached]:
    from ioc_core.platform import wiring
    from ioc_core.platform.api import cursor_key
    from ioc_core.settings import get_settings

    return (get_settings, wiring.ready, wiring.event_publisher, cursor_key.signer)


ROOM = Room(
    name="platform",
    title=Label("Nền tảng", "Platform"),
    resources=Resources(
        tables=(
            # Transactional outbox: written in the same transaction as the state change,
            # published to Kinesis by the relay reading this table's stream.
            Table("outbox", Key("event_id"), stream=True, ttl_attribute="expires_at"),
            Table("idempotency", Key("key"), ttl_attribute="expires_at"),
            Table("api_keys", Key("key_hash"), indexes=(Index("by_name", Key("name")),)),
            # Read models kept by consumers, and the processed-event markers they dedupe with.
            Table("projections", Key("pk"), Key("sk"), ttl_attribute="expires_at"),
        ),
        buckets=(Bucket("console", site=True),),
        streams=(Stream("events"),),
        apis=(
            # The leader's overview: every room's tile, read from the projections only.
            HttpApi(
                name="platform-api",
                source_dir="platform/api",
                routes_prefixes=("/api/v1/overview",),
                layers=("core", "identity"),
                reads=("projections",),
            ),
        ),
        consumers=(
            StreamConsumer(
                function="outbox-relay",
                handler="platform.outbox_relay.handler.handler",
                source_kind="dynamodb",
                source="outbox",
                writes=("events",),
            ),
        ),
    ),
    models=_models,
    caches=_caches,
    console=("admin", "overview"),
    roles=permissions.ROLES,
    permissions=permissions.PERMISSIONS,
)
