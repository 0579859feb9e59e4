"""The platform: what every room stands on. The transactional outbox and its relay to the
event stream, idempotency claims, the consumers' read models and processed-event markers,
Open311 API keys, the console's bucket, and the administrator's console module."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.platform import events, permissions
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
    from ioc_core.platform.audit.dynamo import AuditItem
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
        (AuditItem, "audit"),
    )


def _caches() -> Iterable[Cached]:
    from ioc_core.platform import wiring
    from ioc_core.platform.api import cursor_key
    from ioc_core.settings import get_settings

    return (
        get_settings, wiring.ready, wiring.event_publisher, cursor_key.signer, wiring.audit_log,
        wiring.audit_service, wiring.audit_vocabulary,
    )  # fmt: skip


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
            # The audit log: a Vietnam day per partition ("audit#2026-12-02"), "<time>#<event id>"
            # sorted; an actor's and a target's entries by index. Kept for good (no TTL).
            Table(
                "audit",
                Key("pk"),
                Key("sk"),
                indexes=(
                    Index("by_actor", Key("actor"), Key("sk")),
                    Index("by_target", Key("target_id"), Key("sk")),
                ),
            ),
        ),
        buckets=(Bucket("console", site=True),),
        streams=(Stream("events"),),
        apis=(
            # The leader's overview: every room's tile, read from the projections only.
            HttpApi(
                name="platform-api",
                source_dir="platform/api",
                routes_prefixes=("/api/v1/overview", "/api/v1/audit"),
                layers=("core", "identity"),
                reads=("projections", "audit"),
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
            # The audit log, from the same stream (a table stream serves two readers: this and the relay).
            StreamConsumer(
                function="audit-writer",
                handler="platform.audit_writer.handler.handler",
                source_kind="dynamodb",
                source="outbox",
                writes=("audit",),
            ),
        ),
    ),
    models=_models,
    caches=_caches,
    console=("admin", "overview"),
    roles=permissions.ROLES,
    permissions=permissions.PERMISSIONS,
    emits=events.EMITS,
    audit_words=events.audit_words,
)
