"""Validation of a report's answers against its service's Open311 attributes."""

from __future__ import annotations

import math

from ioc_core.field_reporting.models import (
    AttributeDefinition,
    AttributeValue,
    Datatype,
    ServiceDefinition,
)
from ioc_core.shared.errors import Problems
from ioc_core.shared.text import clean_text

MAX_STRING = 500
MAX_TEXT = 4000


def validate_attributes(
    service: ServiceDefinition, answers: dict[str, AttributeValue], problems: Problems
) -> dict[str, AttributeValue]:
    """Cleaned answers; every problem found is added to ``problems``."""
    defs = {a.code: a for a in service.attributes if a.variable}
    cleaned: dict[str, AttributeValue] = {}
    for code in answers:
        if code not in defs:
            problems.add(f"attributes.{code}", f"unknown attribute '{code}' for {service.service_code}")
    for code, definition in defs.items():
        value = answers.get(code)
        if value in (None, "", []):
            if definition.required:
                problems.add(f"attributes.{code}", f"attribute '{code}' is required")
            continue
        assert value is not None
        result = _check(definition, value, problems)
        if result is not None:
            cleaned[code] = result
    return cleaned


def _check(d: AttributeDefinition, value: AttributeValue, problems: Problems) -> AttributeValue | None:
    name = f"attributes.{d.code}"
    keys = {v.key for v in d.values}
    if d.datatype is Datatype.MULTI:
        items = value if isinstance(value, list) else [value]
        bad = [v for v in items if v not in keys]
        if bad:
            problems.add(name, f"values {bad} are not among {sorted(keys)}")
            return None
        return list(dict.fromkeys(items))
    if isinstance(value, list):
        if len(value) != 1:
            problems.add(name, f"attribute '{d.code}' takes one value")
            return None
        value = value[0]
    return _check_scalar(d, value, keys, problems)


def _check_scalar(d: AttributeDefinition, value: str, keys: set[str], problems: Problems) -> str | None:
    name = f"attributes.{d.code}"
    if d.datatype is Datatype.SINGLE:
        if value not in keys:
            problems.add(name, f"'{value}' is not among {sorted(keys)}")
            return None
        return value
    if d.datatype is Datatype.NUMBER:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            problems.add(name, f"'{value}' is not a number")
            return None
        return value.strip()
    if d.datatype is Datatype.DATETIME:
        from ioc_core.shared.datetimes import parse_datetime

        try:
            return parse_datetime(value).isoformat(timespec="seconds")
        except ValueError:
            problems.add(name, f"'{value}' is not an ISO 8601 date-time")
            return None
    limit = MAX_TEXT if d.datatype is Datatype.TEXT else MAX_STRING
    text = clean_text(value)
    if len(text) > limit:
        problems.add(name, f"longer than {limit} characters")
        return None
    return text
