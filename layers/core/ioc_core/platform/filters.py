"""A consumer's event filter: the Lambda event filtering pattern its mapping carries in AWS,
and the same pattern applied by the local pump.

A Kinesis record's data is the CloudEvent as JSON, so the pattern matches its ``type``:
``{"data": {"type": ["vn.gov.lamdong.phanthiet.ioc.field_reporting.report.submitted", …]}}``.
Records that do not match never reach the function (and are not retried or dead-lettered),
as in AWS; a record whose data is not JSON matches no such pattern. A consumer of every event
(the archive) takes the city's prefix instead of a list that would grow past Lambda's 4 KB:
``{"data": {"type": [{"prefix": "vn.gov.lamdong.phanthiet.ioc."}]}}``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from typing import Any

from ioc_core.platform.resources import StreamConsumer
from ioc_core.shared.cloudevents import TYPE_PREFIX, event_type

Pattern = Mapping[str, Any]


def type_pattern(short_types: Iterable[str]) -> Pattern | None:
    """The pattern taking these event types; None (no filter) when there are none."""
    types = sorted({event_type(t) for t in short_types})
    return {"data": {"type": types}} if types else None


def consumer_pattern(consumer: StreamConsumer) -> Pattern | None:
    """The pattern of a consumer's mapping: its types, or every event of the city's."""
    if consumer.every_event:
        return {"data": {"type": [{"prefix": TYPE_PREFIX}]}}
    return type_pattern(consumer.event_types)


def _leaf(expected: Any, value: Any) -> bool:
    if isinstance(expected, Mapping):
        return set(expected) == {"prefix"} and isinstance(value, str) and value.startswith(expected["prefix"])
    return bool(expected == value)


def matches(pattern: Pattern, document: Any) -> bool:
    """The subset of Lambda's filter grammar ``consumer_pattern`` writes: nested objects whose
    leaves are lists of exact values or of ``{"prefix": …}``."""
    if not isinstance(document, Mapping):
        return False
    for key, expected in pattern.items():
        if key not in document:
            return False
        value = document[key]
        if isinstance(expected, Mapping):
            if not matches(expected, value):
                return False
        elif not any(_leaf(e, value) for e in expected):
            return False
    return True


def kinesis_record_matches(pattern: Pattern | None, record: Mapping[str, Any]) -> bool:
    """Whether a Kinesis record (Lambda's event shape) passes the filter."""
    if pattern is None:
        return True
    try:
        data = json.loads(base64.b64decode(record["kinesis"]["data"]))
    except (ValueError, KeyError, TypeError):
        return False
    return matches(pattern, {"data": data})
