"""Published schemas change compatibly: within a major version only additions, and a new major
runs beside the old one until the old one's deprecation date. The published editions are frozen
in tests/contracts/published_events.lock.json (publish with ``python -m contracts.events publish``).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from contracts.events import published
from ioc_core.integration.catalogue import catalogue
from ioc_core.integration.compatibility import breaking_changes

pytestmark = pytest.mark.unit

PUBLISH = "publish it: PYTHONPATH=layers/core:tests .venv/bin/python -m contracts.events publish"


def schema(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": sorted(props), "additionalProperties": False}


BASE = schema(
    report_id={"type": "string"},
    status={"type": "string", "enum": ["received", "verified"]},
    score={"type": "integer", "minimum": 1, "maximum": 5},
    box={"type": ["array", "null"], "items": {"type": "number"}},
)


def changed(edit: Any) -> dict[str, Any]:
    new = copy.deepcopy(BASE)
    edit(new)
    return new


# -- the checker, on small schemas ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("a new optional property", lambda s: s["properties"].update(note={"type": "string"})),
        ("an enum widened", lambda s: s["properties"]["status"]["enum"].append("assigned")),
        ("an enum lifted", lambda s: s["properties"]["status"].pop("enum")),
        ("a description reworded", lambda s: s["properties"]["score"].update(description="1 to 5")),
        ("a bound loosened", lambda s: s["properties"]["score"].update(maximum=10)),
        (
            "deprecated with a date",
            lambda s: s.update({"deprecated": True, "x-deprecation-date": "2027-06-30"}),
        ),
    ],
)
def test_additions_are_compatible(name: str, edit: Any) -> None:
    assert breaking_changes(BASE, changed(edit)) == []


@pytest.mark.parametrize(
    ("name", "edit", "reason"),
    [
        ("a property removed", lambda s: (s["properties"].pop("score"), s["required"].remove("score")),
         "data.score: removed"),
        ("a property retyped", lambda s: s["properties"]["report_id"].update(type="integer"),
         "data.report_id: type ['string'] became ['integer']"),
        ("null no longer allowed", lambda s: s["properties"]["box"].update(type="array"),
         "data.box: type ['array', 'null'] became ['array']"),
        ("a new required field",
         lambda s: (s["properties"].update(unit={"type": "string"}), s["required"].append("unit")),
         "data.unit: newly required"),
        ("a field no longer required", lambda s: s["required"].remove("status"),
         "data.status: no longer required"),
        ("an enum narrowed", lambda s: s["properties"]["status"]["enum"].remove("verified"),
         "data.status: enum narrowed, ['verified'] dropped"),
        ("an enum put on a free field", lambda s: s["properties"]["report_id"].update(enum=["PT-1"]),
         "data.report_id: an enum was put on it"),
        ("a bound tightened", lambda s: s["properties"]["score"].update(maximum=4),
         "data.score: maximum tightened to 4"),
        ("an item retyped", lambda s: s["properties"]["box"]["items"].update(type="string"),
         "data.box[]: type ['number'] became ['string']"),
        ("a pattern added", lambda s: s["properties"]["report_id"].update(pattern="^PT-"),
         "data.report_id: pattern None became '^PT-'"),
    ],
)  # fmt: skip
def test_what_breaks_a_reader_of_the_published_edition_is_named(name: str, edit: Any, reason: str) -> None:
    assert breaking_changes(BASE, changed(edit)) == [reason]


def test_tightening_additional_properties_breaks_and_loosening_does_not() -> None:
    open_schema = {**BASE, "additionalProperties": True}

    assert breaking_changes(open_schema, BASE) == ["data: additionalProperties tightened to false"]
    assert breaking_changes(BASE, open_schema) == []


def test_nested_objects_are_checked_property_by_property() -> None:
    old = schema(evidence={**schema(crop_key={"type": "string"}), "type": ["object", "null"]})
    new = copy.deepcopy(old)
    new["properties"]["evidence"]["properties"]["crop_key"]["type"] = "integer"

    assert breaking_changes(old, new) == ["data.evidence.crop_key: type ['string'] became ['integer']"]


# -- the repository's schemas against what was published -------------------------------------------


def test_every_version_in_the_catalogue_is_published() -> None:
    lock = published()
    missing = [
        f"{k.short} {v.name}"
        for k in catalogue().types
        for v in k.versions
        if v.name not in lock.get(k.short, {})
    ]
    assert missing == [], f"not published yet ({PUBLISH}): {missing}"


def test_every_published_version_is_still_served_until_its_deprecation_date() -> None:
    today = date.today()
    gone = []
    for short, versions in published().items():
        kind = catalogue().get(short)
        for name, frozen in versions.items():
            still = kind.version(name) if kind else None
            sunset = frozen.get("x-deprecation-date")
            if still is None and not (sunset and date.fromisoformat(sunset) < today):
                gone.append(f"{short} {name}")
    assert gone == [], f"published, removed before a deprecation date has passed: {gone}"


def test_every_published_version_changed_only_by_additions() -> None:
    lock = published()
    broken = [
        f"{kind.short} {version.name}: {reason}"
        for kind in catalogue().types
        for version in kind.versions
        if version.name in lock.get(kind.short, {})
        for reason in breaking_changes(lock[kind.short][version.name], version.schema)
    ]
    assert broken == [], (
        "a published schema changed incompatibly; add a new major version instead:\n" + "\n".join(broken)
    )


def test_an_older_major_runs_beside_the_new_one_deprecated_with_a_date() -> None:
    for kind in catalogue().types:
        *older, newest = kind.versions
        assert newest.status == "current", kind.short
        for version in older:
            assert version.status == "deprecated" and version.deprecation_date, f"{kind.short} {version.name}"


def test_the_lock_holds_each_version_as_it_is_now() -> None:
    """A compatible change is published too, so the next change is compared with it."""
    lock = published()
    stale = [
        f"{kind.short} {version.name}"
        for kind in catalogue().types
        for version in kind.versions
        if version.name in lock.get(kind.short, {}) and lock[kind.short][version.name] != version.schema
    ]
    assert stale == [], f"changed since published ({PUBLISH}): {stale}"
