"""The event catalogue is derived from the rooms: a room cannot emit a type without a schema,
nor keep a schema of a type it does not emit; every schema is a valid draft 2020-12 schema that
closes its objects and declares no personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator

from ioc_core.integration.catalogue import build, catalogue
from ioc_core.platform.rooms import emitted_types
from ioc_core.rooms import ROOMS, room
from ioc_core.shared.cloudevents import schema_uri

pytestmark = pytest.mark.unit

# Words a property may not be named with: what would name or reach a person.
PERSONAL = re.compile(
    r"phone|e_?mail|contact|reporter|first_name|last_name|full_name|display_name|face|device_id"
)


def _versions() -> list[tuple[str, str, Mapping[str, Any]]]:
    return [(kind.short, v.name, v.schema) for kind in catalogue().types for v in kind.versions]


def _objects(schema: Mapping[str, Any], where: str = "data") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every object schema inside ``schema`` (itself included), with its path."""
    if "properties" in schema or schema.get("type") == "object" or "object" in schema.get("type", ()):
        yield where, schema
    for name, inner in schema.get("properties", {}).items():
        yield from _objects(inner, f"{where}.{name}")
    if isinstance(schema.get("items"), Mapping):
        yield from _objects(schema["items"], f"{where}[]")


def test_every_type_a_room_emits_has_a_schema_and_every_schema_a_room_that_emits_it() -> None:
    found = catalogue()

    assert found.problems() == []
    assert {kind.short for kind in found.types} == set(emitted_types(ROOMS))
    assert all(kind.versions for kind in found.types)


def test_a_room_that_adds_a_type_without_a_schema_is_caught() -> None:
    platform = room("platform")
    grown = replace(platform, emits=(*platform.emits, "platform.thing.happened"))

    assert build([grown]).problems() == ["platform emits platform.thing.happened without a schema"]


def test_a_schema_left_behind_by_a_type_no_longer_emitted_is_caught() -> None:
    platform = room("platform")
    shrunk = replace(platform, emits=("platform.api_key.created",))

    assert build([shrunk]).problems() == [
        "platform/schemas/platform.api_key.revoked: a schema of a type no room emits"
    ]


def test_the_types_of_every_room_are_in_the_catalogue_with_their_room() -> None:
    found = catalogue()
    for each in ROOMS:
        for short in each.emits:
            kind = found.get(short)
            assert kind is not None and kind.room == each.name
    assert found.get("vn.gov.lamdong.phanthiet.ioc.field_reporting.report.submitted") is found.get(
        "field_reporting.report.submitted"
    )


@pytest.mark.parametrize(
    ("short", "version", "schema"), _versions(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_schema_is_draft_2020_12_named_by_its_dataschema_and_described(
    short: str, version: str, schema: Mapping[str, Any]
) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == schema_uri(short, int(version.removeprefix("v")))
    assert schema["description"] and schema["x-description-vi"], "a one-line description, en and vi"
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{short}: {name} is not described"


@pytest.mark.parametrize(
    ("short", "version", "schema"), _versions(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_schema_closes_its_objects_so_nothing_slips_in_unnoticed(
    short: str, version: str, schema: Mapping[str, Any]
) -> None:
    for where, obj in _objects(schema):
        assert obj.get("additionalProperties") is False, f"{short} {version}: {where} is open"
        assert set(obj.get("required", ())) <= set(obj.get("properties", {})), f"{short}: {where}"


@pytest.mark.parametrize(
    ("short", "version", "schema"), _versions(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_no_schema_declares_personal_data(short: str, version: str, schema: Mapping[str, Any]) -> None:
    names = [f"{where}.{name}" for where, obj in _objects(schema) for name in obj.get("properties", {})]
    assert [n for n in names if PERSONAL.search(n.rsplit(".", 1)[-1])] == []


def test_the_personal_data_rule_would_catch_a_contact_field() -> None:
    assert PERSONAL.search("reporter_phone") and PERSONAL.search("email") and PERSONAL.search("face_crop")
    assert not PERSONAL.search("ward_code")


def test_statuses_are_enums_and_times_are_formatted() -> None:
    for short, version, schema in _versions():
        for where, obj in _objects(schema):
            for name, prop in obj.get("properties", {}).items():
                if name in ("status", "state", "from", "to", "kind", "severity", "source", "clock"):
                    assert "enum" in prop or "const" in prop, f"{short} {version}: {where}.{name} has no enum"
                if name.endswith(("_at", "_datetime")):
                    assert prop.get("format") == "date-time", f"{short}: {where}.{name}"


def _enum_of(short: str, prop: str) -> set[Any]:
    kind = catalogue().get(short)
    assert kind is not None and kind.latest is not None
    return {v for v in kind.latest.schema["properties"][prop]["enum"] if v is not None}


def _values(source: Any) -> set[str]:
    return {m.value for m in source} if isinstance(source, type) else set(get_args(source))


def test_the_schemas_enums_are_the_code_s_own_values() -> None:
    """A status the code adds is a value the schema must add too (a compatible change)."""
    from ioc_core.cameras.models import SEVERITIES, AlertKind, AlertStatus, CameraKind, IncidentStatus
    from ioc_core.field_reporting.models import ReportStatus
    from ioc_core.socio_economic.models import Source, ValueStatus
    from ioc_core.socio_economic.tasks.models import TaskSource, TaskStatus
    from ioc_core.socio_economic.tasks.rules import Method

    pairs: list[tuple[str, str, Any]] = [
        ("field_reporting.report.status_changed", "status", ReportStatus),
        ("field_reporting.report.status_changed", "from", ReportStatus),
        ("field_reporting.report.submitted", "status", ReportStatus),
        ("cameras.alert.raised", "kind", AlertKind),
        ("cameras.alert.status_changed", "to", AlertStatus),
        ("cameras.incident.status_changed", "to", IncidentStatus),
        ("cameras.incident.opened", "kind", AlertKind),
        ("cameras.camera.registered", "kind", CameraKind),
        ("socio_economic.indicator.value.approved", "status", ValueStatus),
        ("socio_economic.indicator.value.approved", "source", Source),
        ("socio_economic.task.registered", "source", TaskSource),
        ("socio_economic.task.registered", "status", TaskStatus),
        ("socio_economic.task.at_risk", "projection", Method),
    ]
    for short, prop, source in pairs:
        assert _enum_of(short, prop) == _values(source), f"{short}.{prop}"
    assert _enum_of("cameras.alert.raised", "severity") == set(SEVERITIES)
