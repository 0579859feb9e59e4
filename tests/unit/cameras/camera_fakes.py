"""In-memory fakes of the camera ports (the adapters' contracts, no network)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ioc_core.cameras.incidents import IncidentChange
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
from ioc_core.cameras.ports import AlreadyProcessed, StaleState
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)


def raised_alert(
    store: InMemoryCameras, alert_id: str, kind: str, severity: str = "critical", at: datetime = T0
) -> CameraAlert:
    """An alert on camera pt-hd-01 as the detector commits it with its snapshot."""
    alert = CameraAlert(
        alert_id=alert_id,
        camera_id="pt-hd-01",
        ward_code="22945",
        zone_id="street",
        kind=kind,
        confidence=0.8,
        severity=severity,
        raised_at=at,
    )
    store.commit_snapshot(f"obj#{alert_id}", "analysed", None, [alert], [])
    return alert


class InMemoryCameras:
    def __init__(self) -> None:
        self.cameras: dict[str, Camera] = {}
        self.states: dict[str, CameraState] = {}
        self.alerts: dict[str, CameraAlert] = {}
        self.markers: dict[str, str] = {}
        self.incidents: dict[str, Incident] = {}
        self.outbox: list[CloudEvent] = []

    # CameraRegistry
    def get(self, camera_id: str) -> Camera | None:
        return self.cameras.get(camera_id)

    def list(self) -> list[Camera]:
        return sorted(self.cameras.values(), key=lambda c: c.camera_id)

    def add(self, camera: Camera, events: Sequence[CloudEvent] = ()) -> None:
        if camera.camera_id in self.cameras:
            raise StaleState(camera.camera_id)
        self.cameras[camera.camera_id] = camera
        self.outbox.extend(events)

    def save(self, camera: Camera, expected_version: int, events: Sequence[CloudEvent] = ()) -> None:
        if self.cameras[camera.camera_id].version != expected_version:
            raise StaleState(camera.camera_id)
        self.outbox.extend(events)
        self.cameras[camera.camera_id] = camera

    # AlertRepository
    def alert(self, alert_id: str) -> CameraAlert | None:
        return self.alerts.get(alert_id)

    def by_status(self, statuses: tuple[AlertStatus, ...], limit: int, token: str | None) -> Page:
        return Page(items=[a for a in self.alerts.values() if a.status in statuses][:limit])

    def by_camera(self, camera_id: str, limit: int, token: str | None) -> Page:
        return Page(items=[a for a in self.alerts.values() if a.camera_id == camera_id][:limit])

    # CameraUnitOfWork
    def is_processed(self, object_id: str) -> bool:
        return object_id in self.markers

    def commit_snapshot(
        self,
        object_id: str,
        outcome: str,
        state: CameraState | None,
        alerts: list[CameraAlert],
        events: list[CloudEvent],
        incidents: list[IncidentChange] | None = None,
    ) -> None:
        if object_id in self.markers or any(a.alert_id in self.alerts for a in alerts):
            raise AlreadyProcessed(object_id)
        if state is not None:
            current = self.states.get(state.camera_id)
            if (current.version if current else 0) != state.version:
                raise StaleState(state.camera_id)
        for change in incidents or []:
            self._check_incident(change.incident.incident_id, change.expected_version)
        if state is not None:
            self.states[state.camera_id] = state.model_copy(update={"version": state.version + 1})
        self.markers[object_id] = outcome
        self.alerts.update({a.alert_id: a for a in alerts})
        self.incidents.update({c.incident.incident_id: c.incident for c in incidents or []})
        self.outbox += events

    def _check_incident(self, incident_id: str, expected_version: int) -> None:
        stored = self.incidents.get(incident_id)
        if (stored.version if stored else 0) != expected_version:
            raise StaleState(incident_id)

    def commit_incident(
        self,
        incident: Incident,
        expected_version: int,
        events: list[CloudEvent],
        camera: Camera | None = None,
    ) -> None:
        self._check_incident(incident.incident_id, expected_version)
        if camera is not None and self.cameras[camera.camera_id].version != camera.version - 1:
            raise StaleState(camera.camera_id)
        self.incidents[incident.incident_id] = incident
        if camera is not None:
            self.cameras[camera.camera_id] = camera
        self.outbox += events

    def commit_alert(
        self,
        alert: CameraAlert,
        expected_version: int,
        events: list[CloudEvent],
        camera: Camera | None = None,
    ) -> None:
        if self.alerts[alert.alert_id].version != expected_version:
            raise StaleState(alert.alert_id)
        if camera is not None and self.cameras[camera.camera_id].version != camera.version - 1:
            raise StaleState(camera.camera_id)
        self.alerts[alert.alert_id] = alert
        if camera is not None:
            self.cameras[camera.camera_id] = camera
        self.outbox += events


class AlertsView:
    """The AlertRepository face of the fake (``get`` means an alert there)."""

    def __init__(self, store: InMemoryCameras) -> None:
        self.store = store

    def get(self, alert_id: str) -> CameraAlert | None:
        return self.store.alert(alert_id)

    def by_status(self, statuses: tuple[AlertStatus, ...], limit: int, token: str | None) -> Page:
        return self.store.by_status(statuses, limit, token)

    def by_camera(self, camera_id: str, limit: int, token: str | None) -> Page:
        return self.store.by_camera(camera_id, limit, token)


class IncidentsView:
    """The IncidentRepository face of the fake."""

    def __init__(self, store: InMemoryCameras) -> None:
        self.store = store

    def get(self, incident_id: str) -> Incident | None:
        return self.store.incidents.get(incident_id)

    def by_status(self, statuses: tuple[IncidentStatus, ...], limit: int, token: str | None) -> IncidentPage:
        """Statuses in the order given, most recently updated first in each; the token an offset."""
        found = [
            i
            for status in statuses
            for i in sorted(self.store.incidents.values(), key=lambda i: i.updated_at, reverse=True)
            if i.status is status
        ]
        start = int(token or 0)
        more = start + limit < len(found)
        return IncidentPage(
            items=found[start : start + limit], next_token=str(start + limit) if more else None
        )


class FixedRoster:
    def __init__(self, operator: str = "dieuhanh") -> None:
        self.operator = operator

    def on_duty(self, at: datetime) -> str:
        return self.operator


class FakeFieldReports:
    """Field Reporting's intake: one report per incident, however often asked."""

    def __init__(self) -> None:
        self.filed: dict[str, str] = {}
        self.requests: list[object] = []

    def file(self, request: object) -> str:
        from ioc_core.cameras.ports import ReportRequest

        assert isinstance(request, ReportRequest)
        self.requests.append(request)
        return self.filed.setdefault(request.incident_id, f"PT-{len(self.filed) + 1:08d}")


class StatesView:
    """The CameraStates face of the fake."""

    def __init__(self, store: InMemoryCameras) -> None:
        self.store = store

    def get(self, camera_id: str) -> CameraState | None:
        return self.store.states.get(camera_id)

    def get_many(self, camera_ids: list[str]) -> dict[str, CameraState]:
        return {c: s for c in camera_ids if (s := self.store.states.get(c)) is not None}
