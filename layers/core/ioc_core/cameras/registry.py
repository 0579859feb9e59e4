"""CameraService: the registry (cameras, zones, uploader credentials), presigned snapshot
uploads for camera gateways, camera health (silence raises an alert), and accepting a
zone change into the reference."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ioc_core.cameras import events
from ioc_core.cameras.incidents import IncidentBook
from ioc_core.cameras.models import (
    CHANGE_KINDS,
    AlertAction,
    AlertKind,
    Camera,
    CameraAlert,
    CameraKind,
    CameraState,
    CameraZone,
)
from ioc_core.cameras.ports import (
    AlertRepository,
    AlreadyProcessed,
    CameraRegistry,
    CameraStates,
    CameraUnitOfWork,
    EvidenceStore,
    SnapshotStore,
    StaleState,
)
from ioc_core.cameras.vision.state import accept_change, period_of, set_reference
from ioc_core.shared.clock import Clock
from ioc_core.shared.errors import Conflict, FieldProblem, Forbidden, NotFound, StaleVersion, ValidationFailed

MAX_SNAPSHOT_BYTES = 10 * 1024 * 1024
MAX_PAST = timedelta(days=2)  # older than this is a replay, not a snapshot
MAX_FUTURE = timedelta(days=7)  # simulated cameras run 24× faster than the clock


class CameraInactive(Conflict):
    """The gateway's key is right, but the camera is registered and not connected (or taken
    off): it takes no snapshots until an administrator activates it."""

    code = "camera_inactive"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Health:
    camera_id: str
    last_seen_at: datetime | None
    silent: bool
    snapshots: int


class CameraService:
    def __init__(
        self,
        registry: CameraRegistry,
        states: CameraStates,
        alerts: AlertRepository,
        uow: CameraUnitOfWork,
        snapshots: SnapshotStore,
        evidence: EvidenceStore,
        clock: Clock,
        ward_in_force: Callable[[str], bool] | None = None,
        inside_city: Callable[[float, float], bool] | None = None,
        incidents: IncidentBook | None = None,
    ) -> None:
        self.incidents = incidents  # None: silence raises alerts only (tests of other rules)
        self.ward_in_force = ward_in_force  # None: any code (tests of other rules)
        self.inside_city = inside_city  # None: any point (tests of other rules)
        self.registry = registry
        self.states = states
        self.alerts = alerts
        self.uow = uow
        self.snapshots = snapshots
        self.evidence = evidence
        self.clock = clock

    # -- registry ------------------------------------------------------------------------------
    def register(
        self,
        camera_id: str,
        name: str,
        ward_code: str,
        lat: float,
        lon: float,
        kind: CameraKind,
        zones: list[CameraZone] | None = None,
        silent_after_minutes: int = 30,
    ) -> tuple[Camera, str]:
        """A new camera and its uploader key (returned once, stored hashed)."""
        if self.ward_in_force is not None and not self.ward_in_force(ward_code):
            raise ValidationFailed(
                "Phường, xã không tồn tại / Unknown ward: GET /api/v1/wards lists the wards in force.",
                problems=[
                    FieldProblem("ward_code", f"'{ward_code}' is no ward of Phan Thiet in force today")
                ],
            )
        if self.inside_city is not None and not self.inside_city(lat, lon):
            raise ValidationFailed(
                "Vị trí ngoài thành phố / The camera's place is outside Phan Thiet's wards.",
                problems=[FieldProblem(name, "outside the city's boundaries") for name in ("lat", "lon")],
            )
        raw = secrets.token_urlsafe(24)
        camera = Camera(
            camera_id=camera_id,
            name=name,
            ward_code=ward_code,
            lat=lat,
            lon=lon,
            kind=kind,
            zones=zones or [],
            uploader_key_hash=hash_key(raw),
            silent_after_minutes=silent_after_minutes,
            created_at=self.clock.now(),
        )
        try:
            self.registry.add(
                camera, [events.camera_changed(events.CAMERA_REGISTERED, camera, camera.created_at)]
            )
        except StaleState as error:
            raise Conflict(f"Camera {camera_id} exists.") from error
        return camera, raw

    def rotate_uploader_key(self, camera_id: str) -> str:
        """A new uploader key for the camera's gateway (shown once); the old one stops working."""
        for _ in range(4):
            camera = self.get(camera_id)
            raw = secrets.token_urlsafe(24)
            changed = camera.model_copy(
                update={
                    "uploader_key_hash": hash_key(raw),
                    "uploader_key_rotated_at": self.clock.now(),
                    "version": camera.version + 1,
                }
            )
            try:
                self.registry.save(
                    changed,
                    camera.version,
                    [events.camera_changed(events.UPLOADER_KEY_ROTATED, changed, self.clock.now())],
                )
                return raw
            except StaleState:
                continue
        raise Conflict("The camera kept changing; try again.")

    def get(self, camera_id: str) -> Camera:
        camera = self.registry.get(camera_id)
        if camera is None:
            raise NotFound(f"No camera {camera_id}.")
        return camera

    def listing(self) -> list[tuple[Camera, Health]]:
        cameras = self.registry.list()
        states = self.states.get_many([c.camera_id for c in cameras])
        now = self.clock.now()
        return [(c, self._health(c, states.get(c.camera_id), now)) for c in cameras]

    def health(self, camera: Camera) -> Health:
        return self._health(camera, self.states.get(camera.camera_id), self.clock.now())

    @staticmethod
    def _health(camera: Camera, state: CameraState | None, now: datetime) -> Health:
        if state is None:
            return Health(camera.camera_id, None, False, 0)
        # States stored before the detector bounded it by the clock may be ahead of it.
        seen = min(state.last_seen_at, now) if state.last_seen_at else None
        return Health(camera.camera_id, seen, state.silent, state.snapshots)

    def set_zones(self, camera_id: str, zones: list[CameraZone], expected_version: int) -> Camera:
        camera = self.get(camera_id)
        if camera.version != expected_version:
            raise _stale(camera)
        if len({z.zone_id for z in zones}) != len(zones):
            raise ValidationFailed("Zone ids must be unique on a camera.")
        changed = camera.model_copy(deep=True)
        changed.zones = zones
        changed.version += 1
        try:
            self.registry.save(
                changed,
                expected_version,
                [events.camera_changed(events.CAMERA_ZONES_CHANGED, changed, self.clock.now())],
            )
        except StaleState as error:
            raise _stale(self.get(camera_id)) from error
        return changed

    # -- uploads -------------------------------------------------------------------------------
    def presign_upload(
        self, camera_id: str, raw_key: str, taken_at: datetime | None = None
    ) -> dict[str, object]:
        """A presigned POST for the camera's gateway; the object name carries the capture time."""
        camera = self.registry.get(camera_id)
        if camera is None or not hmac.compare_digest(camera.uploader_key_hash, hash_key(raw_key)):
            raise Forbidden("Unknown camera or wrong uploader key.")
        # Only a caller holding the camera's key learns that it is inactive.
        if not camera.active:
            raise CameraInactive(
                f"Camera đang ngừng hoạt động / Camera {camera_id} is inactive: it takes no "
                "snapshots until an administrator activates it."
            )
        now = self.clock.now()
        at = taken_at or now
        if not -MAX_PAST <= at - now <= MAX_FUTURE:
            raise ValidationFailed("taken_at is too far from now: check the camera's clock.")
        stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        key = f"cameras/{camera_id}/{at.strftime('%Y/%m/%d')}/{stamp}-{uuid.uuid4().hex[:8]}.jpg"
        return {"key": key, **self.snapshots.presign_upload(key, MAX_SNAPSHOT_BYTES)}

    # -- health --------------------------------------------------------------------------------
    def check_silence(self) -> list[CameraAlert]:
        """A camera that has sent nothing for its configured time raises one alert."""
        now = self.clock.now()
        raised = []
        for camera, health in self.listing():
            if not camera.active or health.silent:
                continue
            since = health.last_seen_at or camera.created_at
            if now - since < timedelta(minutes=camera.silent_after_minutes):
                continue
            alert = self._silent_alert(camera, since, now)
            try:
                self._commit_silence(camera, alert)
            except (StaleState, AlreadyProcessed):
                continue  # a snapshot arrived meanwhile, or another run raised it
            raised.append(alert)
        return raised

    def _silent_alert(self, camera: Camera, since: datetime, now: datetime) -> CameraAlert:
        return CameraAlert(
            alert_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"silent#{camera.camera_id}#{since.isoformat()}")),
            camera_id=camera.camera_id,
            ward_code=camera.ward_code,
            zone_id="view",
            kind=AlertKind.CAMERA_SILENT,
            confidence=1.0,
            severity="high",
            raised_at=now,
            history=[
                AlertAction(
                    action="raised", by="health-check", at=now, note=f"silent since {since.isoformat()}"
                )
            ],
        )

    def _commit_silence(self, camera: Camera, alert: CameraAlert) -> None:
        state = self.states.get(camera.camera_id) or CameraState(camera_id=camera.camera_id)
        changed = state.model_copy(deep=True)
        changed.silent = True
        incidents, staged = (
            self.incidents.take(changed, [alert], alert.raised_at) if self.incidents else ([], [])
        )
        self.uow.commit_snapshot(
            f"silence#{alert.alert_id}",
            "silent",
            changed,
            [alert],
            [events.alert_raised(alert), *staged],
            incidents,
        )

    # -- references ----------------------------------------------------------------------------
    def accept_change(self, alert: CameraAlert) -> None:
        """The operator accepts a zone change: the alert's snapshot becomes that period's
        reference and the zone's change track is forgotten (the only way a change enters a
        reference). A copy, not a decode: the API needs no OpenCV."""
        if alert.kind not in CHANGE_KINDS or alert.snapshot is None:
            raise ValidationFailed("Only a zone-change alert can be accepted into the reference.")
        period = period_of(alert.snapshot.taken_at)
        key = f"references/{alert.camera_id}/{period}/accepted-{alert.alert_id}.jpg"
        if not self.evidence.copy_in(
            alert.snapshot.bucket, alert.snapshot.key, alert.snapshot.version_id, key
        ):
            raise NotFound("The alert's snapshot is no longer stored.")
        for _ in range(4):
            state = self.states.get(alert.camera_id) or CameraState(camera_id=alert.camera_id)
            changed = state.model_copy(deep=True)
            set_reference(changed.detector, period, key)
            accept_change(changed.detector, alert.zone_id)
            try:
                self.uow.commit_snapshot(f"accept#{alert.alert_id}#{key}", "accepted", changed, [], [])
                return
            except AlreadyProcessed:
                return
            except StaleState:
                continue
        raise Conflict("The camera's state kept changing; try again.")


def _stale(camera: Camera) -> StaleVersion:
    return StaleVersion(
        f"Camera đã thay đổi / The camera changed meanwhile: it is now at version {camera.version};"
        " reload it and try again.",
        camera.version,
    )
