"""PynamoDB adapters: the camera registry, camera state, alerts, processed-snapshot markers.

Every access pattern is a key or an index; every write that must go with others is in one
transaction with them (marker + state + alerts + outbox events).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.models import Model

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
from ioc_core.platform.dynamo import UNBOUND, cancelled_items, decode_token, encode_token, gsi, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.platform.projections import CounterRow
from ioc_core.settings import Settings
from ioc_core.shared.clock import to_vn
from ioc_core.shared.cloudevents import CloudEvent

if TYPE_CHECKING:
    from ioc_core.cameras.incidents import IncidentChange

T = TypeVar("T")

FLEET = "all"  # one partition for the city's ~60 cameras: the map lists them with one query
MARKER_RETENTION = timedelta(days=30)  # far beyond S3's asynchronous retries (6 h)


def _time(moment: datetime) -> str:
    """Fixed-width ISO 8601 in Vietnam time: sorts as time."""
    return to_vn(moment).isoformat(timespec="microseconds")


class CameraItem(Model):
    class Meta:
        table_name = UNBOUND

    camera_id = UnicodeAttribute(hash_key=True)
    fleet = UnicodeAttribute(default=FLEET)
    version = NumberAttribute()
    document = UnicodeAttribute()

    by_fleet = gsi("by_fleet", "fleet", "camera_id")()

    @classmethod
    def of(cls, camera: Camera) -> CameraItem:
        return cls(
            camera_id=camera.camera_id, fleet=FLEET, version=camera.version, document=camera.model_dump_json()
        )

    def to_camera(self) -> Camera:
        return Camera.model_validate_json(self.document)


class CameraStateItem(Model):
    class Meta:
        table_name = UNBOUND

    camera_id = UnicodeAttribute(hash_key=True)
    fleet = UnicodeAttribute(default=FLEET)
    last_seen_at = UnicodeAttribute(null=True)
    version = NumberAttribute()
    document = UnicodeAttribute()

    by_last_seen = gsi("by_last_seen", "fleet", "last_seen_at")()

    @classmethod
    def of(cls, state: CameraState) -> CameraStateItem:
        return cls(
            camera_id=state.camera_id,
            fleet=FLEET,
            last_seen_at=_time(state.last_seen_at) if state.last_seen_at else None,
            version=state.version,
            document=state.model_dump_json(),
        )

    def to_state(self) -> CameraState:
        return CameraState.model_validate_json(self.document)


class CameraAlertItem(Model):
    class Meta:
        table_name = UNBOUND

    alert_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    camera_id = UnicodeAttribute()
    raised_at = UnicodeAttribute()
    version = NumberAttribute()
    document = UnicodeAttribute()

    by_status = gsi("by_status", "status", "raised_at")()
    by_camera = gsi("by_camera", "camera_id", "raised_at")()

    @classmethod
    def of(cls, alert: CameraAlert) -> CameraAlertItem:
        return cls(
            alert_id=alert.alert_id,
            status=alert.status.value,
            camera_id=alert.camera_id,
            raised_at=_time(alert.raised_at),
            version=alert.version,
            document=alert.model_dump_json(),
        )

    def to_alert(self) -> CameraAlert:
        return CameraAlert.model_validate_json(self.document)


class IncidentItem(Model):
    class Meta:
        table_name = UNBOUND

    incident_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = NumberAttribute()
    document = UnicodeAttribute()

    by_status = gsi("by_status", "status", "updated_at")()

    @classmethod
    def of(cls, incident: Incident) -> IncidentItem:
        return cls(
            incident_id=incident.incident_id,
            status=incident.status.value,
            updated_at=_time(incident.updated_at),
            version=incident.version,
            document=incident.model_dump_json(),
        )

    def to_incident(self) -> Incident:
        return Incident.model_validate_json(self.document)


class SnapshotMarkerItem(Model):
    """One per processed snapshot object version (and per health or reference decision)."""

    class Meta:
        table_name = UNBOUND

    object_id = UnicodeAttribute(hash_key=True)
    outcome = UnicodeAttribute()
    processed_at = UnicodeAttribute()
    expires_at = TTLAttribute()


class DynamoCameraRegistry:
    """A camera's registration and its administrator's changes commit their events with them."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings  # None: a reader (the detector, the alert services) that stages nothing

    def get(self, camera_id: str) -> Camera | None:
        try:
            return CameraItem.get(camera_id, consistent_read=True).to_camera()
        except CameraItem.DoesNotExist:
            return None

    def list(self) -> list[Camera]:
        return [item.to_camera() for item in CameraItem.by_fleet.query(FLEET)]

    def add(self, camera: Camera, events: Sequence[CloudEvent] = ()) -> None:
        self._commit(camera, CameraItem.camera_id.does_not_exist(), events)

    def save(self, camera: Camera, expected_version: int, events: Sequence[CloudEvent] = ()) -> None:
        self._commit(camera, CameraItem.version == expected_version, events)

    def _commit(self, camera: Camera, condition: Any, events: Sequence[CloudEvent]) -> None:
        if not events:
            try:
                CameraItem.of(camera).save(condition=condition)
            except PutError as error:
                raise StaleState(camera.camera_id) from error
            return
        if self.settings is None:
            raise RuntimeError("DynamoCameraRegistry(settings) stages events: give it the settings")
        try:
            with transaction(self.settings) as tx:
                tx.save(CameraItem.of(camera), condition=condition)
                stage_events(tx, list(events))
        except TransactWriteError as error:
            if 0 in cancelled_items(error):
                raise StaleState(camera.camera_id) from error
            raise


class DynamoCameraStates:
    def get(self, camera_id: str) -> CameraState | None:
        try:
            return CameraStateItem.get(camera_id, consistent_read=True).to_state()
        except CameraStateItem.DoesNotExist:
            return None

    def get_many(self, camera_ids: list[str]) -> dict[str, CameraState]:
        if not camera_ids:
            return {}
        return {item.camera_id: item.to_state() for item in CameraStateItem.batch_get(camera_ids)}


class DynamoAlertRepository:
    def get(self, alert_id: str) -> CameraAlert | None:
        try:
            return CameraAlertItem.get(alert_id, consistent_read=True).to_alert()
        except CameraAlertItem.DoesNotExist:
            return None

    def by_status(self, statuses: tuple[AlertStatus, ...], limit: int, token: str | None) -> Page:
        items, next_token = _pages(
            CameraAlertItem.by_status, [s.value for s in statuses], limit, token, CameraAlertItem.to_alert
        )
        return Page(items=items, next_token=next_token)

    def by_camera(self, camera_id: str, limit: int, token: str | None) -> Page:
        items, next_token = _pages(
            CameraAlertItem.by_camera, [camera_id], limit, token, CameraAlertItem.to_alert
        )
        return Page(items=items, next_token=next_token)


class DynamoIncidentRepository:
    def get(self, incident_id: str) -> Incident | None:
        try:
            return IncidentItem.get(incident_id, consistent_read=True).to_incident()
        except IncidentItem.DoesNotExist:
            return None

    def by_status(self, statuses: tuple[IncidentStatus, ...], limit: int, token: str | None) -> IncidentPage:
        items, next_token = _pages(
            IncidentItem.by_status, [s.value for s in statuses], limit, token, IncidentItem.to_incident
        )
        return IncidentPage(items=items, next_token=next_token)


def _pages(
    index: Any, partitions: list[str], limit: int, token: str | None, convert: Callable[[Any], T]
) -> tuple[list[T], str | None]:
    """Newest first within each partition, partitions in the order given."""
    state = decode_token(token) if token else {}
    start = partitions.index(state["p"]) if state.get("p") in partitions else 0
    items: list[T] = []
    for position, partition in enumerate(partitions[start:], start):
        last_key = state.get("k") if state.get("p") == partition else None
        results = index.query(
            partition, scan_index_forward=False, limit=limit - len(items), last_evaluated_key=last_key
        )
        items.extend(convert(item) for item in results)
        if len(items) >= limit:
            lek = results.last_evaluated_key
            if lek:
                return items, encode_token({"p": partition, "k": lek})
            later = partitions[position + 1 :]
            return items, encode_token({"p": later[0], "k": None}) if later else None
    return items, None


class DynamoCameraUnitOfWork:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def is_processed(self, object_id: str) -> bool:
        try:
            SnapshotMarkerItem.get(object_id, consistent_read=True)
        except SnapshotMarkerItem.DoesNotExist:
            return False
        return True

    def commit_snapshot(
        self,
        object_id: str,
        outcome: str,
        state: CameraState | None,
        alerts: list[CameraAlert],
        events: list[CloudEvent],
        incidents: list[IncidentChange] | None = None,
    ) -> None:
        now = datetime.now(UTC)
        marker = SnapshotMarkerItem(
            object_id=object_id,
            outcome=outcome,
            processed_at=now.isoformat(),
            expires_at=now + MARKER_RETENTION,
        )
        try:
            with transaction(self.settings) as tx:
                tx.save(marker, condition=SnapshotMarkerItem.object_id.does_not_exist())
                if state is not None:
                    expected = state.version
                    stored = state.model_copy(update={"version": expected + 1})
                    condition = (
                        CameraStateItem.camera_id.does_not_exist()
                        if expected == 0
                        else CameraStateItem.version == expected
                    )
                    tx.save(CameraStateItem.of(stored), condition=condition)
                for alert in alerts:
                    tx.save(CameraAlertItem.of(alert), condition=CameraAlertItem.alert_id.does_not_exist())
                for change in incidents or []:
                    tx.save(
                        IncidentItem.of(change.incident),
                        condition=_incident_condition(change.expected_version),
                    )
                stage_events(tx, events)
        except TransactWriteError as error:
            failed = cancelled_items(error)
            if 0 in failed:
                raise AlreadyProcessed(object_id) from error
            if state is not None and 1 in failed:
                raise StaleState(state.camera_id) from error
            first_incident = 1 + (state is not None) + len(alerts)
            if any(first_incident <= n < first_incident + len(incidents or []) for n in failed):
                raise StaleState(f"an incident of {object_id} moved on") from error
            if failed:
                raise AlreadyProcessed(object_id) from error  # its alerts exist: processed before
            raise

    def commit_alert(
        self,
        alert: CameraAlert,
        expected_version: int,
        events: list[CloudEvent],
        camera: Camera | None = None,
    ) -> None:
        try:
            with transaction(self.settings) as tx:
                tx.save(CameraAlertItem.of(alert), condition=CameraAlertItem.version == expected_version)
                if camera is not None:
                    tx.save(CameraItem.of(camera), condition=CameraItem.version == camera.version - 1)
                stage_events(tx, events)
        except TransactWriteError as error:
            if cancelled_items(error):
                raise StaleState(alert.alert_id) from error
            raise

    def commit_incident(
        self,
        incident: Incident,
        expected_version: int,
        events: list[CloudEvent],
        camera: Camera | None = None,
    ) -> None:
        try:
            with transaction(self.settings) as tx:
                tx.save(IncidentItem.of(incident), condition=_incident_condition(expected_version))
                if camera is not None:
                    tx.save(CameraItem.of(camera), condition=CameraItem.version == camera.version - 1)
                stage_events(tx, events)
        except TransactWriteError as error:
            if cancelled_items(error):
                raise StaleState(incident.incident_id) from error
            raise


def _incident_condition(expected_version: int) -> Any:
    if expected_version == 0:
        return IncidentItem.incident_id.does_not_exist()
    return IncidentItem.version == expected_version


def counter_rows(pk: str) -> dict[str, dict[str, int]]:
    """Every counter row of a projection partition (sk → counters), with one query."""
    connection = CounterRow._get_connection()
    rows: dict[str, dict[str, int]] = {}
    start: Any = None
    while True:
        page = connection.query(pk, consistent_read=True, exclusive_start_key=start)
        for item in page.get("Items", []):
            rows[item["sk"]["S"]] = {k: int(v["N"]) for k, v in item.items() if "N" in v}
        start = page.get("LastEvaluatedKey")
        if not start:
            return rows
