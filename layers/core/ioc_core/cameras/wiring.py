"""Composition root of the cameras subsystem: real adapters behind the ports, built once."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ioc_core.cameras.adapters.dynamo import (
    DynamoAlertRepository,
    DynamoCameraRegistry,
    DynamoCameraStates,
    DynamoCameraUnitOfWork,
    DynamoIncidentRepository,
)
from ioc_core.cameras.adapters.field_reports import IntakeFieldReports
from ioc_core.cameras.adapters.s3 import S3EvidenceStore, S3SnapshotStore
from ioc_core.cameras.alerts import AlertService
from ioc_core.cameras.incident_workflow import IncidentService
from ioc_core.cameras.incidents import IncidentBook
from ioc_core.cameras.registry import CameraService
from ioc_core.cameras.roster import default_roster
from ioc_core.platform.projections import CounterProjection
from ioc_core.platform.wiring import ready
from ioc_core.shared.clock import SystemClock

if TYPE_CHECKING:
    from ioc_core.cameras.detection import DetectionService

STATS_CONSUMER = "camera-alert-stats"


@lru_cache(maxsize=1)
def detection_service() -> DetectionService:
    # Imported here: detection needs numpy and OpenCV (the vision layer), the API does not.
    from ioc_core.cameras.detection import DetectionService

    settings = ready()
    return DetectionService(
        registry=DynamoCameraRegistry(),
        states=DynamoCameraStates(),
        uow=DynamoCameraUnitOfWork(settings),
        snapshots=S3SnapshotStore(settings),
        evidence=S3EvidenceStore(settings),
        roster=default_roster(),
        clock=SystemClock(),
        incidents=DynamoIncidentRepository(),
    )


@lru_cache(maxsize=1)
def camera_service() -> CameraService:
    settings = ready()
    return CameraService(
        registry=DynamoCameraRegistry(settings),
        states=DynamoCameraStates(),
        alerts=DynamoAlertRepository(),
        uow=DynamoCameraUnitOfWork(settings),
        snapshots=S3SnapshotStore(settings),
        evidence=S3EvidenceStore(settings),
        clock=SystemClock(),
        ward_in_force=_ward_in_force,
        inside_city=_inside_city,
        incidents=IncidentBook(DynamoIncidentRepository(), default_roster()),
    )


def _inside_city(lat: float, lon: float) -> bool:
    from ioc_core.admin_units.registry import default_registry

    return default_registry().locate(lat, lon) is not None


def _ward_in_force(code: str) -> bool:
    from ioc_core.admin_units.registry import default_registry, today_in_vietnam

    return code in {w.code for w in default_registry().active_on(today_in_vietnam())}


@lru_cache(maxsize=1)
def alert_service() -> AlertService:
    settings = ready()
    return AlertService(
        alerts=DynamoAlertRepository(),
        registry=DynamoCameraRegistry(),
        uow=DynamoCameraUnitOfWork(settings),
        clock=SystemClock(),
    )


@lru_cache(maxsize=1)
def incident_service() -> IncidentService:
    settings = ready()
    return IncidentService(
        incidents=DynamoIncidentRepository(),
        registry=DynamoCameraRegistry(),
        uow=DynamoCameraUnitOfWork(settings),
        clock=SystemClock(),
        reports=IntakeFieldReports(),
    )


def ward_names(code: str) -> tuple[str, str]:
    """(vi, en) name of a ward; its code when the registry has no such unit."""
    from ioc_core.admin_units.registry import default_registry

    name = default_registry().name_of(code)
    return (name.vi, name.en or name.vi) if name else (code, code)


@lru_cache(maxsize=1)
def evidence_store() -> S3EvidenceStore:
    return S3EvidenceStore(ready())


@lru_cache(maxsize=1)
def stats_projection() -> CounterProjection:
    return CounterProjection(ready(), STATS_CONSUMER)


def camera_counters() -> dict[str, dict[str, int]]:
    """The camera counter rows (``all`` and ``camera#<id>``), read with one query."""
    from ioc_core.cameras.adapters.dynamo import counter_rows
    from ioc_core.cameras.stats import PK

    ready()
    return counter_rows(PK)


CACHED = (
    detection_service,
    camera_service,
    alert_service,
    incident_service,
    evidence_store,
    stats_projection,
)
