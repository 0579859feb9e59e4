"""The event contract over HTTP, to anyone: the catalogue, each schema, the AsyncAPI document;
cacheable, and a problem for what does not exist."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client
from jsonschema import Draft202012Validator

from ioc_core.integration.catalogue import catalogue
from ioc_core.rooms import ROOMS

pytestmark = pytest.mark.api

BASE = "/api/v1/integration"


def _json(answer: Any) -> Any:
    assert answer.status_code == 200, answer.body
    return json.loads(answer.body)


def test_the_catalogue_lists_every_type_the_rooms_emit_with_its_room_versions_and_description(
    integration_client: Client,
) -> None:
    listed = _json(integration_client.http.get(f"{BASE}/schemas"))

    by_type = {t["type"]: t for t in listed["types"]}
    assert by_type.keys() == {short for room in ROOMS for short in room.emits}
    submitted = by_type["field_reporting.report.submitted"]
    assert submitted["room"] == "field_reporting"
    assert submitted["cloudevents_type"] == "vn.gov.lamdong.phanthiet.ioc.field_reporting.report.submitted"
    assert submitted["description"]["vi"] and submitted["description"]["en"]
    assert submitted["versions"] == [
        {
            "version": "v1",
            "status": "current",
            "deprecation_date": None,
            "dataschema": "https://ioc.phanthiet.gov.vn/api/v1/integration/schemas/field_reporting.report.submitted/v1",
            "href": f"{BASE}/schemas/field_reporting.report.submitted/v1",
        }
    ]
    assert listed["asyncapi"] == f"{BASE}/asyncapi.json"


def test_every_listed_schema_link_serves_that_schema(integration_client: Client) -> None:
    listed = _json(integration_client.http.get(f"{BASE}/schemas"))

    for kind in listed["types"]:
        for version in kind["versions"]:
            answer = integration_client.http.get(version["href"])
            assert answer.headers["Content-Type"] == "application/schema+json"
            schema = _json(answer)
            Draft202012Validator.check_schema(schema)
            assert schema["$id"] == version["dataschema"]


def test_a_schema_is_found_by_the_cloudevents_type_too(integration_client: Client) -> None:
    full = "vn.gov.lamdong.phanthiet.ioc.cameras.alert.raised"
    schema = _json(integration_client.http.get(f"{BASE}/schemas/{full}/v1"))
    assert schema["$id"].endswith("/cameras.alert.raised/v1")


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/schemas/field_reporting.report.nothing/v1", "No event type field_reporting.report.nothing"),
        ("/schemas/field_reporting.report.submitted/v9", "has no version v9 (it has v1)"),
        ("/schemas/field_reporting.report.submitted/latest", "has no version latest"),
    ],
)
def test_an_unknown_type_or_version_is_a_404_problem_in_both_languages(
    integration_client: Client, path: str, says: str
) -> None:
    answer = integration_client.http.get(BASE + path)

    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = json.loads(answer.body)
    assert says in problem["detail"] and "không có" in problem["detail"].lower()  # vi / en


@pytest.mark.parametrize("path", ["/schemas", "/schemas/identity.account.registered/v1", "/asyncapi.json"])
def test_the_contract_is_cacheable_and_revalidated_by_etag(integration_client: Client, path: str) -> None:
    first = integration_client.http.get(BASE + path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=3600, stale-while-revalidate=86400"
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = integration_client.http.get(BASE + path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.body == b""
    assert again.headers["ETag"] == etag

    other = integration_client.http.get(BASE + path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref}: the document is self-contained"
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_the_asyncapi_document_has_a_message_per_type_referencing_its_schema(
    integration_client: Client,
) -> None:
    document = _json(integration_client.http.get(f"{BASE}/asyncapi.json"))

    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] and document["info"]["version"]
    for ref in _refs(document):
        _resolve(document, ref)  # every reference resolves inside the document
    components = document["components"]
    stream = document["channels"]["events"]["messages"]
    pushed = document["channels"]["webhookDeliveries"]["messages"]
    for kind in catalogue().types:
        for version in kind.versions:
            name = f"{kind.short}.{version.name}"
            message = _resolve(document, stream[name]["$ref"])
            assert message["name"] == kind.type
            envelope, specific = message["payload"]["allOf"]
            assert envelope == {"$ref": "#/components/schemas/CloudEvent"}
            assert specific["properties"]["type"] == {"const": kind.type}
            assert specific["properties"]["dataschema"] == {"const": version.schema["$id"]}
            assert _resolve(document, specific["properties"]["data"]["$ref"]) == version.schema
            webhook = _resolve(document, pushed[f"{name}.webhook"]["$ref"])
            assert webhook["headers"] == {"$ref": "#/components/schemas/StandardWebhooksHeaders"}
    headers = components["schemas"]["StandardWebhooksHeaders"]["required"]
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= set(headers)
    assert {op["channel"]["$ref"] for op in document["operations"].values()} == {
        "#/channels/events", "#/channels/webhookDeliveries",
    }  # fmt: skip
    Draft202012Validator.check_schema(components["schemas"]["CloudEvent"])


def test_the_integration_openapi_document_lists_the_contract_routes(integration_client: Client) -> None:
    paths = _json(integration_client.http.get(f"{BASE}/openapi.json"))["paths"]

    assert {
        f"{BASE}/schemas",
        f"{BASE}/schemas/{{event_type}}/{{version}}",
        f"{BASE}/asyncapi.json",
    } <= paths.keys()
    assert {} in paths[f"{BASE}/schemas"]["get"]["security"]  # no token needed
