"""AlertService: operators verify (true or false alarm), dispatch to a unit, and close.

Every step is one transaction: the alert (optimistic version), its history, its
``cameras.alert.status_changed`` event, and for a false alarm the camera's raised thresholds
(which fade again: see feedback.py).
Closing a zone-change alert may accept the change: the current view becomes the reference.
"""

from __future__ import annotations

from datetime import datetime

from ioc_core.cameras import events
from ioc_core.cameras.feedback import after_false_alarm
from ioc_core.cameras.models import (
    AlertAction,
    AlertKind,
    AlertStatus,
    Camera,
    CameraAlert,
    Page,
)
from ioc_core.cameras.ports import AlertRepository, CameraRegistry, CameraUnitOfWork, StaleState
from ioc_core.shared.clock import Clock
from ioc_core.shared.errors import Conflict, NotFound, StaleVersion, ValidationFailed

# Which statuses each action may leave from, and where it leads.
TRANSITIONS: dict[str, tuple[tuple[AlertStatus, ...], AlertStatus]] = {
    "verify": ((AlertStatus.RAISED,), AlertStatus.VERIFIED),
    "false_alarm": ((AlertStatus.RAISED, AlertStatus.VERIFIED), AlertStatus.FALSE_ALARM),
    "dispatch": ((AlertStatus.VERIFIED, AlertStatus.DISPATCHED), AlertStatus.DISPATCHED),
    "close": ((AlertStatus.VERIFIED, AlertStatus.DISPATCHED), AlertStatus.CLOSED),
}


class AlertService:
    def __init__(
        self, alerts: AlertRepository, registry: CameraRegistry, uow: CameraUnitOfWork, clock: Clock
    ) -> None:
        self.alerts = alerts
        self.registry = registry
        self.uow = uow
        self.clock = clock

    def get(self, alert_id: str, version: int | None = None) -> CameraAlert:
        """The alert; with ``version``, a 409 unless the alert is still at that version."""
        alert = self.alerts.get(alert_id)
        if alert is None:
            raise NotFound(f"No camera alert {alert_id}.")
        if version is not None and version != alert.version:
            raise _stale(alert)
        return alert

    def queue(self, statuses: tuple[AlertStatus, ...], limit: int = 50, token: str | None = None) -> Page:
        return self.alerts.by_status(statuses, limit, token)

    # ``version``: the alert's version the operator acted on; None (no If-Match) acts on the
    # alert as it is now, the commit's own optimistic check still guarding a race.
    def verify(
        self, alert_id: str, by: str, real: bool, note: str | None = None, version: int | None = None
    ) -> CameraAlert:
        return self._move(alert_id, "verify" if real else "false_alarm", by, note, version=version)

    def dispatch(
        self, alert_id: str, by: str, unit: str, note: str | None = None, version: int | None = None
    ) -> CameraAlert:
        if not unit.strip():
            raise ValidationFailed("Name the unit to dispatch.")
        return self._move(alert_id, "dispatch", by, note, unit=unit.strip(), version=version)

    def close(
        self, alert_id: str, by: str, note: str | None = None, version: int | None = None
    ) -> CameraAlert:
        return self._move(alert_id, "close", by, note, version=version)

    def _move(
        self,
        alert_id: str,
        action: str,
        by: str,
        note: str | None,
        unit: str | None = None,
        version: int | None = None,
    ) -> CameraAlert:
        alert = self.get(alert_id, version)
        sources, target = TRANSITIONS[action]
        if alert.kind is AlertKind.CAMERA_SILENT and action == "dispatch":
            sources = (AlertStatus.RAISED, *sources)  # a dead camera goes straight to maintenance
        if alert.status not in sources:
            raise Conflict(f"A {alert.status.value} alert cannot be {target.value}.")
        now = self.clock.now()
        moved = alert.model_copy(deep=True)
        moved.status = target
        moved.version = alert.version + 1
        moved.unit = unit or alert.unit
        moved.history.append(AlertAction(action=target.value, by=by, at=now, note=note, unit=unit))
        camera = self._tuned_camera(alert, now) if target is AlertStatus.FALSE_ALARM else None
        try:
            self.uow.commit_alert(
                moved, alert.version, [events.status_changed(moved, alert.status, now, by)], camera
            )
        except StaleState as error:
            current = self.alerts.get(alert_id)
            raise _stale(current or alert) from error
        return moved

    def _tuned_camera(self, alert: CameraAlert, now: datetime) -> Camera | None:
        camera = self.registry.get(alert.camera_id)
        if camera is None or alert.kind is AlertKind.CAMERA_SILENT:
            return None
        tuned = camera.model_copy(deep=True)
        tuned.tuning = after_false_alarm(camera.tuning, alert.kind, now)
        tuned.version = camera.version + 1
        return tuned


def _stale(alert: CameraAlert) -> StaleVersion:
    return StaleVersion(
        f"Cảnh báo đã thay đổi / The alert changed meanwhile: it is now at version {alert.version}"
        f" ({alert.status.value}); reload it and try again.",
        alert.version,
    )
