"""IncidentService: operators verify an incident (real or a false alarm) once, dispatch it
once (to a unit, or by filing a linked field report that tracks it to the end), and close it.

Every step is one transaction: the incident (optimistic version), its history, its
``cameras.incident.status_changed`` event, and for a false alarm the camera's raised
thresholds (which fade again: see feedback.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc_core.cameras import events
from ioc_core.cameras.feedback import after_false_alarm
from ioc_core.cameras.incidents import IncidentPolicy, default_policy
from ioc_core.cameras.models import AlertKind, Camera, Incident, IncidentAction, IncidentPage, IncidentStatus
from ioc_core.cameras.ports import (
    CameraRegistry,
    CameraUnitOfWork,
    FieldReports,
    IncidentRepository,
    ReportRequest,
    StaleState,
)
from ioc_core.shared.clock import Clock, to_vn
from ioc_core.shared.errors import Conflict, NotFound, StaleVersion, ValidationFailed

S = IncidentStatus
# Which statuses each action may leave from, and where it leads.
TRANSITIONS: dict[str, tuple[tuple[IncidentStatus, ...], IncidentStatus]] = {
    "verify": ((S.OPEN,), S.VERIFIED),
    "false_alarm": ((S.OPEN, S.VERIFIED), S.FALSE_ALARM),
    "dispatch": ((S.VERIFIED,), S.DISPATCHED),
    "file_report": ((S.VERIFIED,), S.DISPATCHED),
    "close": ((S.VERIFIED, S.DISPATCHED), S.CLOSED),
}
OPEN = (S.OPEN, S.VERIFIED, S.DISPATCHED)
KIND_NAMES = {
    AlertKind.FIRE: "cháy",
    AlertKind.SMOKE: "khói",
    AlertKind.DUMPING: "đổ rác trái phép",
    AlertKind.CONSTRUCTION: "xây dựng trái phép",
    AlertKind.ENCROACHMENT: "lấn chiếm",
    AlertKind.CAMERA_SILENT: "camera mất tín hiệu",
}


class IncidentService:
    def __init__(
        self,
        incidents: IncidentRepository,
        registry: CameraRegistry,
        uow: CameraUnitOfWork,
        clock: Clock,
        reports: FieldReports | None = None,
        policy: IncidentPolicy | None = None,
    ) -> None:
        self.incidents = incidents
        self.registry = registry
        self.uow = uow
        self.clock = clock
        self.reports = reports
        self.policy = policy or default_policy()

    def get(self, incident_id: str, version: int | None = None) -> Incident:
        """The incident; with ``version``, a 409 unless it is still at that version."""
        incident = self.incidents.get(incident_id)
        if incident is None:
            raise NotFound(f"Không có sự cố này / No camera incident {incident_id[:80]}.")
        if version is not None and version != incident.version:
            raise _stale(incident)
        return incident

    def queue(
        self, statuses: tuple[IncidentStatus, ...], limit: int = 50, token: str | None = None
    ) -> IncidentPage:
        return self.incidents.by_status(statuses, limit, token)

    # ``version``: the incident's version the operator acted on; None (no If-Match) acts on it
    # as it is now, the commit's own optimistic check still guarding a race.
    def verify(
        self, incident_id: str, by: str, real: bool, note: str | None = None, version: int | None = None
    ) -> Incident:
        return self._move(incident_id, "verify" if real else "false_alarm", by, note, version=version)

    def dispatch(
        self, incident_id: str, by: str, unit: str, note: str | None = None, version: int | None = None
    ) -> Incident:
        if not unit.strip():
            raise ValidationFailed("Cần tên đơn vị / Name the unit to dispatch.")
        return self._move(incident_id, "dispatch", by, note, unit=unit.strip(), version=version)

    def file_report(
        self, incident_id: str, by: str, note: str | None = None, version: int | None = None
    ) -> Incident:
        """Dispatch by a linked field report, filed through Field Reporting's intake as the
        system; a retry files nothing twice (the incident is its idempotency key)."""
        incident = self.get(incident_id, version)
        service = self.policy.report_service(incident.kind)
        if service is None or self.reports is None:
            raise ValidationFailed(
                "Loại sự cố này không có dịch vụ phản ánh, hãy điều động đơn vị / "
                f"A {incident.kind.value} incident files no field report: dispatch a unit."
            )
        self._allowed(incident, "file_report")
        camera = self.registry.get(incident.camera_id)
        if camera is None:
            raise NotFound(f"No camera {incident.camera_id}.")
        report_id = self.reports.file(_request(incident, camera, *service))
        return self._move(incident_id, "file_report", by, note, report_id=report_id, version=version)

    def close(
        self, incident_id: str, by: str, note: str | None = None, version: int | None = None
    ) -> Incident:
        return self._move(incident_id, "close", by, note, version=version)

    def _allowed(self, incident: Incident, action: str) -> tuple[tuple[IncidentStatus, ...], IncidentStatus]:
        sources, target = TRANSITIONS[action]
        if incident.kind is AlertKind.CAMERA_SILENT and action == "dispatch":
            sources = (S.OPEN, *sources)  # a dead camera goes straight to maintenance
        if incident.status not in sources:
            raise Conflict(
                f"Sự cố đang ở trạng thái {incident.status.value} / A {incident.status.value} incident"
                f" cannot be {target.value}."
            )
        return sources, target

    def _move(
        self,
        incident_id: str,
        action: str,
        by: str,
        note: str | None,
        unit: str | None = None,
        report_id: str | None = None,
        version: int | None = None,
    ) -> Incident:
        incident = self.get(incident_id, version)
        _, target = self._allowed(incident, action)
        now = self.clock.now()
        moved = incident.model_copy(deep=True)
        moved.status = target
        moved.version = incident.version + 1
        moved.unit = unit or incident.unit
        moved.report_id = report_id or incident.report_id
        step = "report_linked" if action == "file_report" else target.value
        moved.history.append(
            IncidentAction(action=step, by=by, at=now, note=note, unit=unit, report_id=report_id)
        )
        camera = self._tuned_camera(incident, now) if target is S.FALSE_ALARM else None
        change = events.incident_status_changed(moved, incident.status, now, by)
        try:
            self.uow.commit_incident(moved, incident.version, [change], camera)
        except StaleState as error:
            raise _stale(self.incidents.get(incident_id) or incident) from error
        return moved

    def _tuned_camera(self, incident: Incident, now: datetime) -> Camera | None:
        """One false alarm however many snapshots it spanned: the thresholds rise once."""
        camera = self.registry.get(incident.camera_id)
        if camera is None or incident.kind is AlertKind.CAMERA_SILENT:
            return None
        tuned = camera.model_copy(deep=True)
        tuned.tuning = after_false_alarm(camera.tuning, incident.kind, now)
        tuned.version = camera.version + 1
        return tuned


def _request(incident: Incident, camera: Camera, service: str, answers: dict[str, Any]) -> ReportRequest:
    zone_vi, _ = camera.zone_names(incident.zone_id)
    first, last = to_vn(incident.opened_at), to_vn(incident.updated_at)
    description = (
        f"Camera {camera.camera_id} ({camera.name}), vùng {zone_vi}: {KIND_NAMES[incident.kind]}, "
        f"{len(incident.timeline)} lần ghi nhận từ {first:%H:%M %d/%m/%Y} đến {last:%H:%M %d/%m/%Y}. "
        f"Sự cố camera {incident.incident_id}."
    )
    return ReportRequest(
        incident_id=incident.incident_id,
        service_code=service,
        lat=camera.lat,
        lon=camera.lon,
        description=description,
        attributes=tuple(sorted(answers.items())),
    )


def _stale(incident: Incident) -> StaleVersion:
    return StaleVersion(
        f"Sự cố đã thay đổi / The incident changed meanwhile: it is now at version {incident.version}"
        f" ({incident.status.value}); reload it and try again.",
        incident.version,
    )
