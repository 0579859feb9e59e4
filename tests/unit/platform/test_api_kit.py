"""The API kit on a probe app: 405 with Allow from the route table, cursors bound to their
list, filters and caller, and versions read from If-Match or the body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice import Chalice, Response
from chalice.test import Client

from ioc_core.identity.errors import Unauthenticated
from ioc_core.identity.principal import ANONYMOUS, Principal
from ioc_core.platform.access import Grant
from ioc_core.platform.api import http
from ioc_core.platform.api.routes import Operation, Reply, RouteTable, needs
from ioc_core.platform.api.wire import WireRequest

pytestmark = pytest.mark.unit

PREFIX = "/api/v1/probe"
OPERATOR = needs("field_reporting.reports.triage")  # an operator's
A_PAGE = {200: Reply("A page")}
TABLE = RouteTable(
    PREFIX,
    (
        Operation("GET", "/probe/items", "listItems", "List", "probe", A_PAGE, access=OPERATOR),
        Operation("POST", "/probe/items", "addItem", "Add", "probe", {201: Reply("Added")}, access=OPERATOR),
        Operation("GET", "/probe/{box}/items", "listBox", "List one box", "probe", A_PAGE, access=OPERATOR),
        Operation(
            "PUT", "/probe/items/{item_id}", "putItem", "Change", "probe", {200: Reply("Changed")},
            access=OPERATOR, if_match=True,
        ),
    ),
)  # fmt: skip
CALLERS = {
    "Bearer op-1": Principal("op-1", frozenset({Grant("operator")})),
    "Bearer op-2": Principal("op-2", frozenset({Grant("operator")})),
}
ASKED: list[str | None] = []  # the page tokens the probe's "repository" was asked for


def _authenticate(authorization: str | None) -> Principal:
    if authorization is None:
        return ANONYMOUS
    if authorization not in CALLERS:
        raise Unauthenticated("bad token")
    return CALLERS[authorization]


class Change(WireRequest):
    name: str
    version: int | None = None


def _page() -> Response:
    token = http.cursor(http.query_params().get("cursor"))
    ASKED.append(token)
    following = str(int(token or "0") + 1)  # the repository's own token: the next page number
    return Response(body={"page": token, "next_cursor": http.next_cursor(following)})


def _probe() -> Chalice:
    app = Chalice(app_name="probe")
    http.install(app, TABLE, authenticate=_authenticate)

    @app.route(f"{PREFIX}/items", methods=["GET"])
    @http.problem_json
    def list_items() -> Response:
        return _page()

    @app.route(f"{PREFIX}/{{box}}/items", methods=["GET"])
    @http.problem_json
    def list_box(box: str) -> Response:
        return _page()

    @app.route(f"{PREFIX}/items", methods=["POST"], content_types=http.ANY_BODY)
    @http.problem_json
    def add_item() -> Response:
        return Response(body={}, status_code=201)

    @app.route(f"{PREFIX}/items/{{item_id}}", methods=["PUT"], content_types=http.ANY_BODY)
    @http.problem_json
    def put_item(item_id: str) -> Response:
        change = http.body(Change)
        if http.query_params().get("required"):
            return Response(body={"version": http.required_version(change)}, headers=http.etag(4))
        return Response(body={"version": http.expected_version(change)}, headers=http.etag(4))

    return app


@pytest.fixture
def client() -> Iterator[Client]:
    ASKED.clear()
    with Client(_probe(), stage_name="local") as probe:
        yield probe


def _as(caller: str = "op-1", **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {caller}", "Content-Type": "application/json", **extra}


def _json(answer: Any) -> Any:
    return json.loads(answer.body)


# -- 405 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/items", "GET, POST"),
        ("PUT", "/items", "GET, POST"),
        ("PATCH", "/items", "GET, POST"),
        ("GET", "/items/i-1", "PUT"),
        ("POST", "/box-a/items", "GET"),
    ],
)
def test_a_method_the_route_does_not_take_is_a_405_with_allow(
    client: Client, method: str, path: str, allow: str
) -> None:
    answer = client.http.request(method, PREFIX + path, headers=_as(), body=b"{}")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == allow
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = _json(answer)
    assert problem["status"] == 405 and problem["type"].endswith("/method-not-allowed")
    assert method in problem["detail"] and " / " in problem["detail"]


def test_the_405_comes_before_any_sign_in(client: Client) -> None:
    """Whether a method exists is the route's, not the caller's: no token, a bad one, same 405."""
    for headers in ({}, {"Authorization": "Bearer forged"}):
        answer = client.http.request("DELETE", f"{PREFIX}/items", headers=headers)
        assert answer.status_code == 405 and answer.headers["Allow"] == "GET, POST"


def test_a_method_the_route_takes_still_checks_the_caller(client: Client) -> None:
    assert client.http.get(f"{PREFIX}/items").status_code == 401
    assert client.http.get(f"{PREFIX}/items", headers=_as()).status_code == 200


# -- cursors ------------------------------------------------------------------------------------


def _next(client: Client, path: str, caller: str = "op-1") -> str:
    answer = client.http.get(PREFIX + path, headers=_as(caller))
    assert answer.status_code == 200, answer.body
    return str(_json(answer)["next_cursor"])


def test_paging_follows_the_cursors_the_api_signed(client: Client) -> None:
    first = _next(client, "/items?status=open")
    assert first != "1"  # opaque: not the repository's token
    second = _next(client, f"/items?status=open&cursor={first}")
    third = _json(client.http.get(f"{PREFIX}/items?status=open&cursor={second}", headers=_as()))
    assert ASKED == [None, "1", "2"] and third["page"] == "2"


def test_the_page_size_may_change_between_pages(client: Client) -> None:
    first = _next(client, "/items?status=open&limit=10")
    answer = client.http.get(f"{PREFIX}/items?status=open&limit=50&cursor={first}", headers=_as())
    assert answer.status_code == 200 and _json(answer)["page"] == "1"


@pytest.mark.parametrize(
    ("issued", "replayed", "caller"),
    [
        ("/items?status=open", "/items?status=closed", "op-1"),  # other filters
        ("/items?status=open", "/items", "op-1"),  # a filter dropped
        ("/items", "/items?ward=22945", "op-1"),  # a filter added
        ("/items", "/items", "op-2"),  # another caller
        ("/items", "/box-a/items", "op-1"),  # another list
        ("/box-a/items", "/box-b/items", "op-1"),  # the same list of another resource
    ],
)
def test_a_foreign_cursor_is_a_400_and_the_repository_is_never_asked(
    client: Client, issued: str, replayed: str, caller: str
) -> None:
    cursor = _next(client, issued)
    ASKED.clear()
    joiner = "&" if "?" in replayed else "?"
    answer = client.http.get(f"{PREFIX}{replayed}{joiner}cursor={cursor}", headers=_as(caller))
    assert answer.status_code == 400, answer.body
    problem = _json(answer)
    assert [e["field"] for e in problem["errors"]] == ["cursor"] and " / " in problem["detail"]
    assert ASKED == []


@pytest.mark.parametrize("forged", ["MQ", "eyJrIjoxfQ", "A" * 80])
def test_a_forged_cursor_is_a_400_and_the_repository_is_never_asked(client: Client, forged: str) -> None:
    answer = client.http.get(f"{PREFIX}/items?cursor={forged}", headers=_as())
    assert answer.status_code == 400
    assert _json(answer)["errors"][0]["field"] == "cursor"
    assert ASKED == []


# -- versions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("if_match", "body", "version"),
    [
        ('"3"', {}, 3),
        ('W/"3"', {}, 3),
        ("3", {}, 3),
        (None, {"version": 5}, 5),
        ('"3"', {"version": 5}, 3),  # If-Match wins
        (None, {}, None),
    ],
)
def test_the_version_comes_from_if_match_or_the_body(
    client: Client, if_match: str | None, body: dict[str, int], version: int | None
) -> None:
    headers = _as(**({"If-Match": if_match} if if_match else {}))
    answer = client.http.put(f"{PREFIX}/items/i-1", headers=headers, body=json.dumps({"name": "x", **body}))
    assert answer.status_code == 200, answer.body
    assert _json(answer)["version"] == version
    assert answer.headers["ETag"] == '"4"'


def test_a_malformed_if_match_is_a_400_naming_it(client: Client) -> None:
    headers = _as(**{"If-Match": '"three"'})
    answer = client.http.put(f"{PREFIX}/items/i-1", headers=headers, body='{"name": "x"}')
    assert answer.status_code == 400 and _json(answer)["errors"][0]["field"] == "If-Match"


def test_a_route_that_requires_a_version_is_a_428_without_one(client: Client) -> None:
    path = f"{PREFIX}/items/i-1?required=1"
    missing = client.http.put(path, headers=_as(), body='{"name": "x"}')
    assert missing.status_code == 428 and " / " in _json(missing)["detail"]
    given = client.http.put(path, headers=_as(**{"If-Match": '"7"'}), body='{"name": "x"}')
    assert given.status_code == 200 and _json(given)["version"] == 7
