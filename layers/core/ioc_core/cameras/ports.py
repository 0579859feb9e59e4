"""Ports of the cameras subsystem: what detection and alert handling need from outside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from ioc_core.cameras.models import (
    AlertStatus,
    Camera,
    CameraAlert,
    CameraState,
    Incident,
    IncidentPage,
    IncidentStatus,
    Page,
)
from ioc_core.shared.cloudevents import CloudEvent

if TYPE_CHECKING:
    from ioc_core.cameras.incidents import IncidentChange


class AlreadyProcessed(Exception):
    """This snapshot object version was processed before (a redelivery)."""


class StaleState(Exception):
    """The camera's state or the alert changed since it was read: read again and retry."""


@dataclass(frozen=True)
class SnapshotObject:
    bucket: str
    key: str
    version_id: str | None
    etag: str
    size: int

    @property
    def object_id(self) -> str:
        """One per object version: the version id where the bucket keeps versions, else the ETag."""
        return f"{self.bucket}/{self.key}#{self.version_id or self.etag}"


@dataclass(frozen=True)
class StoredSnapshot:
    data: bytes
    version_id: str | None
    last_modified: datetime


class CameraRegistry(Protocol):
    def get(self, camera_id: str) -> Camera | None: ...

    def list(self) -> list[Camera]: ...

    def add(self, camera: Camera, events: Sequence[CloudEvent] = ()) -> None:
        """Store a new camera and its events in one transaction; StaleState if the id exists."""

    def save(self, camera: Camera, expected_version: int, events: Sequence[CloudEvent] = ()) -> None:
        """Store the changed camera and its events in one transaction; StaleState if it moved on."""


class CameraStates(Protocol):
    def get(self, camera_id: str) -> CameraState | None: ...

    def get_many(self, camera_ids: list[str]) -> dict[str, CameraState]: ...


class AlertRepository(Protocol):
    def get(self, alert_id: str) -> CameraAlert | None: ...

    def by_status(self, statuses: tuple[AlertStatus, ...], limit: int, token: str | None) -> Page: ...

    def by_camera(self, camera_id: str, limit: int, token: str | None) -> Page: ...


class IncidentRepository(Protocol):
    def get(self, incident_id: str) -> Incident | None: ...

    def by_status(self, statuses: tuple[IncidentStatus, ...], limit: int, token: str | None) -> IncidentPage:
        """Most recently updated first within each status, statuses in the order given."""


class CameraUnitOfWork(Protocol):
    """Atomic commits: a state change, its alerts and its events, or nothing."""

    def commit_snapshot(
        self,
        object_id: str,
        outcome: str,
        state: CameraState | None,
        alerts: list[CameraAlert],
        events: list[CloudEvent],
        incidents: list[IncidentChange] | None = None,
    ) -> None:
        """Marker for the object version + the camera state (optimistic) + new alerts + the
        incidents they open or join (optimistic) + outbox. AlreadyProcessed if the marker
        exists; StaleState if the state or an incident moved on."""

    def commit_alert(
        self,
        alert: CameraAlert,
        expected_version: int,
        events: list[CloudEvent],
        camera: Camera | None = None,
    ) -> None:
        """The changed alert (optimistic) + outbox, and the camera's tuning when it changed."""

    def commit_incident(
        self,
        incident: Incident,
        expected_version: int,
        events: list[CloudEvent],
        camera: Camera | None = None,
    ) -> None:
        """The changed incident (optimistic) + outbox, and the camera's tuning when it changed."""

    def is_processed(self, object_id: str) -> bool: ...


class SnapshotStore(Protocol):
    def get(self, key: str, version_id: str | None) -> StoredSnapshot | None:
        """The object's bytes, or None when it no longer exists."""

    def quarantine(self, key: str, version_id: str | None, reason: str, detail: str) -> str:
        """Copy the object under quarantine/<reason>/ with the reason; returns the new key."""

    def remove(self, key: str, version_id: str | None) -> None: ...

    def presign_upload(self, key: str, max_bytes: int) -> dict[str, object]: ...


class EvidenceStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str) -> bytes | None: ...

    def copy_in(self, bucket: str, key: str, version_id: str | None, target: str) -> bool:
        """Copy a stored object (a snapshot) to ``target``; False when it no longer exists."""

    def url(self, key: str, expires: int = 300) -> str: ...


class Roster(Protocol):
    def on_duty(self, at: datetime) -> str:
        """The operator on shift at ``at`` (a staff account): fire incidents page them at once."""


@dataclass(frozen=True)
class ReportRequest:
    """What a camera incident tells Field Reporting: where, what, and which incident (no one's
    personal data: the city files it, as the system)."""

    incident_id: str
    service_code: str
    lat: float
    lon: float
    description: str
    attributes: tuple[tuple[str, str | list[str]], ...] = ()  # the service's required answers


class FieldReports(Protocol):
    """Field Reporting's intake, as the cameras use it."""

    def file(self, request: ReportRequest) -> str:
        """The id of the field report filed for the incident; the same id again for the same
        incident (Field Reporting's idempotency key)."""
