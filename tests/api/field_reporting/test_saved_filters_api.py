"""/api/v1/me/saved-filters: each staff member's own saved queue filters, on the server."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from workflow_client import Session, body

pytestmark = pytest.mark.api

OVERDUE = {"filters": {"overdue": True, "status": "received,verified"}}


@pytest.fixture
def token(stack: Any) -> Callable[..., str]:
    """``token("operator")``: a staff member's access token (``sub`` ``<role>-<n>``)."""
    from ioc_core.identity.wiring import dev_idp

    def issue(role: str, n: int = 1, groups: list[str] | None = None) -> str:
        provider = dev_idp()
        assert provider is not None
        return provider.issue(f"{role}-{n}", f"{role}.{n}", groups or [role]).access_token

    return issue


def _problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.body
    assert answer.headers["Content-Type"] == "application/problem+json"
    document: dict[str, Any] = body(answer)
    assert " / " in document["detail"]  # Vietnamese and English
    return document


def test_a_saved_filter_is_created_replaced_listed_and_forgotten(
    session: Session, token: Callable[..., str]
) -> None:
    me = token("operator")
    created = session.call("PUT", "/me/saved-filters/Quá hạn", OVERDUE, token=me)
    assert created.status_code == 201, created.body
    assert body(created)["name"] == "Quá hạn"
    assert body(created)["filters"] == {**OVERDUE["filters"], **dict.fromkeys(
        ("q", "ward", "category", "unit", "mine", "sort"))}  # fmt: skip
    assert body(created)["updated_at"].endswith("+07:00")
    replaced = session.call("PUT", "/me/saved-filters/Quá hạn", {"filters": {"mine": True}}, token=me)
    assert replaced.status_code == 200, replaced.body
    listed = session.call("GET", "/me/saved-filters", token=me)
    assert listed.status_code == 200
    assert [(i["name"], i["filters"]["mine"]) for i in body(listed)["items"]] == [("Quá hạn", True)]
    gone = session.call("DELETE", "/me/saved-filters/Quá hạn", token=me)
    assert gone.status_code == 204
    assert body(session.call("GET", "/me/saved-filters", token=me))["items"] == []
    again = session.call("DELETE", "/me/saved-filters/Quá hạn", token=me)
    assert [e["field"] for e in _problem(again, 404)["errors"]] == ["name"]


def test_each_person_sees_only_their_own(session: Session, token: Callable[..., str]) -> None:
    mine, theirs = token("operator", 1), token("operator", 2)
    assert session.call("PUT", "/me/saved-filters/Của tôi", OVERDUE, token=mine).status_code == 201
    assert body(session.call("GET", "/me/saved-filters", token=theirs))["items"] == []
    assert session.call("DELETE", "/me/saved-filters/Của tôi", token=theirs).status_code == 404
    assert len(body(session.call("GET", "/me/saved-filters", token=mine))["items"]) == 1


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_replies_are_never_stored_by_a_cache(
    session: Session, token: Callable[..., str], method: str
) -> None:
    path = "/me/saved-filters" if method == "GET" else "/me/saved-filters/x"
    answer = session.call(method, path, OVERDUE if method == "PUT" else None, token=token("leader"))
    assert answer.status_code < 500
    assert answer.headers["Cache-Control"] == "no-store"


def test_residents_and_the_provincial_system_are_refused(session: Session, token: Callable[..., str]) -> None:
    for who in (session.resident(), token("provincial"), token("admin")):
        for method, path in (("GET", "/me/saved-filters"), ("PUT", "/me/saved-filters/x"),
                             ("DELETE", "/me/saved-filters/x")):  # fmt: skip
            answer = session.call(method, path, OVERDUE if method == "PUT" else None, token=who)
            _problem(answer, 403)
    _problem(session.call("GET", "/me/saved-filters"), 401)


def test_an_open311_api_key_is_no_way_in(session: Session, api_key: str) -> None:
    answer = session.client.http.get(f"/api/v1/me/saved-filters?api_key={api_key}")
    assert answer.status_code == 401
    keyed = session.client.http.get(
        "/api/v1/me/saved-filters", headers={"Authorization": f"Bearer {api_key}"}
    )
    assert keyed.status_code == 401


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"filters": {"colour": "red"}}, "filters.colour"),
        ({"filters": {"status": "lost"}}, "filters.status"),
        ({"filters": {"ward": "x" * 300}}, "filters.ward"),
        ({"filters": {"overdue": "yes"}}, "filters.overdue"),
        ({"filters": []}, "filters"),
        ({}, "filters"),
        ({"filters": {}, "owner": "operator-2"}, "owner"),  # never someone else's
    ],
)
def test_bad_filters_are_a_400_naming_the_field(
    session: Session, token: Callable[..., str], sent: dict[str, Any], field: str
) -> None:
    answer = session.call("PUT", "/me/saved-filters/x", sent, token=token("operator"))
    assert field in [e["field"] for e in _problem(answer, 400)["errors"]]


def test_a_name_over_sixty_characters_is_a_400(session: Session, token: Callable[..., str]) -> None:
    answer = session.call("PUT", f"/me/saved-filters/{'đ' * 61}", OVERDUE, token=token("operator"))
    assert [e["field"] for e in _problem(answer, 400)["errors"]] == ["name"]
    ok = session.call("PUT", f"/me/saved-filters/{'đ' * 60}", OVERDUE, token=token("operator"))
    assert ok.status_code == 201


def test_a_body_that_is_not_json_is_a_400_problem(session: Session, token: Callable[..., str]) -> None:
    headers = {"Authorization": f"Bearer {token('operator')}", "Content-Type": "application/json"}
    answer = session.client.http.put("/api/v1/me/saved-filters/x", headers=headers, body=b"{")
    _problem(answer, 400)
    headers["Content-Type"] = "text/plain"
    _problem(session.client.http.put("/api/v1/me/saved-filters/x", headers=headers, body=b"{}"), 415)


def test_the_thirty_first_is_a_409_naming_the_limit(session: Session, token: Callable[..., str]) -> None:
    me = token("unit_staff", groups=["unit_staff@CSCC"])
    for n in range(30):
        assert session.call("PUT", f"/me/saved-filters/f{n}", OVERDUE, token=me).status_code == 201
    refused = _problem(session.call("PUT", "/me/saved-filters/f30", OVERDUE, token=me), 409)
    assert "30" in refused["detail"]
    assert session.call("PUT", "/me/saved-filters/f7", OVERDUE, token=me).status_code == 200
    assert len(body(session.call("GET", "/me/saved-filters", token=me))["items"]) == 30


def test_the_document_describes_the_routes(session: Session) -> None:
    paths = json.loads(session.call("GET", "/openapi.json").body)["paths"]
    assert {"put", "delete"} <= set(paths["/api/v1/me/saved-filters/{name}"])
    assert "get" in paths["/api/v1/me/saved-filters"]
