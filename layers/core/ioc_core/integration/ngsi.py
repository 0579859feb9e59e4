"""The snapshot's entities as NGSI-LD, for a province that runs a FIWARE context broker:
camera incidents as Smart Data Models ``Alert``, field reports as ``Open311_ServiceRequest``,
indicator values as ``KeyPerformanceIndicator``. Built from the same events the snapshot
keeps (no personal data is in them), normalised NGSI-LD (each attribute a Property)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from typing import Any

from ioc_core.shared.cloudevents import CloudEvent

CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
CONTEXTS = {
    "Alert": "https://raw.githubusercontent.com/smart-data-models/dataModel.Alert/master/context.jsonld",
    "Open311_ServiceRequest": "https://raw.githubusercontent.com/smart-data-models/dataModel.IssueTracking/master/context.jsonld",
    "KeyPerformanceIndicator": "https://raw.githubusercontent.com/smart-data-models/dataModel.KeyPerformanceIndicator/master/context.jsonld",
}  # fmt: skip
URN = "urn:ngsi-ld:{type}:vn-phanthiet:{id}"
# Our camera kinds in the Alert model's vocabulary (subCategory), under category "security"
# or "environment".
_ALERT_KINDS = {
    "fire": ("security", "fireRisk"),
    "smoke": ("security", "fireRisk"),
    "dumping": ("environment", "illegalDumping"),
    "construction": ("security", "landEncroachment"),
    "encroachment": ("security", "sidewalkEncroachment"),
    "camera_silent": ("security", "suspiciousAction"),
}
_CLOSED_REPORTS = {"resolved", "rejected", "withdrawn"}


def _property(value: Any) -> dict[str, Any]:
    return {"type": "Property", "value": value}


def _datetime(value: str) -> dict[str, Any]:
    return {"type": "Property", "value": {"@type": "DateTime", "@value": value}}


def _entity(type_: str, id_: str, attributes: dict[str, Any]) -> dict[str, Any]:
    given = {k: v for k, v in attributes.items() if v is not None}
    return {
        "id": URN.format(type=type_, id=id_),
        "type": type_,
        **given,
        "@context": [CONTEXTS[type_], CORE_CONTEXT],
    }


def alert(event: CloudEvent) -> dict[str, Any]:
    data = event.data
    category, sub = _ALERT_KINDS.get(str(data.get("kind")), ("security", "suspiciousAction"))
    return _entity("Alert", str(data.get("incident_id") or event.subject), {
        "category": _property(category),
        "subCategory": _property(sub),
        "severity": _property(str(data.get("severity") or "medium")),
        "alertSource": _property(f"camera {data.get('camera_id')}"),
        "dateIssued": _datetime(str(data.get("opened_at") or event.time)),
        "areaServed": _property(data.get("ward_code")),
        "description": _property(f"{data.get('kind')}, {data.get('status')}: {data.get('alerts', 1)} alerts"),
    })  # fmt: skip


def service_request(event: CloudEvent) -> dict[str, Any]:
    data = event.data
    location = None
    if isinstance(data.get("lat"), (int, float)) and isinstance(data.get("long"), (int, float)):
        location = {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [data["long"], data["lat"]]},
        }
    status = "closed" if data.get("status") in _CLOSED_REPORTS else "open"
    requested = data.get("requested_datetime")
    return _entity("Open311_ServiceRequest", str(data.get("report_id") or event.subject), {
        "service_request_id": _property(data.get("report_id") or event.subject),
        "service_code": _property(data.get("service_code")),
        "status": _property(status),
        "status_notes": _property(data.get("status")),
        "agency_responsible": _property(data.get("agency_responsible")),
        "requested_datetime": _datetime(str(requested)) if requested else None,
        "updated_datetime": _datetime(event.time),
        "areaServed": _property(data.get("ward_code")),
        "location": location,
    })  # fmt: skip


def indicator(event: CloudEvent) -> dict[str, Any]:
    data = event.data
    period = str(data.get("period") or "")
    calculation = None
    if len(period) == 7 and period[4] == "-":  # a month: YYYY-MM
        year, month = int(period[:4]), int(period[5:])
        last = monthrange(year, month)[1]
        calculation = _property(
            {"from": f"{period}-01T00:00:00+07:00", "to": f"{period}-{last:02d}T23:59:59+07:00"}
        )
    return _entity("KeyPerformanceIndicator", f"{data.get('indicator')}-{data.get('breakdown') or 'city'}", {
        "name": _property(data.get("indicator")),
        "kpiValue": _property(data.get("value")),
        "calculationPeriod": calculation,
        "period": _property(period),
        "organization": _property({"name": "UBND thành phố Phan Thiết", "unit": data.get("owner_unit")}),
        "currentStanding": None,
        "category": _property(["quantitative"]),
        "dataProvider": _property("vn-phanthiet-ioc"),
        "dateModified": _datetime(event.time),
    })  # fmt: skip


# NGSI-LD type → (the snapshot kind it comes from, how an event becomes the entity)
TYPES: dict[str, tuple[str, Callable[[CloudEvent], dict[str, Any]]]] = {
    "Alert": ("incidents", alert),
    "Open311_ServiceRequest": ("reports", service_request),
    "KeyPerformanceIndicator": ("indicators", indicator),
}
