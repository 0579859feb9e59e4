"""The consumers' event filters as the local pump applies them (the same pattern the CDK app
puts on each mapping): a list of types, or the archive's prefix of every city event."""

from __future__ import annotations

import base64
import json

import pytest

from ioc_core.platform.filters import consumer_pattern, kinesis_record_matches
from ioc_core.platform.resources import StreamConsumer

pytestmark = pytest.mark.unit


def consumer(**kw: object) -> StreamConsumer:
    return StreamConsumer(function="f", handler="h.handler", source_kind="kinesis", source="events", **kw)  # type: ignore[arg-type]


def record(data: bytes) -> dict[str, object]:
    return {"kinesis": {"data": base64.b64encode(data).decode()}}


def event(type_: str) -> dict[str, object]:
    return record(json.dumps({"type": type_, "id": "1"}).encode())


def test_a_consumer_of_types_takes_those_only() -> None:
    pattern = consumer_pattern(consumer(event_types=("field_reporting.report.submitted",)))
    assert kinesis_record_matches(
        pattern, event("vn.gov.lamdong.phanthiet.ioc.field_reporting.report.submitted")
    )
    assert not kinesis_record_matches(
        pattern, event("vn.gov.lamdong.phanthiet.ioc.field_reporting.report.rated")
    )


def test_the_archive_takes_every_city_event_and_nothing_else() -> None:
    pattern = consumer_pattern(consumer(every_event=True))
    assert pattern == {"data": {"type": [{"prefix": "vn.gov.lamdong.phanthiet.ioc."}]}}
    assert kinesis_record_matches(pattern, event("vn.gov.lamdong.phanthiet.ioc.cameras.incident.opened"))
    assert not kinesis_record_matches(pattern, event("vn.gov.lamdong.ioc.task.assigned"))  # the province's
    assert not kinesis_record_matches(pattern, record(b"not json"))
    assert not kinesis_record_matches(pattern, record(json.dumps({"type": 7}).encode()))
