"""Security cameras: snapshots in, fire and smoke early warnings and zone-change evidence out,
verified, dispatched and closed by operators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ioc_core.cameras import events, permissions, stats
from ioc_core.platform.overview import Tile
from ioc_core.platform.resources import (
    Bucket,
    HttpApi,
    Index,
    Key,
    Resources,
    S3Consumer,
    Schedule,
    StreamConsumer,
    Table,
)
from ioc_core.platform.rooms import Cached, DevService, Label, Room

if TYPE_CHECKING:
    from pynamodb.models import Model


def _models() -> Iterable[tuple[type[Model], str]]:
    from ioc_core.cameras.adapters.dynamo import (
        CameraAlertItem,
        CameraItem,
        CameraStateItem,
        IncidentItem,
        SnapshotMarkerItem,
    )

    return (
        (CameraItem, "cameras"),
        (CameraStateItem, "camera_state"),
        (CameraAlertItem, "camera_alerts"),
        (IncidentItem, "camera_incidents"),
        (SnapshotMarkerItem, "camera_snapshots"),
    )


def _caches() -> Iterable[Cached]:
    from ioc_core.cameras import wiring

    return wiring.CACHED


def _simulation() -> DevService:
    """Three simulated cameras upload snapshots; a fire starts a few minutes in."""
    from ioc_core.cameras.simulator import start_simulation

    return start_simulation()


def _tile() -> Tile:
    from ioc_core.cameras.overview import tile

    return tile()


ROOM = Room(
    name="cameras",
    title=Label("Camera an ninh", "Security cameras"),
    resources=Resources(
        # The registry, each camera's detector state and health, the alerts operators work,
        # and one marker per processed snapshot object version.
        tables=(
            Table(
                "cameras",
                Key("camera_id"),
                indexes=(Index("by_fleet", Key("fleet"), Key("camera_id")),),
                subsystem="cameras",
            ),
            Table(
                "camera_state",
                Key("camera_id"),
                indexes=(Index("by_last_seen", Key("fleet"), Key("last_seen_at")),),
                subsystem="cameras",
            ),
            Table(
                "camera_alerts",
                Key("alert_id"),
                indexes=(
                    Index("by_status", Key("status"), Key("raised_at")),
                    Index("by_camera", Key("camera_id"), Key("raised_at")),
                ),
                subsystem="cameras",
            ),
            # One incident per fire (or dump, or dead camera): its alerts as a timeline.
            Table(
                "camera_incidents",
                Key("incident_id"),
                indexes=(Index("by_status", Key("status"), Key("updated_at")),),
                subsystem="cameras",
            ),
            Table("camera_snapshots", Key("object_id"), ttl_attribute="expires_at", subsystem="cameras"),
        ),
        buckets=(
            # Camera gateways upload JPEGs under cameras/<camera_id>/; bad ones move to quarantine/.
            Bucket(
                "camera-snapshots",
                subsystem="cameras",
                expire_prefixes=(("cameras/", 30), ("quarantine/", 90)),
                versioned=True,
            ),
            Bucket("camera-evidence", subsystem="cameras", versioned=True),
        ),
        consumers=(
            StreamConsumer(
                function="camera-alert-stats",
                handler="cameras.stats_consumer.handler.handler",
                source_kind="kinesis",
                source="events",
                event_types=stats.TAKES,
                reads=("projections",),
                writes=("projections",),
            ),
        ),
        apis=(
            HttpApi(
                name="cameras-api",
                source_dir="cameras/api",
                routes_prefixes=("/api/v1/cameras",),
                layers=("core", "identity"),
                # "Create field report" runs Field Reporting's own intake service (its
                # validation, routing, idempotency and events): hence its reports and
                # idempotency grants. Cameras code itself never touches those tables.
                reads=(
                    "cameras",
                    "camera_state",
                    "camera_alerts",
                    "camera_incidents",
                    "projections",
                    "camera-evidence",
                    "reports",
                    "idempotency",
                ),
                writes=(
                    "cameras",
                    "camera_state",
                    "camera_alerts",
                    "camera_incidents",
                    "outbox",
                    "camera-snapshots",
                    "reports",
                    "idempotency",
                ),
            ),
        ),
        s3_consumers=(
            S3Consumer(
                function="camera-detector",
                handler="cameras.detector.handler.handler",
                bucket="camera-snapshots",
                prefix="cameras/",
                layers=("core", "vision"),
                reads=("cameras", "camera_state", "camera_incidents", "camera_snapshots", "camera-snapshots"),
                writes=(
                    "camera_state",
                    "camera_alerts",
                    "camera_incidents",
                    "camera_snapshots",
                    "outbox",
                    "camera-snapshots",
                    "camera-evidence",
                ),
            ),
        ),
        schedules=(
            Schedule(
                function="camera-health",
                handler="cameras.health.handler.handler",
                expression="rate(5 minutes)",
                reads=("cameras", "camera_state", "camera_incidents"),
                writes=("camera_state", "camera_alerts", "camera_incidents", "outbox"),
            ),
        ),
    ),
    models=_models,
    caches=_caches,
    emits=events.EMITS,
    audit_words=events.audit_words,
    dev_services=(_simulation,),
    banner=(("Cameras (staff)", "/api/v1/cameras"),),
    console=("cameras",),
    overview=_tile,
    permissions=permissions.PERMISSIONS,
)
