"""The workflow through the API with real tokens: verify, route and re-route (transfers),
work, resolve with an after-photo, rate, dispute, withdraw, ask and answer (the SLA clock
pauses), merge duplicates, optimistic locking, scope and privacy of public photos."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests

from workflow_client import INSIDE, STREET_LIGHT, Session, body

pytestmark = pytest.mark.api


def jpeg_with_gps(fmt: str = "JPEG") -> bytes:
    from PIL import Image

    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image = Image.new("RGB", (8, 8), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (10.0, 55.0, 40.0), "E", (108.0, 6.0, 7.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def upload(session: Session, data: bytes, content_type: str, token: str | None = None) -> str:
    ticket = body(session.call("POST", "/uploads", {"content_type": content_type}, token=token))
    stored = requests.post(
        ticket["url"], data=ticket["fields"], files={"file": ("p", data, content_type)}, timeout=10
    )
    assert stored.status_code in (200, 201, 204), stored.text
    return str(ticket["key"])


def submit(session: Session, phone: str = "0912345678", **extra: Any) -> dict[str, Any]:
    report = {**STREET_LIGHT, "lat": INSIDE[0], "long": INSIDE[1], "description": "Đèn đường tắt", **extra}
    answer = session.call("POST", "/reports", report, token=session.resident(phone))
    assert answer.status_code == 201, answer.body
    return dict(body(answer))


def act(
    session: Session, who: str, report_id: str, action: str, payload: dict[str, Any], version: int
) -> Any:
    token = session.staff(who)
    return session.call(
        "POST",
        f"/workflow/reports/{report_id}/{action}",
        payload,
        token=token,
        **{"If-Match": f'"{version}"'},
    )


def mine(
    session: Session, report_id: str, action: str, payload: dict[str, Any], phone: str = "0912345678"
) -> Any:
    token = session.resident(phone)
    current = body(session.call("GET", f"/me/reports/{report_id}", token=token))
    return session.call(
        "POST", f"/me/reports/{report_id}/{action}", {**payload, "version": current["version"]}, token=token
    )


def test_the_whole_life_of_a_report(session: Session) -> None:
    report_id = submit(session)["id"]
    operator = session.staff("dieuhanh")

    queue = body(session.call("GET", "/workflow/reports?status=received", token=operator))
    assert report_id in [i["id"] for i in queue["items"]]
    detail = body(session.call("GET", f"/workflow/reports/{report_id}", token=operator))
    assert detail["allowed_actions"] == ["verify", "reject", "request_info", "merge", "note"]
    assert detail["contact"]["phone"] == "+84912345678"  # the operator may call back
    assert detail["unit"]["code"] == "CSCC"  # routed from the catalogue
    assert [c["clock"] for c in detail["clocks"]] == ["verify"]

    no_version = session.call("POST", f"/workflow/reports/{report_id}/verify", {}, token=operator)
    assert no_version.status_code == 428
    stale = act(session, "dieuhanh", report_id, "verify", {}, version=7)
    assert stale.status_code == 409
    assert body(stale)["current_version"] == 1 and body(stale)["allowed_actions"][0] == "verify"

    verified = act(session, "dieuhanh", report_id, "verify", {"note": "Đúng phản ánh"}, 1)
    assert verified.status_code == 200 and verified.headers["ETag"] == '"2"'
    assert [c["clock"] for c in body(verified)["clocks"]] == ["verify", "resolve"]
    illegal = act(session, "dieuhanh", report_id, "verify", {}, 2)
    assert illegal.status_code == 409 and "allowed" in body(illegal)["detail"]

    assert act(session, "dieuhanh", report_id, "assign", {"unit": "QLDT"}, 2).status_code == 200
    rerouted = body(act(session, "dieuhanh", report_id, "assign", {"unit": "CSCC", "note": "Đèn: CSCC"}, 3))
    assert rerouted["transfers"] == 1 and rerouted["unit"]["code"] == "CSCC"
    assert act(session, "dieuhanh", report_id, "assign", {"unit": "NOPE"}, 4).status_code == 400

    qldt = session.staff("qldt")
    assert session.call("GET", f"/workflow/reports/{report_id}", token=qldt).status_code == 403
    cscc_queue = body(session.call("GET", "/workflow/reports", token=session.staff("cscc")))
    assert [i["id"] for i in cscc_queue["items"]] == [report_id]
    assert session.call("GET", "/workflow/reports?unit=QLDT", token=session.staff("cscc")).status_code == 403

    assert act(session, "cscc", report_id, "start", {}, 4).status_code == 200
    no_photo = act(
        session,
        "cscc",
        report_id,
        "resolve",
        {"note": "Đã thay bóng", "after_photo": "uploads/" + "0" * 32},
        5,
    )
    assert no_photo.status_code == 400
    photo = upload(session, jpeg_with_gps(), "image/jpeg", token=session.staff("cscc"))
    resolved = body(
        act(session, "cscc", report_id, "resolve", {"note": "Đã thay bóng", "after_photo": photo}, 5)
    )
    assert resolved["status"]["code"] == "resolved" and resolved["resolution_note"] == "Đã thay bóng"
    assert len(resolved["after_photos"]) == 1
    steps = [(s["action"], s["actor"]) for s in resolved["history"]]
    assert steps[-1] == ("resolve", "unit_staff:cscc")

    rated = mine(session, report_id, "rate", {"score": 5, "comment": "Cảm ơn"})
    assert rated.status_code == 200 and body(rated)["my_rating"]["score"] == 5
    disputed = mine(session, report_id, "dispute", {"comment": "Đèn lại tắt"})
    assert disputed.status_code == 200 and body(disputed)["status"]["code"] == "reopened"
    assert (
        "start"
        in body(session.call("GET", f"/workflow/reports/{report_id}", token=session.staff("cscc")))[
            "allowed_actions"
        ]
    )

    public = body(session.client.http.get(f"/api/v1/reports/{report_id}"))
    assert "contact" not in public and all("actor" not in h for h in public["history"])


def test_a_resident_sees_only_their_own_and_withdraws_it(session: Session) -> None:
    report_id = submit(session)["id"]
    other = session.resident("0987654321")
    assert session.call("GET", f"/me/reports/{report_id}", token=other).status_code == 403
    listed = body(session.call("GET", "/me/reports", token=session.resident()))
    assert [i["id"] for i in listed["items"]] == [report_id]
    assert listed["items"][0]["allowed_actions"] == ["withdraw"]
    withdrawn = mine(session, report_id, "withdraw", {"reason": "reported_by_mistake"})
    assert withdrawn.status_code == 200 and body(withdrawn)["status"]["code"] == "withdrawn"


def test_asking_the_resident_pauses_the_clock_until_they_reply(session: Session) -> None:
    report_id = submit(session)["id"]
    asked = act(session, "dieuhanh", report_id, "request-info", {"question": "Cột đèn số mấy?"}, 1)
    assert asked.status_code == 200
    clock = body(asked)["clocks"][0]
    assert clock["paused"] and body(asked)["waiting_on_resident"]
    seen = body(session.call("GET", f"/me/reports/{report_id}", token=session.resident()))
    assert seen["question"] == "Cột đèn số mấy?" and "reply" in seen["allowed_actions"]
    replied = mine(session, report_id, "reply", {"message": "Cột số 12"})
    assert replied.status_code == 200 and not body(replied)["waiting_on_resident"]
    detail = body(session.call("GET", f"/workflow/reports/{report_id}", token=session.staff("dieuhanh")))
    assert not detail["clocks"][0]["paused"]
    assert detail["clocks"][0]["due_datetime"] >= clock["due_datetime"]


def test_private_words_stay_off_public_pages_and_personal_data_is_masked_for_the_province(
    session: Session,
) -> None:
    """The review's probe: the staff question, the resident's reply, dispute and withdrawal
    notes were in the public history and Open311 notes; phones typed into text reached the
    province as typed."""
    report_id = submit(session, description="Đèn tắt, gọi tôi 0912 345 678")["id"]
    question, answer = "Cột đèn số mấy? (nội bộ Q)", "Cột số 12, nhà bà Lan 0987654321"
    act(session, "dieuhanh", report_id, "request-info", {"question": question}, 1)
    mine(session, report_id, "reply", {"message": answer})
    act(session, "dieuhanh", report_id, "verify", {"note": "Kiểm tra nội bộ V"}, 3)
    act(session, "dieuhanh", report_id, "assign", {"unit": "CSCC"}, 4)
    act(session, "cscc", report_id, "start", {}, 5)
    photo = upload(session, jpeg_with_gps(), "image/jpeg", token=session.staff("cscc"))
    fixed = {"note": "Đã thay bóng, liên hệ 0252.3821.234", "after_photo": photo}
    assert act(session, "cscc", report_id, "resolve", fixed, 6).status_code == 200
    mine(session, report_id, "dispute", {"comment": "Vẫn tắt, CCCD 079123456789"})

    public = session.client.http.get(f"/api/v1/reports/{report_id}")
    open311 = session.client.http.get(f"/open311/v2/requests/{report_id}.json?extensions=true")
    private = ["nội bộ", "bà Lan", "Cột số 12", "Vẫn tắt", "079123456789", "3821", "345 678", "0987654321"]
    for reply in (public, open311):
        text = reply.body.decode("utf-8")
        assert [word for word in private if word in text] == []
    history = body(public)["history"]
    assert [h["status"] for h in history] == [
        "received", "verified", "assigned", "in_progress", "resolved", "reopened"
    ]  # fmt: skip
    assert [h["note"] for h in history] == [None, None, None, None, "Đã thay bóng, liên hệ •••34", None]
    assert body(public)["description"] == "Đèn tắt, gọi tôi •••78"

    # The resident sees the conversation with them, not staff notes nor who acted.
    own = body(session.call("GET", f"/me/reports/{report_id}", token=session.resident()))
    notes = [h["note"] for h in own["history"] if h["note"]]
    assert notes == [question, answer, fixed["note"], "Vẫn tắt, CCCD 079123456789"]
    assert all(h["actor"] is None for h in own["history"])

    # Staff keep the originals; the province reads the same text masked.
    operator = body(session.call("GET", f"/workflow/reports/{report_id}", token=session.staff("dieuhanh")))
    assert operator["description"] == "Đèn tắt, gọi tôi 0912 345 678"
    assert "Kiểm tra nội bộ V" in [h["note"] for h in operator["history"]]
    province = session.call("GET", f"/workflow/reports/{report_id}", token=session.staff("tinh"))
    seen = body(province)
    assert seen["description"] == "Đèn tắt, gọi tôi •••78" and seen["contact"] is None
    assert "Cột số 12, nhà bà Lan •••21" in [h["note"] for h in seen["history"]]
    assert [w for w in ("0987654321", "079123456789", "3821") if w in province.body.decode("utf-8")] == []
    queue = session.call("GET", "/workflow/reports", token=session.staff("tinh"))
    assert "345 678" not in queue.body.decode("utf-8")

    # Withdrawing keeps the resident's note off the public page too.
    second = submit(session)["id"]
    mine(session, second, "withdraw", {"reason": "reported_by_mistake", "note": "Nhầm, gọi 0912345678"})
    assert "Nhầm" not in session.client.http.get(f"/api/v1/reports/{second}").body.decode("utf-8")


def test_duplicates_are_suggested_and_merged_reporters_follow_the_master(session: Session) -> None:
    master = submit(session)["id"]
    duplicate = submit(session, phone="0987654321")["id"]
    nearby = body(
        session.client.http.get(
            f"/api/v1/nearby-reports?service_code=street_light_out&lat={INSIDE[0]}&long={INSIDE[1]}"
        )
    )
    assert {master, duplicate} <= {i["id"] for i in nearby["items"]}
    operator = session.staff("dieuhanh")
    suggested = body(session.call("GET", f"/workflow/reports/{duplicate}/duplicates", token=operator))
    assert [i["id"] for i in suggested["items"]] == [master]

    merged = act(session, "dieuhanh", duplicate, "merge", {"master_id": master}, 1)
    assert merged.status_code == 200, merged.body
    result = body(merged)
    assert (
        result["duplicate"]["merged_into"] == master
        and result["duplicate"]["rejection_reason"] == "duplicate"
    )
    assert result["master"]["merged"] == [duplicate] and result["master"]["followers"] == 1

    follower = session.resident("0987654321")
    followed = session.call("GET", f"/me/reports/{master}", token=follower)
    assert followed.status_code == 200 and body(followed)["allowed_actions"] == []  # follows, cannot withdraw


@pytest.mark.parametrize(("fmt", "content_type"), [("JPEG", "image/jpeg"), ("HEIF", "image/heic")])
def test_public_photos_have_no_location_metadata(session: Session, fmt: str, content_type: str) -> None:
    from PIL import Image

    photo = upload(session, jpeg_with_gps(fmt), content_type)
    created = submit(session, photos=[photo])
    report_id = created["id"]
    assert act(session, "dieuhanh", report_id, "verify", {}, version=1).status_code == 200
    served = session.client.http.get(f"/api/v1/photos/{photo.rpartition('/')[2]}?report={report_id}")
    assert served.status_code == 302
    data = requests.get(served.headers["Location"], timeout=10).content
    assert b"Exif" not in data and b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"  # a HEIC is re-encoded: every browser shows a JPEG
        assert image.size == (8, 8) and not image.getexif()


def test_routing_is_data_and_the_administrator_overrides_it(session: Session) -> None:
    admin = session.staff("quantri")
    table = body(session.call("GET", "/admin/routing", token=admin))
    assert {
        "service_code": "beach_pollution",
        "ward_code": "22918",
        "unit": "VHXH",
        "source": "data",
    } in table["rules"]
    rule = {"service_code": "street_light_out", "ward_code": "22945", "unit": "UBND_22945"}
    assert session.call("PUT", "/admin/routing", {"rules": [rule]}, token=admin).status_code == 200
    assert submit(session)["id"]
    queue = body(session.call("GET", "/workflow/reports", token=session.staff("dieuhanh")))
    assert queue["items"][0]["unit"]["code"] == "UBND_22945"
    bad = session.call("PUT", "/admin/routing", {"rules": [{**rule, "unit": "NOPE"}]}, token=admin)
    assert bad.status_code == 400
    key = session.call("POST", "/admin/api-keys", {"name": "partner"}, token=admin)
    assert key.status_code == 201 and body(key)["api_key"].startswith("ioc_")


def test_verify_and_assign_in_one_call_and_an_internal_note_stays_with_staff(session: Session) -> None:
    report_id = submit(session, description="Đèn tắt cả dãy")["id"]
    done = act(session, "dieuhanh", report_id, "verify", {"note": "Đúng", "unit": "CSCC"}, 1)
    assert done.status_code == 200, done.body
    shown = body(done)
    assert shown["status"]["code"] == "assigned" and shown["unit"]["code"] == "CSCC"
    assert [h["action"] for h in shown["history"]][-2:] == ["verify", "assign"]
    assert act(session, "dieuhanh", report_id, "verify", {"unit": "NOPE"}, 3).status_code in (400, 409)

    secret = "Hộ dân số 14 hay khiếu nại, cần gọi trước khi đến"
    noted = act(session, "cscc", report_id, "note", {"note": secret}, 3)
    assert noted.status_code == 200, noted.body
    staff_view = body(noted)["history"][-1]
    assert (staff_view["action"], staff_view["note"], staff_view["visibility"]) == ("note", secret, "staff")
    assert act(session, "cscc", report_id, "note", {"note": ""}, 4).status_code == 400
    resident = session.call("GET", f"/me/reports/{report_id}", token=session.resident())
    assert (
        secret not in resident.body.decode()
        if isinstance(resident.body, bytes)
        else secret not in resident.body
    )
    public = session.call("GET", f"/reports/{report_id}")
    assert public.status_code == 200 and secret not in str(public.body)
    assert act(session, "qldt", report_id, "note", {"note": "x"}, 4).status_code in (403, 409)


def test_a_unit_hands_back_a_report_that_is_not_theirs(session: Session) -> None:
    report_id = submit(session, description="Đèn tắt trong khuôn viên trường")["id"]
    assert act(session, "dieuhanh", report_id, "verify", {"unit": "CSCC"}, 1).status_code == 200
    assert act(session, "cscc", report_id, "hand-back", {"reason": ""}, 3).status_code == 400
    back = act(session, "cscc", report_id, "hand-back", {"reason": "Đèn của trường, không phải đèn đường"}, 3)
    assert back.status_code == 200, back.body
    operator = session.staff("dieuhanh")
    shown = body(session.call("GET", f"/workflow/reports/{report_id}", token=operator))
    assert shown["status"]["code"] == "verified" and shown["unit"] is None
    assert shown["history"][-1]["action"] == "hand_back" and shown["history"][-1]["unit"]["code"] == "CSCC"
    assert "assign" in shown["allowed_actions"]
    gone = session.call("GET", f"/workflow/reports/{report_id}", token=session.staff("cscc"))
    assert gone.status_code == 403
    assert act(session, "dieuhanh", report_id, "hand-back", {"reason": "x"}, 4).status_code == 403


def test_unit_staff_take_a_report_and_residents_never_see_who(session: Session) -> None:
    report_id = submit(session, description="Đèn tắt đầu hẻm 7")["id"]
    assert act(session, "dieuhanh", report_id, "verify", {"unit": "CSCC"}, 1).status_code == 200
    taken = act(session, "cscc", report_id, "assign-person", {"username": "cscc"}, 3)
    assert taken.status_code == 200, taken.body
    assert body(taken)["assignee"] == "cscc" and body(taken)["history"][-1]["assignee"] == "cscc"
    assert act(session, "cscc", report_id, "assign-person", {"username": "Not A User!"}, 4).status_code == 400
    mine = session.call("GET", "/workflow/reports?assignee=me", token=session.staff("cscc"))
    assert [i["id"] for i in body(mine)["items"]] == [report_id] and body(mine)["total"] == 1
    resident = session.call("GET", f"/me/reports/{report_id}", token=session.resident())
    public = session.call("GET", f"/reports/{report_id}")
    for answer in (resident, public):
        assert answer.status_code == 200 and b'"cscc"' not in answer.body
    released = act(session, "cscc", report_id, "assign-person", {"username": None}, 4)
    assert released.status_code == 200 and body(released)["assignee"] is None
