"""The integration API describes itself, to anyone: a partner reads it before it has credentials."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client

pytestmark = pytest.mark.api


def test_the_integration_api_serves_its_openapi_document_anonymously(integration_client: Client) -> None:
    answer = integration_client.http.get("/api/v1/integration/openapi.json")
    assert answer.status_code == 200
    document = json.loads(answer.body)
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/integration/openapi.json" in document["paths"]


def test_a_method_the_integration_api_lacks_is_a_problem(integration_client: Client) -> None:
    answer = integration_client.http.request("DELETE", "/api/v1/integration/openapi.json")
    assert answer.status_code == 405
    assert answer.headers["Content-Type"].startswith("application/problem+json")
