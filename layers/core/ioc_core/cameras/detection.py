"""DetectionService: one snapshot object → quarantine, or analysis → alerts, exactly once.

Bad input is never fatal and never retried: empty, truncated or corrupt JPEGs, non-images,
decompression bombs and snapshots of unknown cameras move to quarantine/<reason>/ and are
counted (a ``cameras.snapshot.quarantined`` event). A redelivered object version finds its
processed marker and changes nothing; the marker, the camera's state, the alerts, the
incidents they open or join (incidents.py) and their events are one transaction.
"""

from __future__ import annotations

import re
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from ioc_core.cameras import events
from ioc_core.cameras.feedback import decayed
from ioc_core.cameras.incidents import IncidentBook
from ioc_core.cameras.models import (
    QUARANTINE_PREFIX,
    SNAPSHOT_PREFIX,
    AlertAction,
    AlertKind,
    Camera,
    CameraAlert,
    CameraState,
    Evidence,
    SnapshotRef,
)
from ioc_core.cameras.ports import (
    AlreadyProcessed,
    CameraRegistry,
    CameraStates,
    CameraUnitOfWork,
    EvidenceStore,
    IncidentRepository,
    Roster,
    SnapshotObject,
    SnapshotStore,
    StaleState,
)
from ioc_core.cameras.vision import reference as refs
from ioc_core.cameras.vision.analysis import Analysis, Finding, analyse
from ioc_core.cameras.vision.evidence import annotate, crop
from ioc_core.cameras.vision.jpeg import (
    MAX_BYTES,
    BadSnapshot,
    decode_for_analysis,
    decode_full,
    encode_jpeg,
    inspect,
)
from ioc_core.shared.clock import VN_TZ, Clock

logger = Logger(service="ioc-cameras")
ATTEMPTS = 4
# cameras/<camera id>/<anything>; a capture time like 20260302T091500Z or 2026-03-02T09-15-00 in the name.
KEY = re.compile(r"^cameras/(?P<camera>[a-z0-9][a-z0-9-]{2,39})/(?P<rest>.+)$")
TAKEN = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})T(\d{2})[-:]?(\d{2})[-:]?(\d{2})(Z?)")


@dataclass
class Outcome:
    status: str  # analysed | quarantined | duplicate | missing | ignored
    reason: str = ""
    alerts: list[CameraAlert] = field(default_factory=list)


def taken_at(key: str, fallback: datetime) -> datetime:
    """Capture time from the object name when the gateway put it there, else upload time."""
    match = TAKEN.search(key.rsplit("/", 1)[-1])
    if not match:
        return fallback
    y, mo, d, h, mi, s, zulu = match.groups()
    try:
        naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s))
    except ValueError:
        return fallback
    from datetime import UTC

    return naive.replace(tzinfo=UTC).astimezone(VN_TZ) if zulu else naive.replace(tzinfo=VN_TZ)


class ReferenceCache:
    """Decoded reference views, kept for the life of the Lambda container (keys are immutable)."""

    def __init__(self, store: EvidenceStore, size: int = 64) -> None:
        self.store = store
        self.size = size
        self._items: OrderedDict[str, refs.Reference] = OrderedDict()

    def get(self, key: str) -> refs.Reference | None:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        data = self.store.read(key)
        if data is None:
            return None
        reference = refs.Reference(decode_for_analysis(data, inspect(data)))  # small, or a whole snapshot
        self.put(key, reference)
        return reference

    def put(self, key: str, reference: refs.Reference) -> None:
        self._items[key] = reference
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class DetectionService:
    def __init__(
        self,
        registry: CameraRegistry,
        states: CameraStates,
        uow: CameraUnitOfWork,
        snapshots: SnapshotStore,
        evidence: EvidenceStore,
        roster: Roster,
        clock: Clock,
        incidents: IncidentRepository,
        model: Any | None = None,
    ) -> None:
        self.registry = registry
        self.states = states
        self.uow = uow
        self.snapshots = snapshots
        self.evidence = evidence
        self.references = ReferenceCache(evidence)
        self.roster = roster
        self.book = IncidentBook(incidents, roster)
        self.clock = clock
        self.model = model

    def process(self, obj: SnapshotObject) -> Outcome:
        match = KEY.match(obj.key)
        if obj.key.startswith(QUARANTINE_PREFIX) or not obj.key.startswith(SNAPSHOT_PREFIX):
            return Outcome("ignored", "outside cameras/")
        if self.uow.is_processed(obj.object_id):
            return Outcome("duplicate")
        camera = self.registry.get(match["camera"]) if match else None
        if camera is None or not camera.active:
            return self._quarantine(obj, None, BadSnapshot("unknown_camera", obj.key))
        if obj.size > MAX_BYTES:
            return self._quarantine(obj, camera.camera_id, BadSnapshot("too_large", f"{obj.size} bytes"))
        stored = self.snapshots.get(obj.key, obj.version_id)
        if stored is None:
            return self._mark(obj, "missing")
        try:
            info = inspect(stored.data)
            image = decode_for_analysis(stored.data, info)
        except BadSnapshot as bad:
            return self._quarantine(obj, camera.camera_id, bad)
        at = taken_at(obj.key, stored.last_modified.astimezone(VN_TZ))
        snapshot = SnapshotRef(
            bucket=obj.bucket, key=obj.key, version_id=obj.version_id or stored.version_id, taken_at=at
        )
        for attempt in range(ATTEMPTS):
            try:
                return self._analyse(obj, camera, image, stored.data, snapshot)
            except AlreadyProcessed:
                return Outcome("duplicate")
            except StaleState:
                logger.info("camera state moved on; analysing again", extra={"attempt": attempt + 1})
        raise StaleState(f"camera {camera.camera_id}: state kept changing over {ATTEMPTS} attempts")

    # -- analysis ---------------------------------------------------------------------------
    def _analyse(
        self, obj: SnapshotObject, camera: Camera, image: Any, data: bytes, snapshot: SnapshotRef
    ) -> Outcome:
        state = self.states.get(camera.camera_id) or CameraState(camera_id=camera.camera_id)
        references = {
            period: ref
            for period, key in state.detector.references.items()
            if (ref := self.references.get(key)) is not None
        }
        relit = {
            period: ref
            for period, key in state.detector.relit.items()
            if (ref := self.references.get(key)) is not None
        }
        tuning = decayed(camera.tuning, self.clock.now())
        result = analyse(
            image, snapshot.taken_at, camera.zones, tuning, state.detector, references, self.model, relit
        )
        new_state = state.model_copy(deep=True)
        new_state.detector = result.state
        self._refresh_reference(camera, new_state, result, snapshot)
        self._bootstrap_reference(camera, new_state, result, image, snapshot)
        # Heard from now at the latest: a gateway whose clock runs ahead (the upload API allows
        # a week) must not show a last snapshot in the future.
        seen = min(snapshot.taken_at, self.clock.now())
        if new_state.last_seen_at is None or seen >= new_state.last_seen_at:
            new_state.last_seen_at = seen
            new_state.last_snapshot_key = snapshot.key
        new_state.silent = False
        new_state.snapshots += 1
        alerts = self._alerts(obj, camera, result, image, data, snapshot)
        staged = [events.alert_raised(alert) for alert in alerts]
        incidents, incident_events = self.book.take(new_state, alerts, self.clock.now())
        self.uow.commit_snapshot(
            obj.object_id, "analysed", new_state, alerts, staged + incident_events, incidents
        )
        if alerts:
            logger.warning(
                "alerts raised",
                extra={"camera": camera.camera_id, "alerts": [f"{a.kind.value}:{a.zone_id}" for a in alerts]},
            )
        return Outcome("analysed", alerts=alerts)

    def _refresh_reference(
        self, camera: Camera, state: CameraState, result: Analysis, snapshot: SnapshotRef
    ) -> None:
        """The zones' reference brought to the light of a dawn or dusk ramping away from it
        (vision/refresh.py); a retried invocation writes the same object."""
        if result.refreshed is None:
            return
        stamp = snapshot.taken_at.strftime("%Y%m%dT%H%M%S")
        key = f"references/{camera.camera_id}/{result.period}/relit-{stamp}.jpg"
        self.evidence.put(key, encode_jpeg(result.refreshed, quality=95), "image/jpeg")
        self.references.put(key, refs.Reference(result.refreshed))
        state.detector.relit[result.period] = key

    def _bootstrap_reference(
        self, camera: Camera, state: CameraState, result: Analysis, image: Any, snapshot: SnapshotRef
    ) -> None:
        """The first snapshots of a period, spaced apart, become its reference (their median)."""
        period, detector = result.period, state.detector
        if not refs.wants_candidate(detector, period, snapshot.taken_at) or result.findings:
            return
        stamp = snapshot.taken_at.strftime("%Y%m%dT%H%M%S")
        key = f"references/{camera.camera_id}/{period}/candidate-{stamp}.jpg"
        self.evidence.put(key, encode_jpeg(image, quality=95), "image/jpeg")
        if refs.add_candidate(detector, period, snapshot.taken_at, key):
            images = [self.references.get(k) for k in detector.pending[period]]
            median = refs.median_reference(
                [refs.same_size(r.image, image.shape) for r in images if r is not None]
            )
            ref_key = f"references/{camera.camera_id}/{period}/{stamp}.jpg"
            self.evidence.put(ref_key, encode_jpeg(median, quality=95), "image/jpeg")
            self.references.put(ref_key, refs.Reference(median))
            refs.set_reference(detector, period, ref_key)

    def _alerts(
        self,
        obj: SnapshotObject,
        camera: Camera,
        result: Analysis,
        image: Any,
        data: bytes,
        snapshot: SnapshotRef,
    ) -> list[CameraAlert]:
        if not result.findings:
            return []
        full = decode_full(data)  # evidence only: analysis never needs full resolution
        alerts = []
        for n, finding in enumerate(result.findings):
            alert_id = str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"{obj.object_id}#{finding.kind}#{finding.zone_id}#{n}")
            )
            evidence = Evidence(
                crop_key=f"alerts/{alert_id}/crop.jpg", annotated_key=f"alerts/{alert_id}/annotated.jpg"
            )
            # Deterministic keys: a retried invocation overwrites the same evidence objects.
            self.evidence.put(evidence.crop_key, crop(full, finding.box), "image/jpeg")
            label = f"{finding.kind} {finding.confidence:.2f}"
            self.evidence.put(
                evidence.annotated_key, annotate(image, finding.box, label, camera.zones), "image/jpeg"
            )
            alerts.append(self._alert(alert_id, camera, finding, snapshot, evidence))
        return alerts

    def _alert(
        self, alert_id: str, camera: Camera, finding: Finding, snapshot: SnapshotRef, evidence: Evidence
    ) -> CameraAlert:
        kind = AlertKind(finding.kind)
        return CameraAlert(
            alert_id=alert_id,
            camera_id=camera.camera_id,
            ward_code=camera.ward_code,
            zone_id=finding.zone_id,
            kind=kind,
            confidence=round(finding.confidence, 3),
            severity=finding.severity,
            # The city's clock bounds it: a gateway running ahead (the simulation's runs 24×
            # faster) raises alerts now, not in the future; the snapshot keeps its own time.
            raised_at=min(snapshot.taken_at, self.clock.now()),
            box=finding.box,
            snapshots=finding.snapshots,
            snapshot=snapshot,
            evidence=evidence,
            history=[AlertAction(action="raised", by=f"detector:{camera.camera_id}", at=self.clock.now())],
        )

    # -- bad input ----------------------------------------------------------------------------
    def _quarantine(self, obj: SnapshotObject, camera_id: str | None, bad: BadSnapshot) -> Outcome:
        moved_to = self.snapshots.quarantine(obj.key, obj.version_id, bad.reason, bad.detail)
        logger.warning(
            "snapshot quarantined",
            extra={"key": obj.key, "reason": bad.reason, "detail": bad.detail, "quarantine_key": moved_to},
        )
        event = events.snapshot_quarantined(camera_id, obj.key, bad.reason, self.clock.now())
        try:
            self.uow.commit_snapshot(obj.object_id, f"quarantined:{bad.reason}", None, [], [event])
        except AlreadyProcessed:
            return Outcome("duplicate")
        self.snapshots.remove(obj.key, None)  # the copy keeps it; the camera prefix stays clean
        return Outcome("quarantined", bad.reason)

    def _mark(self, obj: SnapshotObject, outcome: str) -> Outcome:
        try:
            self.uow.commit_snapshot(obj.object_id, outcome, None, [], [])
        except AlreadyProcessed:
            return Outcome("duplicate")
        return Outcome(outcome)
