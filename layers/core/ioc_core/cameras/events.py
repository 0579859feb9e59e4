"""Camera CloudEvents. No personal data: events leave the city."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc_core.cameras.models import AlertStatus, CameraAlert
from ioc_core.shared.clock import iso
from ioc_core.shared.cloudevents import CloudEvent

SUBSYSTEM = "cameras"
ALERT_RAISED = "cameras.alert.raised"
ALERT_STATUS_CHANGED = "cameras.alert.status_changed"
OPERATOR_PAGED = "cameras.operator.paged"
SNAPSHOT_QUARANTINED = "cameras.snapshot.quarantined"
EMITS = (ALERT_RAISED, ALERT_STATUS_CHANGED, OPERATOR_PAGED, SNAPSHOT_QUARANTINED)


def _alert_data(alert: CameraAlert) -> dict[str, Any]:
    return {
        "alert_id": alert.alert_id,
        "camera_id": alert.camera_id,
        "ward_code": alert.ward_code,
        "zone_id": alert.zone_id,
        "kind": alert.kind.value,
        "confidence": alert.confidence,
        "severity": alert.severity,
        "status": alert.status.value,
        "raised_at": iso(alert.raised_at),
    }


def alert_raised(alert: CameraAlert) -> CloudEvent:
    data = _alert_data(alert) | {
        "box": list(alert.box) if alert.box else None,
        "snapshots": alert.snapshots,
        "snapshot_key": alert.snapshot.key if alert.snapshot else None,
        "evidence": alert.evidence.model_dump() if alert.evidence else None,
    }
    return CloudEvent.new(
        ALERT_RAISED, subsystem=SUBSYSTEM, subject=alert.alert_id, at=alert.raised_at, data=data, sequence=1
    )


def status_changed(alert: CameraAlert, previous: AlertStatus, at: datetime, by: str) -> CloudEvent:
    data = _alert_data(alert) | {
        "from": previous.value,
        "to": alert.status.value,
        "by": by,
        "unit": alert.unit,
    }
    return CloudEvent.new(
        ALERT_STATUS_CHANGED,
        subsystem=SUBSYSTEM,
        subject=alert.alert_id,
        at=at,
        data=data,
        sequence=alert.version,
    )


def operator_paged(alert: CameraAlert, operator: str, at: datetime) -> CloudEvent:
    """A fire goes to the on-duty operator at once; the paging integration listens for this."""
    data = _alert_data(alert) | {"operator": operator}
    return CloudEvent.new(OPERATOR_PAGED, subsystem=SUBSYSTEM, subject=alert.alert_id, at=at, data=data)


def snapshot_quarantined(camera_id: str | None, key: str, reason: str, at: datetime) -> CloudEvent:
    data = {"camera_id": camera_id, "key": key, "reason": reason}
    return CloudEvent.new(SNAPSHOT_QUARANTINED, subsystem=SUBSYSTEM, subject=key, at=at, data=data)
