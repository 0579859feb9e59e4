"""Every app, through the kit: a method one of its routes does not take is a 405 problem
whose Allow lists the route table's methods, in the Chalice app and through the gateway."""

from __future__ import annotations

import http.client
import json
import re

import pytest
from chalice.test import Client

from ioc_core.cameras.api_v1 import TABLE as CAMERAS
from ioc_core.field_reporting.api_v1.openapi import TABLE as FIELD_REPORTING
from ioc_core.identity.api_v1 import TABLE as IDENTITY
from ioc_core.platform.api.routes import RouteTable
from ioc_core.platform.api_v1 import TABLE as OVERVIEW
from ioc_core.settings import Settings
from support import free_port

pytestmark = pytest.mark.api
APPS = {
    "field_reporting_client": FIELD_REPORTING,
    "identity_client": IDENTITY,
    "cameras_client": CAMERAS,
    "overview_client": OVERVIEW,
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "x-1", path)


@pytest.mark.parametrize("fixture", APPS, ids=lambda name: name.removesuffix("_client"))
def test_every_route_answers_a_method_it_does_not_take_with_405_and_allow(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    client, table = request.getfixturevalue(fixture), APPS[fixture]
    routes: dict[str, list[str]] = {}
    for op in table.operations:
        routes.setdefault(op.full_path, []).append(op.method)
    wrong = []
    for path, methods in routes.items():
        for method in (m for m in METHODS if m not in methods):
            answer = client.http.request(method, _concrete(path), body=b"{}")  # no token: 405 first
            allow = answer.headers.get("Allow")
            problem = json.loads(answer.body) if answer.status_code == 405 else {}
            if (answer.status_code, allow) != (405, ", ".join(sorted(methods))) or problem.get(
                "status"
            ) != 405:
                wrong.append(f"{method} {path}: {answer.status_code} Allow={allow} {answer.body[:120]!r}")
    assert not wrong, "\n".join(wrong)


def test_a_method_the_route_takes_is_not_a_405(cameras_client: Client) -> None:
    answer = cameras_client.http.get("/api/v1/cameras/alerts")
    assert answer.status_code == 401  # the route's own rule: sign in


def test_the_local_gateway_passes_the_405_through(stack: Settings) -> None:
    from ioc_core.local.gateway import Gateway
    from ioc_core.rooms import RESOURCES

    cameras = tuple(api for api in RESOURCES.apis if api.name == "cameras-api")
    gateway = Gateway("127.0.0.1", free_port(), cameras)
    gateway.start()
    try:
        host, port = gateway.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("DELETE", "/api/v1/cameras/alerts")
        answer = connection.getresponse()
        problem = json.loads(answer.read())
        connection.close()
    finally:
        gateway.stop()
    assert answer.status == 405 and answer.getheader("Allow") == "GET"
    assert answer.getheader("Content-Type") == "application/problem+json"
    assert problem["status"] == 405 and " / " in problem["detail"]


def test_the_table_names_the_methods_of_each_route() -> None:
    table: RouteTable = CAMERAS
    assert table.methods("/api/v1/cameras") == ("GET", "POST")
    assert table.methods("/api/v1/cameras/{camera_id}/zones") == ("PUT",)
    assert table.methods("/api/v1/cameras/nowhere") == ()
