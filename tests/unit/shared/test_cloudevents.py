"""The CloudEvents 1.0 envelope of every domain event."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from ioc_core.shared.cloudevents import (
    SCHEMA_BASE,
    SOURCE_ROOT,
    TYPE_PREFIX,
    CloudEvent,
    event_type,
    schema_uri,
    short_type,
)

pytestmark = pytest.mark.unit


def submitted(sequence: int | None = 7) -> CloudEvent:
    return CloudEvent.new(
        "field_reporting.report.submitted",
        subsystem="field_reporting",
        subject="PT-7K3M9Q2X",
        at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        data={"ward_code": "22918", "note": "Đèn đường hỏng"},
        sequence=sequence,
    )


def test_new_fills_the_envelope() -> None:
    event = submitted()

    assert event.specversion == "1.0"
    assert event.type == "vn.gov.lamdong.phanthiet.ioc.field_reporting.report.submitted"
    assert event.source == f"{SOURCE_ROOT}/field-reporting"
    assert event.subject == "PT-7K3M9Q2X"
    assert event.partitionkey == "PT-7K3M9Q2X"
    assert event.time == "2026-03-02T09:00:00+07:00"
    assert event.datacontenttype == "application/json"
    assert event.short_type == "field_reporting.report.submitted"
    assert event.dataschema == SCHEMA_BASE + "field_reporting.report.submitted/v1"


def test_dataschema_names_the_type_and_the_major_version_its_data_follows() -> None:
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    later = CloudEvent.new(
        "cameras.alert.raised", subsystem="cameras", subject="a", at=at, data={}, version=2
    )

    assert (
        later.dataschema == "https://ioc.phanthiet.gov.vn/api/v1/integration/schemas/cameras.alert.raised/v2"
    )
    assert schema_uri(event_type("cameras.alert.raised"), 2) == later.dataschema
    assert json.loads(later.to_json())["dataschema"] == later.dataschema


@pytest.mark.parametrize(
    ("number", "text"), [(1, "000000000001"), (42, "000000000042"), (10**11, "100000000000")]
)
def test_sequence_is_zero_padded_so_it_sorts_as_text(number: int, text: str) -> None:
    event = submitted(number)
    assert event.sequence == text
    assert event.sequencetype == "Integer"


def test_padded_sequences_sort_in_numeric_order() -> None:
    texts = [submitted(n).sequence or "" for n in (10, 9, 100, 1)]
    assert sorted(texts) == ["000000000001", "000000000009", "000000000010", "000000000100"]


def test_without_a_sequence_the_attributes_are_left_out_of_the_json() -> None:
    body = json.loads(submitted(None).to_json())
    assert "sequence" not in body
    assert "sequencetype" not in body


def test_json_round_trip_keeps_every_attribute() -> None:
    event = submitted()
    raw = event.to_json()

    assert CloudEvent.from_json(raw) == event
    assert CloudEvent.from_json(raw.encode("utf-8")) == event
    assert "Đèn đường hỏng" in raw  # UTF-8, not \u escapes


def test_extension_attributes_survive_the_round_trip() -> None:
    raw = json.dumps({**json.loads(submitted().to_json()), "traceparent": "00-abc-def-01"})

    event = CloudEvent.from_json(raw)

    assert json.loads(event.to_json())["traceparent"] == "00-abc-def-01"


def test_type_prefix_is_added_once_and_removed_by_short_type() -> None:
    full = event_type("field_reporting.report.rated")

    assert full == f"{TYPE_PREFIX}field_reporting.report.rated"
    assert event_type(full) == full
    assert short_type(full) == "field_reporting.report.rated"
    assert short_type("other.vendor.event") == "other.vendor.event"
