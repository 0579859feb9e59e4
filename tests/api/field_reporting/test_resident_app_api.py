"""What the resident app asks of the API (issue 11): open reports nearby before sending, and
following one instead; the public list of recent reports for its first page and map; a report
found whatever the case of its id; a retried submission (the phone's outbox) stored once; and
no staff username in anything a resident reads."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api

NEARBY = f"/nearby-reports?service_code=street_light_out&lat={INSIDE[0]}&long={INSIDE[1]}"
PHONE, NEIGHBOUR = "0912345678", "0987654321"
PROBLEM = "application/problem+json"


def submit(session: Session, phone: str | None = PHONE, **extra: Any) -> str:
    report = {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn đường tắt", **extra}
    answer = session.call("POST", "/reports", report, token=session.resident(phone) if phone else None)
    assert answer.status_code == 201, answer.body
    return str(body(answer)["id"])


def staff(session: Session, report_id: str, action: str, **payload: Any) -> dict[str, Any]:
    token = session.staff("dieuhanh")
    version = body(session.call("GET", f"/workflow/reports/{report_id}", token=token))["version"]
    moved = session.call(
        "POST", f"/workflow/reports/{report_id}/{action}", {**payload, "version": version}, token=token
    )
    assert moved.status_code == 200, moved.body
    return dict(body(moved))


def test_nearby_reports_say_what_and_where_with_the_words_masked(session: Session) -> None:
    report_id = submit(session, description="Đèn tắt cả tuần, gọi tôi 0912 345 678")
    answer = session.call("GET", NEARBY)
    assert answer.status_code == 200, answer.body
    found = body(answer)
    item = next(i for i in found["items"] if i["id"] == report_id)
    assert item["service"] == {"code": "street_light_out", "name": item["service"]["name"]}
    assert item["service"]["name"]["vi"] and item["ward"]["code"] == "22945"
    assert (item["lat"], item["long"]) == INSIDE and item["distance_m"] == 0.0
    assert item["description"] == "Đèn tắt cả tuần, gọi tôi •••78"
    assert "345 678" not in answer.body.decode("utf-8") and "+84" not in answer.body.decode("utf-8")
    assert found["radius_m"] > 0 and found["window_hours"] > 0


def test_a_resident_follows_an_open_report_instead_of_sending_theirs(session: Session) -> None:
    report_id = submit(session)
    neighbour = session.resident(NEIGHBOUR)
    assert session.call("GET", f"/me/reports/{report_id}", token=neighbour).status_code == 403

    followed = session.call("POST", f"/reports/{report_id.lower()}/follow", token=neighbour)
    assert followed.status_code == 200, followed.body
    view = body(followed)
    assert view["id"] == report_id and followed.headers["ETag"] == f'"{view["version"]}"'
    assert "withdraw" not in view["allowed_actions"]  # a follower, not the reporter
    again = session.call("POST", f"/reports/{report_id}/follow", token=neighbour)
    assert again.status_code == 200 and body(again)["version"] == view["version"]
    assert session.call("GET", f"/me/reports/{report_id}", token=neighbour).status_code == 200

    operator = session.staff("dieuhanh")
    detail = body(session.call("GET", f"/workflow/reports/{report_id}", token=operator))
    assert detail["followers"] == 1
    # Staff and the public are no followers; an unknown report is a 404, a closed one a 409.
    assert session.call("POST", f"/reports/{report_id}/follow", token=operator).status_code == 403
    assert session.call("POST", f"/reports/{report_id}/follow").status_code == 401
    missing = session.call("POST", "/reports/PT-NOPE0000/follow", token=neighbour)
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith(PROBLEM)
    closed = submit(session)
    staff(session, closed, "reject", reason="false_report", note="Không đúng")
    refused = session.call("POST", f"/reports/{closed}/follow", token=neighbour)
    assert refused.status_code == 409 and refused.headers["Content-Type"].startswith(PROBLEM)
    assert "closed" in body(refused)["detail"]


def test_followed_reports_are_listed_on_another_device_latest_first(session: Session) -> None:
    first, second = submit(session), submit(session)
    phone = session.resident(NEIGHBOUR)
    assert body(session.call("GET", "/me/follows", token=phone))["items"] == []
    for report_id in (first, second, first):  # following again changes nothing
        assert session.call("POST", f"/reports/{report_id}/follow", token=phone).status_code == 200
    session.tokens.pop(f"resident:{NEIGHBOUR}")  # the same resident signs in on another phone
    laptop = session.resident(NEIGHBOUR)
    assert laptop != phone
    listed = session.call("GET", "/me/follows", token=laptop)
    assert listed.status_code == 200 and listed.headers["Cache-Control"] == "no-store"
    items = body(listed)["items"]
    assert [i["id"] for i in items] == [second, first]
    assert all(i["following"] for i in items) and "withdraw" not in items[0]["allowed_actions"]
    assert "reporter" not in items[0] and "phone" not in json.dumps(items)
    latest = body(session.call("GET", "/me/follows?limit=1", token=laptop))["items"]
    assert [i["id"] for i in latest] == [second]
    # What they follow is not what they sent; the reporter follows nothing.
    mine = body(session.call("GET", "/me/reports", token=laptop))["items"]
    assert {first, second}.isdisjoint(i["id"] for i in mine)
    assert body(session.call("GET", "/me/follows", token=session.resident()))["items"] == []
    bad = session.call("GET", "/me/follows?limit=0", token=laptop)
    assert bad.status_code == 400 and bad.headers["Content-Type"].startswith(PROBLEM)
    assert session.call("GET", "/me/follows").status_code == 401
    assert session.call("GET", "/me/follows", token=session.staff("dieuhanh")).status_code == 403


def test_a_report_is_found_whatever_the_case_of_its_id(session: Session) -> None:
    report_id = submit(session)
    public = session.call("GET", f"/reports/{report_id.lower()}")
    assert public.status_code == 200 and body(public)["id"] == report_id
    own = session.call("GET", f"/me/reports/{report_id.lower()}", token=session.resident(PHONE))
    assert own.status_code == 200 and body(own)["id"] == report_id
    assert session.call("GET", "/reports/pt-nope0000").status_code == 404


def test_the_public_list_shows_recent_reports_without_personal_data(session: Session) -> None:
    shown = submit(session, description="Đèn tắt, email tôi lan@example.vn", contact={"first_name": "Lan"})
    anonymous = submit(session, phone=None)
    rejected = submit(session)
    staff(session, rejected, "reject", reason="false_report", note="Không đúng")
    answer = session.call("GET", "/reports?limit=200")
    assert answer.status_code == 200, answer.body
    listed = body(answer)
    ids = [i["id"] for i in listed["items"]]
    assert shown in ids and anonymous in ids and rejected not in ids
    assert listed["total"] == len(ids) and (listed["days"], listed["limit"]) == (30, 200)
    item = next(i for i in listed["items"] if i["id"] == shown)
    assert item["description"] == "Đèn tắt, email tôi •••@•••"
    assert set(item) == {
        "id", "service", "status", "ward", "lat", "long", "requested_datetime", "updated_datetime",
        "description",
    }  # fmt: skip
    text = answer.body.decode("utf-8")
    assert all(word not in text for word in ("lan@example.vn", 'Lan"', "+84", "account"))

    capped = body(session.call("GET", "/reports?limit=1"))
    assert len(capped["items"]) == 1 and capped["total"] == listed["total"]
    for bad in ("limit=0", "limit=201", "days=91", "service=nope", "ward=x"):
        refused = session.call("GET", f"/reports?{bad}")
        assert refused.status_code == 400, bad
        assert refused.headers["Content-Type"].startswith(PROBLEM)


def test_the_phones_outbox_sending_again_stores_one_report(session: Session) -> None:
    """The app sends a report kept offline with the key it made when it was written: a retry
    after a lost reply (or a second tab) is the same report."""
    token = session.resident(PHONE)
    key = {"Idempotency-Key": f"outbox-{uuid.uuid4()}"}
    report = {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Gửi khi có mạng"}
    first = session.call("POST", "/reports", report, token=token, **key)
    again = session.call("POST", "/reports", report, token=token, **key)
    assert (first.status_code, again.status_code) == (201, 200), again.body
    assert body(first)["id"] == body(again)["id"] and again.headers["Idempotent-Replayed"] == "true"
    listed = body(session.call("GET", "/reports?limit=200"))["items"]
    assert [i["id"] for i in listed if i["description"] == "Gửi khi có mạng"] == [body(first)["id"]]


def test_residents_read_the_unit_never_a_staff_username(session: Session) -> None:
    report_id = submit(session)
    staff(session, report_id, "verify", note="Đã xem", unit="CSCC")
    own = session.call("GET", f"/me/reports/{report_id}", token=session.resident(PHONE))
    public = session.call("GET", f"/reports/{report_id}")
    history = body(own)["history"]
    assert all(step["actor"] is None for step in history)
    assert [step["unit"]["name"]["vi"] for step in history if step["unit"]] != []
    for answer in (own, public):
        assert "dieuhanh" not in answer.body.decode("utf-8")
