"""Integration with the province's monitoring center, declared once: the event contract (the
rooms' schemas), subscriptions and signed deliveries, the event log, snapshot and archive for
pull and replay, and the province's directives coming down."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.integration import directives, permissions, replay
from ioc_core.integration.deliveries import events as delivery_events
from ioc_core.integration.deliveries.resources import delivery_resources
from ioc_core.integration.settings import SECRET_ID_VARIABLE
from ioc_core.platform.resources import Archive, Bucket, HttpApi, Index, Key, Resources, StreamConsumer, Table
from ioc_core.platform.rooms import Cached, DevService, Label, Room

if TYPE_CHECKING:
    from pynamodb.models import Model

SUBSYSTEM = "integration"
ARCHIVE_BUCKET = "integration-archive"


def _models() -> Iterable[tuple[type[Model], str]]:
    from ioc_core.integration.adapters.directives import MODELS as DIRECTIVES
    from ioc_core.integration.adapters.event_log import MODELS as EVENT_LOG
    from ioc_core.integration.deliveries.adapters import MODELS as DELIVERIES

    return (*DIRECTIVES, *EVENT_LOG, *DELIVERIES)


def _caches() -> Iterable[Cached]:
    from ioc_core.integration import wiring
    from ioc_core.integration.deliveries import wiring as delivery_wiring

    return (*wiring.CACHED, *delivery_wiring.CACHES)


def _province() -> DevService:
    """The secret the province signs its directives with, kept as in AWS (ioc dev only)."""
    from ioc_core.integration.province import ProvinceLink

    return ProvinceLink()


def _audit_words() -> dict[str, Label]:
    return {
        **directives.audit_words(),
        **delivery_events.audit_words(),
        replay.REQUESTED: Label("Yêu cầu gửi lại sự kiện cho đăng ký", "Replay to a subscription requested"),
    }


ROOM = Room(
    name=SUBSYSTEM,
    title=Label("Tích hợp với tỉnh", "Provincial integration"),
    resources=Resources(
        tables=(
            # The province's directives, and the deliveries that brought them (duplicates ignored).
            Table("directives", Key("key"), subsystem=SUBSYSTEM),
            # Every event of the stream for 90 days, by shard and sequence, for systems that
            # poll; each shard's watermark; each entity's latest event (the snapshot), the
            # active ones in a sparse index.
            Table(
                "event_log",
                Key("pk"),
                Key("sk"),
                indexes=(Index("active", Key("active_kind"), Key("sk")),),
                ttl_attribute="expires_at",
                subsystem=SUBSYSTEM,
            ),
        ),
        # Every event, kept for good (at least the 90 days a replay reaches back), as gzipped JSON
        # lines by hour: Firehose in AWS, its stand-in locally.
        buckets=(Bucket(ARCHIVE_BUCKET, subsystem=SUBSYSTEM),),
        archives=(Archive("event-archive", stream="events", bucket=ARCHIVE_BUCKET),),
        consumers=(
            StreamConsumer(
                function="integration-event-log",
                handler="integration.event_log.handler.handler",
                source_kind="kinesis",
                source="events",
                every_event=True,
                writes=("event_log",),
                reads=("event_log",),
                fan_out=True,
            ),
            # A replay: the archive's events of a range, queued for one subscription.
            StreamConsumer(
                function="integration-replayer",
                handler="integration.replayer.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=replay.EMITS,
                reads=("integration_subscriptions", "integration_deliveries", ARCHIVE_BUCKET),
                writes=("integration_deliveries", "integration-forward"),
                batch_size=1,
                fan_out=True,
            ),
        ),
        apis=(
            HttpApi(
                name="integration-api",
                source_dir="integration/api",
                routes_prefixes=("/api/v1/integration",),
                layers=("core", "identity"),
                reads=(
                    "directives",
                    "event_log",
                    "integration_subscriptions",
                    "integration_deliveries",
                    "integration_attempts",
                    "idempotency",
                ),
                writes=(
                    "directives",
                    "event_log",
                    "integration_subscriptions",
                    "integration_deliveries",
                    "integration-forward",
                    "outbox",
                    "idempotency",
                ),
                # The secret shared with the province, which signs its directives with it.
                secrets=(SECRET_ID_VARIABLE,),
            ),
        ),
    )
    + delivery_resources(),
    models=_models,
    caches=_caches,
    emits=(*directives.EMITS, *delivery_events.EMITS, *replay.EMITS),
    audit_words=_audit_words,
    dev_services=(_province,),
    banner=(
        ("Provincial integration: OpenAPI", "/api/v1/integration/openapi.json"),
        ("Event catalogue (AsyncAPI)", "/api/v1/integration/asyncapi.json"),
        ("Province directives (ioc integration directive)", "/api/v1/integration/directives"),
    ),
    console=("integration",),
    roles=permissions.ROLES,
    permissions=permissions.PERMISSIONS,
)
