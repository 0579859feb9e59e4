"""Administrators list and revoke Open311 API keys: the list never holds a key, a revoked key
stops working at once and for good, a second revoke changes nothing, and only they may."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from workflow_client import INSIDE, Session, body

pytestmark = pytest.mark.api


def _open311_submit(session: Session, api_key: str) -> int:
    form = urlencode(
        {"api_key": api_key, "service_code": "sidewalk_damage", "lat": INSIDE[0], "long": INSIDE[1],
         "description": "Vỉa hè vỡ (kiểm thử khoá)"}
    )  # fmt: skip
    answer = session.client.http.post(
        "/open311/v2/requests.json",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    return int(answer.status_code)


def test_keys_are_listed_without_the_key_and_a_revoked_key_stops_working(session: Session) -> None:
    admin = session.staff("quantri")
    created = body(session.call("POST", "/admin/api-keys", {"name": "Cổng dịch vụ công tỉnh"}, token=admin))
    raw, key_id = created["api_key"], created["key_id"]
    assert _open311_submit(session, raw) == 201

    listed = session.call("GET", "/admin/api-keys", token=admin)
    assert listed.status_code == 200 and listed.headers.get("Cache-Control") == "no-store"
    assert raw not in listed.body.decode()
    (mine,) = [k for k in body(listed)["items"] if k["key_id"] == key_id]
    assert mine["name"] == "Cổng dịch vụ công tỉnh" and mine["hint"] == raw[-4:]
    assert mine["active"] is True and mine["created_by"] == "quantri"

    revoked = session.call("POST", f"/admin/api-keys/{key_id}/revoke", token=admin)
    assert revoked.status_code == 200, revoked.body
    first = body(revoked)
    assert first["active"] is False and first["revoked_by"] == "quantri" and first["revoked_datetime"]
    assert _open311_submit(session, raw) in (401, 403)
    again = body(session.call("POST", f"/admin/api-keys/{key_id}/revoke", token=admin))
    assert again == first  # the first revocation stands

    assert session.call("POST", f"/admin/api-keys/{'0' * 64}/revoke", token=admin).status_code == 404
    assert session.call("POST", "/admin/api-keys/not-a-key/revoke", token=admin).status_code in (400, 404)
    operator = session.staff("dieuhanh")
    assert session.call("GET", "/admin/api-keys", token=operator).status_code == 403
    assert session.call("POST", f"/admin/api-keys/{key_id}/revoke", token=operator).status_code == 403
