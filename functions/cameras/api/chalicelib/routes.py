"""/api/v1/cameras routes: parse, call one service, render. The route table, its roles and
the request models are the contract (ioc_core.cameras.api_v1); the platform kit checks the
caller before a view runs and turns errors into RFC 9457 problem+json."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from chalice import Blueprint, Response

from ioc_core.cameras import api_v1
from ioc_core.cameras.models import (
    JOINABLE,
    OPEN_STATUSES,
    AlertStatus,
    Camera,
    CameraAlert,
    Evidence,
    Incident,
    IncidentStatus,
)
from ioc_core.cameras.registry import Health
from ioc_core.cameras.stats import PK, rates
from ioc_core.cameras.wiring import (
    alert_service,
    camera_counters,
    camera_service,
    evidence_store,
    incident_service,
    stats_projection,
    ward_names,
)
from ioc_core.platform.api import http
from ioc_core.platform.api.routes import JSON
from ioc_core.shared.clock import iso
from ioc_core.shared.errors import ValidationFailed

bp = Blueprint(__name__)
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
CURSOR = "page_token"  # the cameras' name for a page cursor, signed by the kit


def _reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": JSON, **(headers or {})},
    )


def _tagged(alert: CameraAlert) -> Response:
    """An alert with its version as the ETag: what the next change sends as If-Match."""
    return _reply(_alert(alert), headers=http.etag(alert.version))


def _next(token: str | None) -> str | None:
    return http.next_cursor(token, CURSOR)


def _actor() -> str:
    return http.actor()


def _camera(
    camera: Camera, health: Health | None = None, stats: dict[str, Any] | None = None
) -> dict[str, Any]:
    doc = camera.model_dump(mode="json", exclude={"uploader_key_hash"})
    doc["ward"] = _ward(camera.ward_code)
    if health is not None:
        doc["health"] = {
            "last_seen_at": iso(health.last_seen_at) if health.last_seen_at else None,
            "silent": health.silent,
            "snapshots": health.snapshots,
        }
    if stats is not None:
        doc["stats"] = stats
    return doc


def _alert(alert: CameraAlert) -> dict[str, Any]:
    doc = alert.model_dump(mode="json")
    if alert.evidence is not None:
        store = evidence_store()
        doc["evidence"]["crop_url"] = store.url(alert.evidence.crop_key)
        doc["evidence"]["annotated_url"] = store.url(alert.evidence.annotated_key)
    return doc


def _ward(code: str) -> dict[str, Any]:
    vi, en = ward_names(code)
    return {"code": code, "name": {"vi": vi, "en": en}}


def _urls(evidence: Evidence | None) -> dict[str, str] | None:
    if evidence is None:
        return None
    store = evidence_store()
    return {
        **evidence.model_dump(),
        "crop_url": store.url(evidence.crop_key),
        "annotated_url": store.url(evidence.annotated_key),
    }


def _incident(incident: Incident, cameras: dict[str, Camera]) -> dict[str, Any]:
    """An incident with its camera's and zone's names (vi, en) and its timeline's images."""
    doc = incident.model_dump(mode="json")
    camera = cameras.get(incident.camera_id)
    zone_vi, zone_en = camera.zone_names(incident.zone_id) if camera else (incident.zone_id, incident.zone_id)
    doc["camera_name"] = camera.name if camera else incident.camera_id
    doc["ward"] = _ward(incident.ward_code)
    doc["zone"] = {"zone_id": incident.zone_id, "name": {"vi": zone_vi, "en": zone_en}}
    for entry, source in zip(doc["timeline"], incident.timeline, strict=True):
        entry["evidence"] = _urls(source.evidence)
    doc["alerts"] = len(incident.timeline)
    return doc


def _tagged_incident(incident: Incident) -> Response:
    camera = camera_service().registry.get(incident.camera_id)
    body = _incident(incident, {camera.camera_id: camera} if camera else {})
    return _reply(body, headers=http.etag(incident.version))


def _incident_statuses(raw: str | None) -> tuple[IncidentStatus, ...]:
    if raw in (None, "", "open"):
        return JOINABLE
    try:
        return tuple(IncidentStatus(s) for s in str(raw).split(","))
    except ValueError as error:
        raise ValidationFailed(f"Trạng thái không hợp lệ / Unknown status in {raw!r}.") from error


def _statuses(raw: str | None) -> tuple[AlertStatus, ...]:
    if raw in (None, "", "open"):
        return OPEN_STATUSES
    try:
        return tuple(AlertStatus(s) for s in str(raw).split(","))
    except ValueError as error:
        raise ValidationFailed(f"Trạng thái không hợp lệ / Unknown status in {raw!r}.") from error


def _limit(raw: str | None) -> int:
    try:
        value = int(raw or 50)
    except ValueError as error:
        raise ValidationFailed("limit phải là số nguyên / limit must be a whole number.") from error
    if not 1 <= value <= 200:
        raise ValidationFailed("limit từ 1 đến 200 / limit must be between 1 and 200.")
    return value


@bp.route("", methods=["GET"])
@http.problem_json
def list_cameras() -> Response:
    listed = camera_service().listing()
    counters = camera_counters()
    cameras = [_camera(c, h, rates(counters.get(f"camera#{c.camera_id}", {}))) for c, h in listed]
    return _reply({"cameras": cameras})


@bp.route("", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def register_camera() -> Response:
    new = http.body(api_v1.NewCamera)
    camera, key = camera_service().register(
        new.camera_id,
        new.name,
        new.ward_code,
        new.lat,
        new.lon,
        new.kind,
        new.zones,
        new.silent_after_minutes,
    )
    return _reply({"camera": _camera(camera), "uploader_key": key}, 201, {"Cache-Control": "no-store"})


@bp.route("/openapi.json", methods=["GET"])
@http.problem_json
def openapi_document() -> Response:
    return _reply(api_v1.document())


@bp.route("/stats", methods=["GET"])
@http.problem_json
def camera_stats() -> Response:
    rows = camera_counters()  # cameras that never alerted have no row: nothing to show
    cameras = sorted(sk.removeprefix("camera#") for sk in rows if sk.startswith("camera#"))
    return _reply(
        {
            "all": rates(rows.get("all", {})),
            "cameras": [{"camera_id": c, **rates(rows[f"camera#{c}"])} for c in cameras],
        }
    )


@bp.route("/alerts", methods=["GET"])
@http.problem_json
def alert_queue() -> Response:
    params = http.query_params()
    statuses, limit = _statuses(params.get("status")), _limit(params.get("limit"))
    page = alert_service().queue(statuses, limit, http.cursor(params.get("page_token"), CURSOR))
    items = sorted(page.items, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), -a.raised_at.timestamp()))
    return _reply({"alerts": [_alert(a) for a in items], "next_page_token": _next(page.next_token)})


@bp.route("/alerts/{alert_id}", methods=["GET"])
@http.problem_json
def get_alert(alert_id: str) -> Response:
    return _tagged(alert_service().get(alert_id))


@bp.route("/alerts/{alert_id}/verify", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def verify_alert(alert_id: str) -> Response:
    verdict = http.body(api_v1.Verdict)
    based_on = http.expected_version(verdict)
    return _tagged(alert_service().verify(alert_id, _actor(), verdict.real, verdict.note, based_on))


@bp.route("/alerts/{alert_id}/dispatch", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def dispatch_alert(alert_id: str) -> Response:
    order = http.body(api_v1.Dispatch)
    based_on = http.expected_version(order)
    return _tagged(alert_service().dispatch(alert_id, _actor(), order.unit, order.note, based_on))


@bp.route("/alerts/{alert_id}/close", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def close_alert(alert_id: str) -> Response:
    order = http.body(api_v1.Close)
    based_on = http.expected_version(order)
    if order.accept_change:
        camera_service().accept_change(alert_service().get(alert_id, based_on))
    return _tagged(alert_service().close(alert_id, _actor(), order.note, based_on))


@bp.route("/incidents", methods=["GET"])
@http.problem_json
def incident_queue() -> Response:
    params = http.query_params()
    statuses, limit = _incident_statuses(params.get("status")), _limit(params.get("limit"))
    page = incident_service().queue(statuses, limit, http.cursor(params.get("page_token"), CURSOR))
    items = sorted(page.items, key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), -i.updated_at.timestamp()))
    cameras = {c.camera_id: c for c in camera_service().registry.list()}
    return _reply(
        {"incidents": [_incident(i, cameras) for i in items], "next_page_token": _next(page.next_token)}
    )


@bp.route("/incidents/{incident_id}", methods=["GET"])
@http.problem_json
def get_incident(incident_id: str) -> Response:
    return _tagged_incident(incident_service().get(incident_id))


@bp.route("/incidents/{incident_id}/verify", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def verify_incident(incident_id: str) -> Response:
    verdict = http.body(api_v1.IncidentVerdict)
    based_on = http.expected_version(verdict)
    return _tagged_incident(
        incident_service().verify(incident_id, _actor(), verdict.real, verdict.note, based_on)
    )


@bp.route("/incidents/{incident_id}/dispatch", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def dispatch_incident(incident_id: str) -> Response:
    order = http.body(api_v1.IncidentDispatch)
    based_on = http.expected_version(order)
    service = incident_service()
    if order.field_report:
        return _tagged_incident(service.file_report(incident_id, _actor(), order.note, based_on))
    assert order.unit is not None  # the request model takes one of the two
    return _tagged_incident(service.dispatch(incident_id, _actor(), order.unit, order.note, based_on))


@bp.route("/incidents/{incident_id}/close", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def close_incident(incident_id: str) -> Response:
    order = http.body(api_v1.IncidentClose)
    based_on = http.expected_version(order)
    return _tagged_incident(incident_service().close(incident_id, _actor(), order.note, based_on))


@bp.route("/{camera_id}", methods=["GET"])
@http.problem_json
def get_camera(camera_id: str) -> Response:
    service = camera_service()
    camera = service.get(camera_id)
    stats = rates(stats_projection().read(PK, f"camera#{camera_id}"))
    return _reply(_camera(camera, service.health(camera), stats), headers=http.etag(camera.version))


@bp.route("/{camera_id}/zones", methods=["PUT"], content_types=http.ANY_BODY)
@http.problem_json
def set_zones(camera_id: str) -> Response:
    change = http.body(api_v1.ZonesChange)
    camera = camera_service().set_zones(camera_id, change.zones, http.required_version(change))
    return _reply(_camera(camera), headers=http.etag(camera.version))


@bp.route("/{camera_id}/uploader-key", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def rotate_uploader_key(camera_id: str) -> Response:
    """A new key for the camera's gateway, shown this once; the old key stops working."""
    key = camera_service().rotate_uploader_key(camera_id)
    # A secret: no cache (browser, proxy or CDN) may keep it.
    return _reply({"camera_id": camera_id, "uploader_key": key}, 201, {"Cache-Control": "no-store"})


@bp.route("/{camera_id}/alerts", methods=["GET"])
@http.problem_json
def camera_alerts(camera_id: str) -> Response:
    params = http.query_params()
    limit, token = _limit(params.get("limit")), http.cursor(params.get("page_token"), CURSOR)
    page = alert_service().alerts.by_camera(camera_id, limit, token)
    return _reply({"alerts": [_alert(a) for a in page.items], "next_page_token": _next(page.next_token)})


@bp.route("/{camera_id}/uploads", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def presign_upload(camera_id: str) -> Response:
    """For camera gateways: authenticated by the camera's uploader key, not a staff token."""
    key = http.header("x-camera-key") or ""
    taken = http.query_params().get("taken_at")
    return _reply(camera_service().presign_upload(camera_id, key, _instant(taken) if taken else None), 201)


def _instant(raw: str) -> datetime:
    """The capture time a gateway reports (ISO 8601 with an offset)."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        raise ValidationFailed(
            "taken_at phải theo ISO 8601 / taken_at must be ISO 8601, e.g. 2026-03-02T09:15:00+07:00."
        ) from error
    if moment.tzinfo is None:
        raise ValidationFailed("taken_at cần múi giờ / taken_at needs a UTC offset.")
    return moment
