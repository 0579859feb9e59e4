"""Cameras, their state and health, and the alerts operators work. Pydantic, no I/O."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from ioc_core.cameras.vision.state import Box, DetectorState, Tuning, Zone

CAMERA_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,39}$"
SNAPSHOT_PREFIX = "cameras/"
QUARANTINE_PREFIX = "quarantine/"


class CameraZone(Zone):
    """A zone as the city names it: ``name`` in Vietnamese, ``name_en`` in English (the
    detector reads only the geometry)."""

    name_en: str = Field(default="", max_length=120)


class CameraKind(StrEnum):
    HD = "hd"  # high-definition, city-wide views
    MEDIUM = "medium_range"
    WARD = "ward"


class Camera(BaseModel):
    camera_id: str = Field(pattern=CAMERA_ID_PATTERN)
    name: str = Field(min_length=1, max_length=120)
    ward_code: str
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    kind: CameraKind
    zones: list[CameraZone] = Field(default_factory=list, max_length=32)
    # The uploader's credential, stored hashed (SHA-256 of the raw key shown once).
    uploader_key_hash: str = ""
    uploader_key_rotated_at: datetime | None = None
    silent_after_minutes: int = Field(default=30, ge=5, le=24 * 60)
    tuning: Tuning = Field(default_factory=Tuning)
    active: bool = True
    created_at: datetime
    version: int = 1

    def zone_names(self, zone_id: str) -> tuple[str, str]:
        """(vi, en) names of a zone; its id only when it was never named."""
        zone = next((z for z in self.zones if z.zone_id == zone_id), None)
        if zone is None or not zone.name:
            return zone_id, zone_id
        return zone.name, zone.name_en or zone.name


class CameraState(BaseModel):
    """What changes with every snapshot: health and the detector's memory."""

    camera_id: str
    last_seen_at: datetime | None = None
    last_snapshot_key: str | None = None
    silent: bool = False
    snapshots: int = 0
    detector: DetectorState = Field(default_factory=DetectorState)
    # The latest incident of each "<zone>#<kind>": read with the state (consistently) and
    # written in its transaction, so the next alert finds the incident it may join.
    incidents: dict[str, str] = Field(default_factory=dict)
    version: int = 0  # 0: never stored


class AlertKind(StrEnum):
    FIRE = "fire"
    SMOKE = "smoke"
    DUMPING = "dumping"
    CONSTRUCTION = "construction"
    ENCROACHMENT = "encroachment"
    CAMERA_SILENT = "camera_silent"


class AlertStatus(StrEnum):
    RAISED = "raised"
    VERIFIED = "verified"  # an operator confirmed it is real
    DISPATCHED = "dispatched"
    FALSE_ALARM = "false_alarm"
    CLOSED = "closed"


OPEN_STATUSES = (AlertStatus.RAISED, AlertStatus.VERIFIED, AlertStatus.DISPATCHED)
CHANGE_KINDS = (AlertKind.DUMPING, AlertKind.CONSTRUCTION, AlertKind.ENCROACHMENT)


class SnapshotRef(BaseModel):
    bucket: str
    key: str
    version_id: str | None = None
    taken_at: datetime


class Evidence(BaseModel):
    crop_key: str  # full-resolution crop around the finding
    annotated_key: str  # the snapshot with the box and the zone drawn on it


class AlertAction(BaseModel):
    action: str  # raised | verified | false_alarm | dispatched | closed
    by: str
    at: datetime
    note: str | None = None
    unit: str | None = None


class CameraAlert(BaseModel):
    alert_id: str
    camera_id: str
    ward_code: str
    zone_id: str
    kind: AlertKind
    confidence: float = Field(ge=0, le=1)
    severity: str  # critical | high | medium | low
    status: AlertStatus = AlertStatus.RAISED
    raised_at: datetime
    box: Box | None = None
    snapshots: int = 1  # how many snapshots the finding persisted over
    snapshot: SnapshotRef | None = None
    evidence: Evidence | None = None
    unit: str | None = None
    notified: list[str] = Field(default_factory=list)
    history: list[AlertAction] = Field(default_factory=list)
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Page(BaseModel):
    items: list[CameraAlert]
    next_token: str | None = None


class IncidentStatus(StrEnum):
    OPEN = "open"
    VERIFIED = "verified"  # an operator confirmed it is real
    DISPATCHED = "dispatched"  # a unit is on it, or a linked field report tracks it
    FALSE_ALARM = "false_alarm"
    CLOSED = "closed"


# An alert joins an incident in these statuses; a judged or closed one stays as it was.
JOINABLE = (IncidentStatus.OPEN, IncidentStatus.VERIFIED, IncidentStatus.DISPATCHED)
SEVERITIES = ("low", "medium", "high", "critical")


class IncidentEvidence(BaseModel):
    """One alert on the incident's timeline: when, how sure, and its images."""

    alert_id: str
    at: datetime
    confidence: float = Field(ge=0, le=1)
    severity: str
    snapshots: int = 1
    box: Box | None = None
    evidence: Evidence | None = None


class IncidentAction(BaseModel):
    action: str  # opened | verified | false_alarm | dispatched | report_linked | closed
    by: str
    at: datetime
    note: str | None = None
    unit: str | None = None
    report_id: str | None = None


class Incident(BaseModel):
    """What one fire (or dump, or dead camera) is to an operator: the alerts of one camera,
    zone and kind within a window, judged and dispatched once."""

    incident_id: str
    camera_id: str
    ward_code: str
    zone_id: str
    kind: AlertKind
    status: IncidentStatus = IncidentStatus.OPEN
    severity: str
    peak_confidence: float = Field(ge=0, le=1)
    opened_at: datetime
    updated_at: datetime  # its latest evidence
    timeline: list[IncidentEvidence] = Field(default_factory=list)
    paged: list[str] = Field(default_factory=list)  # the on-duty operators paged for it
    unit: str | None = None
    report_id: str | None = None  # the linked field report that tracks it to the end
    history: list[IncidentAction] = Field(default_factory=list)
    version: int = 1

    @property
    def key(self) -> str:
        return f"{self.zone_id}#{self.kind.value}"

    @property
    def latest(self) -> IncidentEvidence:
        return self.timeline[-1]

    def has(self, alert_id: str) -> bool:
        return any(e.alert_id == alert_id for e in self.timeline)


class IncidentPage(BaseModel):
    items: list[Incident]
    next_token: str | None = None
