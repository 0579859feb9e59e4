"""The cameras' /api/v1/cameras contract: request models and the route table.

Operators verify, dispatch and close alerts; leaders and admins read; admins register cameras,
draw zones and rotate uploader keys. Camera gateways never hold staff tokens: the upload route
takes their own key (``X-Camera-Key``), checked by the service. The platform kit's middleware
enforces this table on every route (failing closed) and builds the OpenAPI document from it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from pydantic import Field, model_validator

from ioc_core.cameras import permissions as p
from ioc_core.cameras.models import CameraKind, CameraZone
from ioc_core.platform.api import openapi
from ioc_core.platform.api.openapi import ETAG
from ioc_core.platform.api.routes import DEVICE, PREFIX, Operation, Reply, RouteTable, needs
from ioc_core.platform.api.wire import WireRequest

READ = needs(p.READ)
OPERATE = needs(p.OPERATE)
ADMINISTER = needs(p.MANAGE)
_CAMERA_ID = {"camera_id": r"^[a-z0-9][a-z0-9-]{1,62}$"}
_ALERT_ID = {"alert_id": r"^[A-Za-z0-9._:-]{1,128}$"}
_INCIDENT_ID = {"incident_id": r"^[A-Za-z0-9._:-]{1,128}$"}
_OBJECT = {"type": "object"}


class NewCamera(WireRequest):
    camera_id: str = Field(pattern=_CAMERA_ID["camera_id"])
    name: str = Field(min_length=1, max_length=200)
    ward_code: str = Field(min_length=1, max_length=20)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    kind: CameraKind = Field(strict=False)  # its value as a string
    zones: list[CameraZone] = Field(default_factory=list)
    silent_after_minutes: int = Field(default=30, ge=1, le=24 * 60)


class ZonesChange(WireRequest):
    zones: list[CameraZone]
    # Required, here or as If-Match: redrawn zones replace the camera's whole set (428 without).
    version: int | None = Field(default=None, ge=1, description="The camera's version (or send If-Match)")


class AlertChange(WireRequest):
    # Optional: without it (or If-Match) the change applies to the alert as it is now.
    version: int | None = Field(default=None, ge=1, description="The alert's version (or send If-Match)")


class Verdict(AlertChange):
    real: bool
    note: str | None = Field(default=None, max_length=1000)


class Dispatch(AlertChange):
    unit: str = Field(min_length=1, max_length=120)
    note: str | None = Field(default=None, max_length=1000)


class Close(AlertChange):
    note: str | None = Field(default=None, max_length=1000)
    accept_change: bool = False


class IncidentChange(WireRequest):
    # Optional: without it (or If-Match) the change applies to the incident as it is now.
    version: int | None = Field(default=None, ge=1, description="The incident's version (or send If-Match)")


class IncidentVerdict(IncidentChange):
    real: bool
    note: str | None = Field(default=None, max_length=1000)


class IncidentDispatch(IncidentChange):
    """Once: to a unit, or by a linked field report (Field Reporting routes it to its unit)."""

    unit: str | None = Field(default=None, min_length=1, max_length=120)
    field_report: bool = Field(default=False, description="File a linked field report instead")
    note: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _one_way(self) -> IncidentDispatch:
        if (self.unit is None) == (not self.field_report):
            raise ValueError("name a unit, or ask for a field report (one of them)")
        return self


class IncidentClose(IncidentChange):
    note: str | None = Field(default=None, max_length=1000)


def _reply(description: str, status: int = 200) -> dict[int, Reply]:
    return {status: Reply(description, schema=_OBJECT)}


def _versioned(op: Operation) -> Operation:
    replies = {status: replace(reply, headers=(ETAG,)) for status, reply in op.replies.items()}
    errors = (*op.errors, 428) if op.operation_id in REQUIRES_VERSION else op.errors
    return replace(op, replies=replies, errors=errors, if_match=op.method != "GET")


_CHANGE = (400, 401, 403, 404, 409, 413, 415)
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/cameras", "listCameras", "The camera map with health and false-alarm rates", "cameras",
              _reply("Cameras"), errors=(401, 403), access=READ),
    Operation("POST", "/cameras", "registerCamera", "Register a camera (its uploader key is shown once)",
              "cameras", _reply("The camera and its uploader key", 201), errors=_CHANGE, body=NewCamera,
              access=ADMINISTER),
    Operation("GET", "/cameras/openapi.json", "getCamerasOpenApi", "This document", "meta",
              _reply("OpenAPI 3.1"), access=READ),
    Operation("GET", "/cameras/stats", "cameraStats", "Per-camera counters and false-alarm rates", "alerts",
              _reply("Counters"), errors=(401, 403), access=READ),
    Operation("GET", "/cameras/alerts", "alertQueue", "The alert queue, most severe first", "alerts",
              _reply("Alerts"), errors=(400, 401, 403), access=READ),
    Operation("GET", "/cameras/alerts/{alert_id}", "getAlert", "One alert with its evidence", "alerts",
              _reply("The alert"), errors=(401, 403, 404), path_params=_ALERT_ID, access=READ),
    Operation("POST", "/cameras/alerts/{alert_id}/verify", "verifyAlert", "Real, or a false alarm", "alerts",
              _reply("The alert"), errors=_CHANGE, body=Verdict, path_params=_ALERT_ID, access=OPERATE),
    Operation("POST", "/cameras/alerts/{alert_id}/dispatch", "dispatchAlert", "Send a unit", "alerts",
              _reply("The alert"), errors=_CHANGE, body=Dispatch, path_params=_ALERT_ID,
              access=OPERATE),
    Operation("POST", "/cameras/alerts/{alert_id}/close", "closeAlert",
              "Close (optionally accept the change)", "alerts", _reply("The alert"), errors=_CHANGE,
              body=Close, path_params=_ALERT_ID, access=OPERATE),
    Operation("GET", "/cameras/incidents", "incidentQueue",
              "The incident queue (one per fire, dump or dead camera), most severe first", "incidents",
              _reply("Incidents"), errors=(400, 401, 403), access=READ),
    Operation("GET", "/cameras/incidents/{incident_id}", "getIncident", "One incident with its timeline",
              "incidents", _reply("The incident"), errors=(401, 403, 404), path_params=_INCIDENT_ID,
              access=READ),
    Operation("POST", "/cameras/incidents/{incident_id}/verify", "verifyIncident", "Real, or a false alarm",
              "incidents", _reply("The incident"), errors=_CHANGE, body=IncidentVerdict,
              path_params=_INCIDENT_ID, access=OPERATE),
    Operation("POST", "/cameras/incidents/{incident_id}/dispatch", "dispatchIncident",
              "Send a unit, or file a linked field report", "incidents", _reply("The incident"),
              errors=_CHANGE, body=IncidentDispatch, path_params=_INCIDENT_ID, access=OPERATE),
    Operation("POST", "/cameras/incidents/{incident_id}/close", "closeIncident", "Close the incident",
              "incidents", _reply("The incident"), errors=_CHANGE, body=IncidentClose,
              path_params=_INCIDENT_ID, access=OPERATE),
    Operation("GET", "/cameras/{camera_id}", "getCamera", "One camera with health and rates", "cameras",
              _reply("The camera"), errors=(401, 403, 404), path_params=_CAMERA_ID, access=READ),
    Operation("PUT", "/cameras/{camera_id}/zones", "setZones", "Redraw a camera's zones", "cameras",
              _reply("The camera"), errors=_CHANGE, body=ZonesChange, path_params=_CAMERA_ID,
              access=ADMINISTER),
    Operation("POST", "/cameras/{camera_id}/uploader-key", "rotateUploaderKey",
              "A new key for the gateway, shown once; the old one stops working", "cameras",
              _reply("The new key", 201), errors=(401, 403, 404), path_params=_CAMERA_ID,
              access=ADMINISTER),
    Operation("GET", "/cameras/{camera_id}/alerts", "cameraAlerts", "A camera's alerts, newest first",
              "alerts",
              _reply("Alerts"), errors=(400, 401, 403, 404), path_params=_CAMERA_ID, access=READ),
    Operation("POST", "/cameras/{camera_id}/uploads", "presignUpload",
              "For a camera gateway (X-Camera-Key): a presigned POST for one snapshot", "ingestion",
              _reply("A presigned POST", 201), errors=(400, 403, 404, 409), path_params=_CAMERA_ID,
              access=DEVICE),
)  # fmt: skip
# Versioned resources: their replies carry the ETag, their changes take If-Match (or version);
# redrawing zones requires one.
VERSIONED = frozenset(
    {
        "getAlert",
        "verifyAlert",
        "dispatchAlert",
        "closeAlert",
        "getIncident",
        "verifyIncident",
        "dispatchIncident",
        "closeIncident",
        "getCamera",
        "setZones",
    }
)
REQUIRES_VERSION = frozenset({"setZones"})
OPERATIONS = tuple(_versioned(op) if op.operation_id in VERSIONED else op for op in OPERATIONS)
TABLE = RouteTable(f"{PREFIX}/cameras", OPERATIONS)

DESCRIPTION = """\
Security cameras of the Phan Thiết IOC: the camera map with health, the incident queue (the
alerts of one camera, zone and kind within a window are one incident with a timeline of its
evidence), operators' verify / dispatch (to a unit, or a linked field report) / close,
per-camera false-alarm rates, and presigned snapshot uploads for camera gateways. Errors are
RFC 9457 problem+json in Vietnamese and English; each operation lists its roles in `x-roles`.
"""


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return openapi.build(TABLE, "Phan Thiết IOC: security cameras (/api/v1/cameras)", DESCRIPTION)
