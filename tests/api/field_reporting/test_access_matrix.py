"""The whole route × role matrix: every /api/v1 operation of the route table, called by
every role and by nobody, answers 401/403 exactly when its row says so."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ioc_core.field_reporting.api_v1 import openapi
from ioc_core.identity.principal import Role
from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api


CALLERS: dict[str, str | None] = {
    "anonymous": None,
    Role.RESIDENT.value: "resident",
    Role.OPERATOR.value: "dieuhanh",
    Role.UNIT_STAFF.value: "cscc",
    Role.LEADER.value: "lanhdao",
    Role.ADMIN.value: "quantri",
    Role.PROVINCIAL.value: "tinh",
}


def _token(session: Session, caller: str) -> str | None:
    name = CALLERS[caller]
    if name is None:
        return None
    return session.resident() if name == "resident" else session.staff(name)


def _report_in_scope(session: Session) -> str:
    """A report of the resident's, assigned to the unit staff's unit (CSCC)."""
    created = session.call(
        "POST", "/reports",
        {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn tắt"},
        token=session.resident(),
    )  # fmt: skip
    assert created.status_code == 201, created.body
    report_id = body(created)["id"]
    operator = session.staff("dieuhanh")
    verified = session.call("POST", f"/workflow/reports/{report_id}/verify", {"version": 1}, token=operator)
    assert verified.status_code == 200, verified.body
    assigned = session.call(
        "POST", f"/workflow/reports/{report_id}/assign", {"unit": "CSCC", "version": 2}, token=operator
    )
    assert assigned.status_code == 200, assigned.body
    return str(report_id)


def _path(op: Any, report_id: str) -> str:
    path = op.path.replace("{report_id}", report_id).replace("{notification_id}", "nope")
    if op.path == "/photos/{photo_id}":
        path = "/photos/" + "0" * 32
    assert not re.search(r"\{", path), path
    return path


def test_every_route_answers_every_role_as_its_rule_says(session: Session) -> None:
    report_id = _report_in_scope(session)
    wrong: list[str] = []
    for op in openapi.OPERATIONS:
        path = _path(op, report_id)
        for caller in CALLERS:
            token = _token(session, caller)
            answer = session.call(op.method, path, {} if op.body else None, token=token)
            if caller == "anonymous":
                expected_denied = 401 if not op.access.anonymous else None
            else:
                expected_denied = None if Role(caller) in op.access.roles else 403
            got = answer.status_code
            if expected_denied is None and got in (401, 403):
                wrong.append(f"{op.method} {op.path} as {caller}: {got} {answer.body[:160]!r}")
            if expected_denied is not None and got != expected_denied:
                wrong.append(f"{op.method} {op.path} as {caller}: {got}, expected {expected_denied}")
    assert not wrong, "\n".join(wrong)


def test_the_route_table_covers_every_api_route(session: Session) -> None:
    app = session.client._app
    routed = {(m, p) for p, entries in app.routes.items() if p.startswith(openapi.PREFIX) for m in entries}
    table = {(op.method, op.full_path) for op in openapi.OPERATIONS}
    assert routed == table
    for op in openapi.OPERATIONS:
        assert op.access.roles or op.access.anonymous, op.operation_id
