"""The administrator's roles console: the catalogue, the staff list, and grants that the
account's next token carries (a unit's staff given a second unit sees its queue)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from workflow_client import Session, body

pytestmark = pytest.mark.api


def test_the_catalogue_names_every_room_s_roles_and_what_they_permit(session: Session) -> None:
    answer = session.call("GET", "/auth/roles", token=session.staff("cscc"))
    assert answer.status_code == 200, answer.body
    catalogue = body(answer)
    roles = {r["name"]: r for r in catalogue["roles"]}
    assert {
        "operator",
        "leader",
        "admin",
        "unit_staff",
        "ward_leader",
        "resident",
        "provincial",
    } <= roles.keys()
    assert roles["unit_staff"]["scope"] == "unit" and roles["ward_leader"]["scope"] == "ward"
    assert "field_reporting.reports.work" in roles["unit_staff"]["permissions"]
    assert "cameras.alerts.handle" in roles["operator"]["permissions"]
    assert roles["leader"]["title"] == {"vi": "Lãnh đạo", "en": "Leader"}
    assert {"CSCC", "MTDT", "UBND_22945"} <= {u["code"] for u in catalogue["units"]}
    assert "22945" in {w["code"] for w in catalogue["wards"]}


def test_a_second_unit_granted_reaches_the_account_s_next_token(session: Session) -> None:
    admin = session.staff("quantri")
    listed = body(session.call("GET", "/auth/staff", token=admin))
    assert listed["source"] == "dev-idp"
    cscc = next(u for u in listed["users"] if u["username"] == "cscc")
    assert cscc["grants"] == [{"role": "unit_staff", "scope": "CSCC"}]
    chair = next(u for u in listed["users"] if u["username"] == "chutich-phanthiet")
    assert len(chair["grants"]) == 2  # one account, two roles

    before = session.staff("cscc")
    denied = session.call("GET", "/workflow/reports?unit=MTDT", token=before)
    assert denied.status_code == 403

    grants = [{"role": "unit_staff", "scope": "CSCC"}, {"role": "unit_staff", "scope": "MTDT"}]
    put = session.call("PUT", "/auth/staff/cscc/grants", {"grants": grants}, token=admin)
    assert put.status_code == 200, put.body
    assert body(put)["grants"] == grants

    after = _refresh(session, "cscc")
    me = body(session.call("GET", "/me", token=after))
    assert me["grants"] == grants and "field_reporting.reports.work" in me["permissions"]
    assert session.call("GET", "/workflow/reports?unit=MTDT", token=after).status_code == 200
    assert session.call("GET", "/workflow/reports?unit=QLDT", token=after).status_code == 403


def _refresh(session: Session, username: str) -> str:
    refresh = session.refresh_tokens[username]
    answer = session.call("POST", "/auth/refresh", {"refresh_token": refresh})
    assert answer.status_code == 200, answer.body
    return str(json.loads(answer.body)["access_token"])


def test_bad_grants_are_a_400_problem_and_change_nothing(session: Session) -> None:
    admin = session.staff("quantri")
    answer = session.call(
        "PUT", "/auth/staff/cscc/grants", {"grants": [{"role": "unit_staff", "scope": "NOPE"}]}, token=admin
    )
    assert answer.status_code == 400
    problem: dict[str, Any] = body(answer)
    assert problem["errors"][0]["field"] == "grants[0].scope", problem
    listed = body(session.call("GET", "/auth/staff", token=admin))
    assert next(u for u in listed["users"] if u["username"] == "cscc")["grants"] == [
        {"role": "unit_staff", "scope": "CSCC"}
    ]
    last = session.call("PUT", "/auth/staff/quantri/grants", {"grants": [{"role": "operator"}]}, token=admin)
    assert last.status_code == 409
    assert session.call("PUT", "/auth/staff/nobody/grants", {"grants": []}, token=admin).status_code == 404
