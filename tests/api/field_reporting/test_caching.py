"""Replies for one signed-in caller are never stored by a browser or a proxy (issue 10)."""

from __future__ import annotations

import pytest

from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api


def test_personal_and_staff_replies_carry_no_store(session: Session) -> None:
    resident = session.resident()
    created = session.call(
        "POST", "/reports", {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1]}, token=resident
    )
    assert created.status_code == 201, created.body
    report_id = body(created)["id"]
    operator, admin = session.staff("dieuhanh"), session.staff("quantri")
    private = [
        ("GET", "/me", None, resident),
        ("GET", "/me/reports", None, resident),
        ("GET", "/me/follows", None, resident),
        ("GET", f"/me/reports/{report_id}", None, resident),
        ("GET", f"/workflow/reports/{report_id}", None, operator),
        ("GET", "/notifications/log", None, operator),
        ("POST", "/admin/api-keys", {"name": "Cổng dịch vụ công tỉnh"}, admin),
    ]
    for method, path, sent, token in private:
        answer = session.call(method, path, sent, token=token)
        assert answer.status_code in (200, 201), (path, answer.body)
        assert answer.headers.get("Cache-Control") == "no-store", (path, answer.headers)
    public = session.call("GET", "/stats/field-reporting")
    assert public.status_code == 200 and public.headers.get("Cache-Control") != "no-store"
