"""Schemathesis against the mobile API's own OpenAPI document, sent through the Chalice test
client (no HTTP server): whatever is generated, valid or not, the answer is never a 5xx and
is exactly what the document says (status, content type, headers, body schema)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import requests
import schemathesis
from chalice.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ioc_core.field_reporting.api_v1 import openapi

pytestmark = pytest.mark.api

BASE_URL = "http://ioc.test"
EXAMPLES_PER_MODE = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
DOCUMENT = openapi.document()
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def modes(operation: Any) -> list[GenerationMode]:
    """Negative data needs something to break: a parameter or a body."""
    spec = DOCUMENT["paths"][operation.path][operation.method.lower()]
    if spec["parameters"] or "requestBody" in spec:
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def send(client: Client, case: Any) -> Response:
    """The case as the Chalice test client request, its answer as schemathesis reads it."""
    kwargs = case.as_transport_kwargs(base_url=BASE_URL)
    url = urlsplit(kwargs["url"])
    query = urlencode(kwargs.get("params") or {}, doseq=True)
    path = url.path + (f"?{query}" if query else "")
    headers = {k: str(v) for k, v in (kwargs.get("headers") or {}).items()}
    if "json" in kwargs:
        body = json.dumps(kwargs["json"]).encode()
        headers.setdefault("Content-Type", "application/json")
    else:
        raw = kwargs.get("data") or b""
        body = raw.encode() if isinstance(raw, str) else raw
    started = time.perf_counter()
    answer = client.http.request(kwargs["method"], path, headers=headers, body=body)
    elapsed = time.perf_counter() - started
    prepared = requests.Request(kwargs["method"], BASE_URL + path, headers=headers, data=body).prepare()
    return Response(
        status_code=answer.status_code,
        headers={name.lower(): [value] for name, value in answer.headers.items()},
        content=answer.body,
        request=prepared,
        elapsed=elapsed,
        verify=True,
    )


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_every_operation_answers_as_documented(field_reporting_client: Client, operation: Any) -> None:
    for mode in modes(operation):

        @settings(
            max_examples=EXAMPLES_PER_MODE,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def answers_as_documented(case: Any) -> None:
            case.validate_response(send(field_reporting_client, case), checks=CHECKS)

        answers_as_documented()


def test_the_document_covers_every_operation() -> None:
    assert len(OPERATIONS) == len(openapi.OPERATIONS)
