"""Camera CloudEvents. No personal data: events leave the city."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc_core.cameras.models import AlertStatus, Camera, CameraAlert, Incident, IncidentStatus
from ioc_core.platform.rooms import Label
from ioc_core.shared.clock import iso
from ioc_core.shared.cloudevents import CloudEvent

SUBSYSTEM = "cameras"
ALERT_RAISED = "cameras.alert.raised"
ALERT_STATUS_CHANGED = "cameras.alert.status_changed"
OPERATOR_PAGED = "cameras.operator.paged"
SNAPSHOT_QUARANTINED = "cameras.snapshot.quarantined"
INCIDENT_OPENED = "cameras.incident.opened"
INCIDENT_UPDATED = "cameras.incident.updated"  # new evidence joined it
INCIDENT_STATUS_CHANGED = "cameras.incident.status_changed"
# The administrator's changes to the fleet: a camera registered, its zones drawn, its key rotated
# (the data never holds the key, nor its hash).
CAMERA_REGISTERED = "cameras.camera.registered"
CAMERA_ZONES_CHANGED = "cameras.camera.zones_changed"
UPLOADER_KEY_ROTATED = "cameras.camera.uploader_key_rotated"
EMITS = (
    ALERT_RAISED,
    ALERT_STATUS_CHANGED,
    OPERATOR_PAGED,
    SNAPSHOT_QUARANTINED,
    INCIDENT_OPENED,
    INCIDENT_UPDATED,
    INCIDENT_STATUS_CHANGED,
    CAMERA_REGISTERED,
    CAMERA_ZONES_CHANGED,
    UPLOADER_KEY_ROTATED,
)


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
    # No image, and no key of one, leaves in an event: a snapshot may show faces and plates.
    # Whether there is evidence is said; the images stay in the room's bucket, served to the
    # city's operators (and, signed and expiring, to whom a subscription grants it).
    data = _alert_data(alert) | {
        "box": list(alert.box) if alert.box else None,
        "snapshots": alert.snapshots,
        "has_evidence": alert.evidence is not None,
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


def _incident_data(incident: Incident) -> dict[str, Any]:
    return {
        "incident_id": incident.incident_id,
        "camera_id": incident.camera_id,
        "ward_code": incident.ward_code,
        "zone_id": incident.zone_id,
        "kind": incident.kind.value,
        "severity": incident.severity,
        "status": incident.status.value,
        "alerts": len(incident.timeline),
        "opened_at": iso(incident.opened_at),
        "updated_at": iso(incident.updated_at),
    }


def incident_opened(incident: Incident) -> CloudEvent:
    return CloudEvent.new(
        INCIDENT_OPENED,
        subsystem=SUBSYSTEM,
        subject=incident.incident_id,
        at=incident.opened_at,
        data=_incident_data(incident),
        sequence=incident.version,
    )


def incident_updated(incident: Incident, alert_id: str) -> CloudEvent:
    return CloudEvent.new(
        INCIDENT_UPDATED,
        subsystem=SUBSYSTEM,
        subject=incident.incident_id,
        at=incident.updated_at,
        data=_incident_data(incident) | {"alert_id": alert_id},
        sequence=incident.version,
    )


def incident_status_changed(
    incident: Incident, previous: IncidentStatus, at: datetime, by: str
) -> CloudEvent:
    data = _incident_data(incident) | {
        "from": previous.value,
        "to": incident.status.value,
        "by": by,
        "unit": incident.unit,
        "report_id": incident.report_id,
    }
    return CloudEvent.new(
        INCIDENT_STATUS_CHANGED,
        subsystem=SUBSYSTEM,
        subject=incident.incident_id,
        at=at,
        data=data,
        sequence=incident.version,
    )


def operator_paged(incident: Incident, operator: str, at: datetime) -> CloudEvent:
    """A new fire or smoke incident goes to the operator on shift at once (once per incident,
    not per snapshot); the paging integration listens for this. ``operator`` is a staff
    account of the duty roster, no resident's data."""
    data = _incident_data(incident) | {"operator": operator}
    # The pages of an incident are their own entity (the incident's sequence is its versions'):
    # the nth operator paged for it is its nth page.
    page = incident.paged.index(operator) + 1 if operator in incident.paged else 1
    return CloudEvent.new(
        OPERATOR_PAGED, subsystem=SUBSYSTEM, subject=f"{incident.incident_id}/pages", at=at, data=data,
        sequence=page,
    )  # fmt: skip


def snapshot_quarantined(camera_id: str | None, key: str, reason: str, at: datetime) -> CloudEvent:
    """Once per snapshot object: its key is the entity, and this its one event."""
    data = {"camera_id": camera_id, "key": key, "reason": reason}
    return CloudEvent.new(
        SNAPSHOT_QUARANTINED, subsystem=SUBSYSTEM, subject=key, at=at, data=data, sequence=1
    )


def camera_changed(short: str, camera: Camera, at: datetime) -> CloudEvent:
    data = {"camera_id": camera.camera_id, "name": camera.name, "ward_code": camera.ward_code,
            "kind": camera.kind.value, "zones": len(camera.zones)}  # fmt: skip
    return CloudEvent.new(
        short, subsystem=SUBSYSTEM, subject=camera.camera_id, at=at, data=data, sequence=camera.version
    )


def audit_words() -> dict[str, Label]:
    """How the audit log names this room's events."""
    return {
        CAMERA_REGISTERED: Label("Đăng ký camera", "Camera registered"),
        CAMERA_ZONES_CHANGED: Label("Vẽ lại vùng giám sát của camera", "Camera zones redrawn"),
        UPLOADER_KEY_ROTATED: Label("Đổi khóa tải ảnh của camera", "Camera uploader key rotated"),
        ALERT_RAISED: Label("Cảnh báo camera", "Camera alert raised"),
        ALERT_STATUS_CHANGED: Label("Cảnh báo", "Alert"),
        INCIDENT_OPENED: Label("Mở sự việc", "Incident opened"),
        INCIDENT_STATUS_CHANGED: Label("Sự việc", "Incident"),
    }
