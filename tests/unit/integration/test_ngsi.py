"""The snapshot's events as NGSI-LD entities (normalised): a URN id per entity, the Smart Data
Models type and @context, every attribute a Property (a GeoProperty for a place), values in
the models' vocabularies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ioc_core.integration import ngsi
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.unit
AT = datetime(2026, 11, 30, 3, 15, tzinfo=UTC)


def _event(short: str, subject: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent.new(short, subsystem=short.split(".")[0], subject=subject, at=AT, data=data, sequence=1)


def _normalised(entity: dict[str, Any]) -> None:
    assert entity["id"].startswith(f"urn:ngsi-ld:{entity['type']}:vn-phanthiet:")
    assert entity["@context"][-1] == ngsi.CORE_CONTEXT
    for name, attribute in entity.items():
        if name not in ("id", "type", "@context"):
            assert attribute["type"] in ("Property", "GeoProperty") and "value" in attribute, name


def test_a_camera_fire_is_an_alert_of_fire_risk() -> None:
    entity = ngsi.alert(_event("cameras.incident.opened", "INC-1", {
        "incident_id": "INC-1", "camera_id": "pt-hd-01", "ward_code": "22945", "kind": "fire",
        "severity": "high", "status": "open", "alerts": 3, "opened_at": "2026-11-30T03:15:00Z",
    }))  # fmt: skip
    _normalised(entity)
    assert (entity["type"], entity["category"]["value"], entity["subCategory"]["value"]) == (
        "Alert", "security", "fireRisk"
    )  # fmt: skip
    assert entity["severity"]["value"] == "high" and entity["dateIssued"]["value"]["@type"] == "DateTime"


def test_a_report_is_an_open311_service_request_with_its_place() -> None:
    entity = ngsi.service_request(_event("field_reporting.report.submitted", "PT-1", {
        "report_id": "PT-1", "service_code": "street_light", "ward_code": "22945", "status": "received",
        "agency_responsible": "CSCC", "lat": 10.93, "long": 108.1,
        "requested_datetime": "2026-11-30T03:15:00Z",
    }))  # fmt: skip
    _normalised(entity)
    assert entity["status"]["value"] == "open" and entity["status_notes"]["value"] == "received"
    assert entity["location"]["value"] == {"type": "Point", "coordinates": [108.1, 10.93]}
    closed = ngsi.service_request(_event("field_reporting.report.status_changed", "PT-1", {
        "report_id": "PT-1", "status": "resolved"}))  # fmt: skip
    assert closed["status"]["value"] == "closed" and "location" not in closed


def test_an_indicator_value_is_a_kpi_over_its_month() -> None:
    entity = ngsi.indicator(_event("socio_economic.indicator.value.approved", "BUDGET_REVENUE|city@2026-02", {
        "indicator": "BUDGET_REVENUE", "breakdown": "city", "period": "2026-02", "value": 1234.5,
        "owner_unit": "TCKH",
    }))  # fmt: skip
    _normalised(entity)
    assert entity["id"].endswith(":BUDGET_REVENUE-city") and entity["kpiValue"]["value"] == 1234.5
    assert entity["calculationPeriod"]["value"]["to"].startswith("2026-02-28")
