"""What the contract routes serve, built from a catalogue: a new major version beside the old
one, the old one deprecated with its date, in the listing and in the AsyncAPI document; and the
ETags a cache revalidates with."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ioc_core.integration import asyncapi, contract
from ioc_core.integration.catalogue import Catalogue, SchemaVersion, catalogue
from ioc_core.shared.cloudevents import schema_uri

pytestmark = pytest.mark.unit

SHORT = "platform.api_key.created"


def with_a_second_major() -> Catalogue:
    found = catalogue()
    kind = found.get(SHORT)
    assert kind is not None
    (v1,) = kind.versions
    old = SchemaVersion(1, {**v1.schema, "deprecated": True, "x-deprecation-date": "2027-06-30"})
    new = SchemaVersion(2, {**v1.schema, "$id": schema_uri(SHORT, 2)})
    return Catalogue(tuple(replace(t, versions=(old, new)) if t.short == SHORT else t for t in found.types))


def test_the_listing_shows_both_majors_the_old_one_deprecated_with_its_date() -> None:
    listed = {t["type"]: t for t in contract.listing(with_a_second_major())["types"]}

    assert [(v["version"], v["status"], v["deprecation_date"]) for v in listed[SHORT]["versions"]] == [
        ("v1", "deprecated", "2027-06-30"), ("v2", "current", None),
    ]  # fmt: skip
    assert listed[SHORT]["versions"][1]["href"] == f"/api/v1/integration/schemas/{SHORT}/v2"


def test_the_asyncapi_document_has_a_message_for_each_major_the_old_one_marked() -> None:
    messages = asyncapi.build(with_a_second_major())["components"]["messages"]

    old, new = messages[f"{SHORT}.v1"], messages[f"{SHORT}.v2"]
    assert old["x-deprecated"] is True and old["x-deprecation-date"] == "2027-06-30"
    assert "x-deprecated" not in new
    assert new["payload"]["allOf"][1]["properties"]["dataschema"] == {"const": schema_uri(SHORT, 2)}


def test_a_catalogue_whose_old_major_has_no_date_or_whose_newest_is_deprecated_is_refused() -> None:
    found = with_a_second_major()
    kind = found.get(SHORT)
    assert kind is not None
    undated = SchemaVersion(1, {**kind.versions[0].schema, "x-deprecation-date": None})
    broken = Catalogue((replace(kind, versions=(undated,)),))

    assert broken.problems() == [
        f"{SHORT} v1: deprecated without an x-deprecation-date",
        f"{SHORT}: its newest version is deprecated",
    ]


@pytest.mark.parametrize(
    ("sent", "fresh"),
    [(None, False), ("", False), ("*", True), ("SAME", True), ('W/SAME', True), ('"other", SAME', True),
     ('"other"', False)],
)  # fmt: skip
def test_if_none_match_is_read_as_a_list_of_tags(sent: str | None, fresh: bool) -> None:
    document = contract.Document.of({"a": 1})
    if sent:
        sent = sent.replace("SAME", document.etag)
    assert document.fresh_for(sent) is fresh


def test_the_etag_follows_the_content() -> None:
    assert contract.Document.of({"a": 1}).etag == contract.Document.of({"a": 1}).etag
    assert contract.Document.of({"a": 1}).etag != contract.Document.of({"a": 2}).etag
