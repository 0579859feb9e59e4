"""Composition root of the platform: which PynamoDB model lives in which logical table."""

from __future__ import annotations

from functools import lru_cache

from pynamodb.models import Model

from ioc_core.accounts.adapters import AccountItem
from ioc_core.cameras.adapters.dynamo import CameraAlertItem, CameraItem, CameraStateItem, SnapshotMarkerItem
from ioc_core.field_reporting.adapters.dynamo import ReportItem
from ioc_core.field_reporting.adapters.notifications import NotificationItem
from ioc_core.platform.api_keys import ApiKeyItem
from ioc_core.platform.dynamo import bind
from ioc_core.platform.idempotency import IdempotencyItem
from ioc_core.platform.kinesis import KinesisPublisher
from ioc_core.platform.outbox import OutboxItem
from ioc_core.platform.projections import CounterRow, ProcessedMarker
from ioc_core.settings import Settings, get_settings

MODEL_TABLES: tuple[tuple[type[Model], str], ...] = (
    (ReportItem, "reports"),
    (NotificationItem, "notifications"),
    (OutboxItem, "outbox"),
    (IdempotencyItem, "idempotency"),
    (ApiKeyItem, "api_keys"),
    (AccountItem, "accounts"),
    (CounterRow, "projections"),
    (ProcessedMarker, "projections"),
    (CameraItem, "cameras"),
    (CameraStateItem, "camera_state"),
    (CameraAlertItem, "camera_alerts"),
    (SnapshotMarkerItem, "camera_snapshots"),
)


def bind_models(settings: Settings) -> None:
    for model, logical in MODEL_TABLES:
        bind(model, logical, settings)


@lru_cache(maxsize=1)
def event_publisher() -> KinesisPublisher:
    return KinesisPublisher(ready())


@lru_cache(maxsize=1)
def ready() -> Settings:
    """Settings with every model bound: call once per cold start."""
    settings = get_settings()
    bind_models(settings)
    return settings
