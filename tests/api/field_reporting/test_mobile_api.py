"""Mobile JSON API (/api/v1) through the Chalice app on moto: intake with photos, retries,
the public tracking view, the catalogue, wards, statistics and problem+json errors."""

from __future__ import annotations

import json
import struct
import uuid
import zlib
from datetime import timedelta
from typing import Any, get_args

import boto3
import pytest
import requests
from chalice.test import Client

from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting.api_v1 import openapi, schemas
from ioc_core.field_reporting.service import PHOTO_TYPES
from ioc_core.settings import Settings

pytestmark = pytest.mark.api

API = "/api/v1"
JSON = {"Content-Type": "application/json"}
INSIDE = (10.928, 108.102)  # Phường Phan Thiết
OUTSIDE = (21.03, 105.85)  # Hà Nội
CONTACT = {
    "first_name": "Nguyễn",
    "last_name": "Thị Bích",
    "phone": "0912 345 678",
    "email": "bich.nguyen@example.vn",
}
DEVICE = "device-7f3a9c"
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def tiny_png() -> bytes:
    """A valid 1×1 RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xcc\x33\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def report(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "service_code": "road_damage",
        "lat": INSIDE[0],
        "long": INSIDE[1],
        "description": "Ổ gà lớn trước số 12 Trần Hưng Đạo",
        "attributes": {"severity": "high"},
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def post(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.http.post(f"{API}{path}", headers={**JSON, **(headers or {})}, body=raw)


def data(response: Any) -> Any:
    return json.loads(response.body)


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.body
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = data(response)
    assert set(problem) == PROBLEM_KEYS and problem["status"] == status
    assert " / " in problem["title"] and " / " in problem["detail"]
    if field is not None:
        assert field in [e["field"] for e in problem["errors"]], problem
    return problem


def upload(client: Client, content: bytes, content_type: str = "image/png") -> str:
    """Ask for a ticket, then POST the file straight to (moto) S3 the way a phone does."""
    answer = post(client, "/uploads", {"content_type": content_type})
    assert answer.status_code == 201, answer.body
    ticket = data(answer)
    assert set(ticket) == {"key", "url", "fields", "expires_in", "max_bytes"}
    files = {"file": ("photo", content, content_type)}
    stored = requests.post(ticket["url"], data=ticket["fields"], files=files, timeout=10)
    assert stored.status_code in (200, 201, 204), stored.text
    return str(ticket["key"])


def test_the_inside_point_is_in_the_city() -> None:
    assert default_registry().locate(*INSIDE) is not None
    assert default_registry().locate(*OUTSIDE) is None


# -- intake and tracking ----------------------------------------------------------------------


def test_a_report_with_a_photo_is_submitted_tracked_and_its_photo_served(
    field_reporting_client: Client,
) -> None:
    png = tiny_png()
    key = upload(field_reporting_client, png)
    answer = post(field_reporting_client, "/reports", report(photos=[key]))
    assert answer.status_code == 201, answer.body
    created = data(answer)
    assert answer.headers["Location"] == f"{API}/reports/{created['id']}"
    assert "Idempotent-Replayed" not in answer.headers
    assert created["service"] == {"code": "road_damage", "name": created["service"]["name"]}
    assert set(created["service"]["name"]) == {"vi", "en"}
    assert created["status"]["code"] == "received" and created["status"]["state"] == "open"
    assert created["status"]["label"] == {"vi": "Chờ tiếp nhận", "en": "Received"}
    assert created["ward"] == {
        "code": "22945",
        "name": {"vi": "Phường Phan Thiết", "en": "Phan Thiet Ward"},
    }
    assert (created["lat"], created["long"]) == INSIDE
    assert created["requested_datetime"].endswith("+07:00")
    assert created["expected_datetime"].endswith("+07:00") and created["closed_datetime"] is None
    assert [h["status"] for h in created["history"]] == ["received"] and created["rating"] is None

    # The sender's reply links the photo for them; the public page shows it only once verified.
    photo_url = created["photos"][0]
    assert f"{API}/photos/{key.removeprefix('uploads/')}?access=" in photo_url
    redirect = field_reporting_client.http.get(photo_url[photo_url.index(API) :])
    assert redirect.status_code == 302
    assert requests.get(redirect.headers["Location"], timeout=10).content == png

    tracked = field_reporting_client.http.get(f"{API}/reports/{created['id']}")
    assert tracked.status_code == 200 and data(tracked) == {**created, "photos": []}
    public_link = f"{API}/photos/{key.removeprefix('uploads/')}?report={created['id']}"
    assert field_reporting_client.http.get(public_link).status_code == 404

    verify(created["id"])
    public = data(field_reporting_client.http.get(f"{API}/reports/{created['id']}"))["photos"]
    assert [p[p.index(API) :] for p in public] == [public_link]
    redirect = field_reporting_client.http.get(public_link)
    assert redirect.status_code == 302
    assert requests.get(redirect.headers["Location"], timeout=10).content == png


def verify(report_id: str) -> None:
    from ioc_core.field_reporting.models import ReportStatus
    from ioc_core.field_reporting.wiring import intake_service
    from ioc_core.field_reporting.workflow import transition

    repo = intake_service().repo
    stored = repo.get(report_id)
    assert stored is not None
    moved, event = transition(stored, ReportStatus.VERIFIED, actor="operator:an", at=stored.requested_at)
    repo.save(moved, [event], expected_version=stored.version)


def test_a_photo_is_public_only_through_a_public_report_that_shows_it(field_reporting_client: Client) -> None:
    """The review's probe: an upload never attached (or attached to a report not yet verified,
    or withdrawn) is not served to anyone who learns its id."""
    from ioc_core.field_reporting.models import ReportStatus
    from ioc_core.field_reporting.wiring import intake_service
    from ioc_core.field_reporting.workflow import transition

    attached, loose = upload(field_reporting_client, tiny_png()), upload(field_reporting_client, tiny_png())
    created = data(post(field_reporting_client, "/reports", report(photos=[attached])))
    verify(created["id"])
    get = field_reporting_client.http.get
    loose_id, attached_id = loose.removeprefix("uploads/"), attached.removeprefix("uploads/")

    assert get(f"{API}/photos/{attached_id}?report={created['id']}").status_code == 302
    assert get(f"{API}/photos/{loose_id}").status_code == 404
    assert get(f"{API}/photos/{loose_id}?report={created['id']}").status_code == 404
    assert get(f"{API}/photos/{attached_id}").status_code == 404
    forged = get(f"{API}/photos/{loose_id}?access=AAAA")
    assert forged.status_code == 400 and forged.headers["Content-Type"] == "application/problem+json"
    problem = data(forged)
    assert "photo link" in problem["detail"] and [e["field"] for e in problem["errors"]] == ["access"]
    # A link signed for one photo opens no other.
    signed = created["photos"][0]
    borrowed = signed[signed.index("?") :]
    assert get(f"{API}/photos/{loose_id}{borrowed}").status_code == 400

    repo = intake_service().repo
    stored = repo.get(created["id"])
    assert stored is not None
    gone, event = transition(stored, ReportStatus.WITHDRAWN, actor="resident", at=stored.requested_at)
    repo.save(gone, [event], expected_version=stored.version)
    assert get(f"{API}/photos/{attached_id}?report={created['id']}").status_code == 404


def test_the_tracking_view_shows_the_life_cycle_but_no_personal_data(
    field_reporting_client: Client,
) -> None:
    from ioc_core.field_reporting.models import ReportStatus as S
    from ioc_core.field_reporting.wiring import intake_service
    from ioc_core.field_reporting.workflow import rate, transition

    answer = post(field_reporting_client, "/reports", report(contact=CONTACT, device_id=DEVICE))
    assert answer.status_code == 201, answer.body
    service = intake_service()
    stored = service.get(data(answer)["id"])
    assert stored.reporter.phone == "+84912345678"  # kept for the staff, normalised
    current, at = stored, stored.requested_at
    for status in (S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED):
        at += timedelta(hours=1)
        action = "resolve" if status is S.RESOLVED else None
        note = "Đã sửa, hỏi 0252 3821 234" if action else f"{status} nội bộ"
        moved, event = transition(current, status, actor="staff:officer-17", at=at, note=note, action=action)
        service.repo.save(moved, [event], expected_version=current.version)
        current = moved
    rated, event = rate(current, score=5, comment="Cảm ơn, gọi tôi 0912345678", at=at)
    service.repo.save(rated, [event], expected_version=current.version)

    tracked = field_reporting_client.http.get(f"{API}/reports/{stored.report_id}")
    view = data(tracked)
    assert view["status"]["state"] == "closed" and view["closed_datetime"].endswith("+07:00")
    assert [h["status"] for h in view["history"]][-1] == "resolved"
    assert view["history"][-1] == {
        "status": "resolved",
        "label": {"vi": "Đã xử lý", "en": "Resolved"},
        "at": view["closed_datetime"],
        "note": "Đã sửa, hỏi •••34",  # the public resolution note, its phone masked
    }
    assert [h["note"] for h in view["history"][:-1]] == [None] * 4  # staff notes stay inside
    assert view["rating"] == {"score": 5}
    text = tracked.body.decode("utf-8")
    secrets = [*CONTACT.values(), "912345678", DEVICE, "officer-17", "channel:", "Cảm ơn", "nội bộ", "3821"]
    assert [s for s in secrets if s in text] == []


def test_a_retry_with_the_same_key_returns_the_first_report_and_stores_nothing_new(
    field_reporting_client: Client,
) -> None:
    from ioc_core.field_reporting.ports import ReportQuery
    from ioc_core.field_reporting.stats import deltas
    from ioc_core.field_reporting.wiring import intake_service, stats_projection
    from ioc_core.platform.outbox import OutboxItem
    from ioc_core.shared.cloudevents import CloudEvent

    key = {"Idempotency-Key": f"phone-{uuid.uuid4()}"}
    first = post(field_reporting_client, "/reports", report(contact=CONTACT), key)
    again = post(field_reporting_client, "/reports", report(contact=CONTACT), key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert data(again) == data(first)

    found = intake_service().search(ReportQuery(service_codes=("road_damage",)))
    assert [r.report_id for r in found.items] == [data(first)["id"]]
    events = [CloudEvent.from_json(item.payload) for item in OutboxItem.scan()]
    assert len(events) == 1
    stats_projection().apply([(e.id, deltas(e)) for e in events])
    stats = data(field_reporting_client.http.get(f"{API}/stats/field-reporting"))
    assert stats["total"] == 1 and stats["in_progress"] == 1


def test_the_same_key_with_another_body_is_a_conflict(field_reporting_client: Client) -> None:
    key = {"Idempotency-Key": "retry-42"}
    assert post(field_reporting_client, "/reports", report(), key).status_code == 201
    changed = report(description="Một nội dung khác")
    assert_problem(post(field_reporting_client, "/reports", changed, key), 409)


# -- bad input --------------------------------------------------------------------------------

BAD_REPORTS: list[tuple[str, Any, str]] = [
    ("malformed JSON", b'{"service_code": "road_damage",', "body"),
    ("not an object", [report()], "body"),
    ("NaN is not JSON", b'{"service_code": "road_damage", "lat": NaN, "long": 108.1}', "body"),
    ("not UTF-8", b'{"description": "\xff"}', "body"),
    ("a number as text", report(lat="10.928"), "lat"),
    ("a code as a number", report(service_code=7), "service_code"),
    ("an unknown field", report(lng=108.1), "lng"),
    ("a missing field", report(service_code=None), "service_code"),
    ("an unknown category", report(service_code="no_such_thing"), "service_code"),
    ("outside the city", report(lat=OUTSIDE[0], long=OUTSIDE[1]), "lat"),
    ("not on Earth", report(lat=91.0), "lat"),
    ("a long description", report(description="đ" * 4001), "description"),
    ("a long answer", report(attributes={"severity": "x" * 4001}), "attributes.severity"),
    ("a bad answer type", report(attributes={"severity": 3}), "attributes.severity"),
    ("a missing answer", report(attributes={}), "attributes.severity"),
    ("an unknown choice", report(attributes={"severity": "apocalyptic"}), "attributes.severity"),
    ("not a VN mobile", report(contact={"phone": "+1 202 555 0100"}), "contact.phone"),
    ("too many photos", report(photos=[f"uploads/{i:032x}" for i in range(4)]), "photos"),
    ("a photo never uploaded", report(photos=["uploads/" + "0" * 31 + "9"]), "photos"),
    ("a key outside uploads", report(photos=["secrets/config.json"]), "photos[0]"),
]


@pytest.mark.parametrize(
    ("body", "field"), [(b, f) for _, b, f in BAD_REPORTS], ids=[i for i, _, _ in BAD_REPORTS]
)
def test_bad_reports_are_400_problems(field_reporting_client: Client, body: Any, field: str) -> None:
    assert_problem(post(field_reporting_client, "/reports", body), 400, field)


@pytest.mark.parametrize("key", ["", "é-unicode", "x" * 129, " padded "])
def test_a_malformed_idempotency_key_is_400(field_reporting_client: Client, key: str) -> None:
    answer = post(field_reporting_client, "/reports", report(), {"Idempotency-Key": key})
    assert_problem(answer, 400, "Idempotency-Key")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
     "application/xml", "image/png"],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/reports", "/uploads"])
def test_a_body_that_is_not_json_is_415(field_reporting_client: Client, path: str, content_type: str) -> None:
    answer = post(field_reporting_client, path, report(), {"Content-Type": content_type})
    assert_problem(answer, 415)


def test_a_body_over_64_kb_is_413(field_reporting_client: Client) -> None:
    big = json.dumps(report(description="x" * (64 * 1024))).encode()
    assert_problem(post(field_reporting_client, "/reports", big), 413)


def test_a_photo_that_is_not_an_image_is_refused(field_reporting_client: Client, stack: Settings) -> None:
    posted = upload(field_reporting_client, b"just some text, not a photo", "image/jpeg")
    put = f"uploads/{uuid.uuid4().hex}"
    s3 = boto3.client("s3", region_name=stack.region, endpoint_url=stack.aws_endpoint)
    s3.put_object(Bucket=stack.name("media"), Key=put, Body=b"<html>hi</html>", ContentType="image/png")
    for key in (posted, put):
        problem = assert_problem(
            post(field_reporting_client, "/reports", report(photos=[key])), 400, "photos"
        )
        assert key in problem["errors"][0]["message"]
        served = field_reporting_client.http.get(f"{API}/photos/{key.removeprefix('uploads/')}")
        assert_problem(served, 404)


@pytest.mark.parametrize("body", [{"content_type": "text/plain"}, {"content_type": "image/png", "x": 1}, {}])
def test_a_bad_upload_request_is_400(field_reporting_client: Client, body: dict[str, Any]) -> None:
    assert_problem(post(field_reporting_client, "/uploads", body), 400)


@pytest.mark.parametrize(
    "path",
    [
        "/reports/PT-NOSUCH00",
        "/reports/not..an..id",
        "/photos/" + "ab" * 16,
        "/photos/..%2F1",
    ],
)
def test_unknown_resources_are_404_problems(field_reporting_client: Client, path: str) -> None:
    assert_problem(field_reporting_client.http.get(f"{API}{path}"), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [("lang=fr", "lang"), ("ward=99999", "ward"), ("ward=abc", "ward"), ("service=nope", "service"),
     ("ward=22945&service=road_damage", "service")],
)  # fmt: skip
def test_bad_query_parameters_are_400(field_reporting_client: Client, query: str, field: str) -> None:
    path = "/categories" if query.startswith("lang") else "/stats/field-reporting"
    assert_problem(field_reporting_client.http.get(f"{API}{path}?{query}"), 400, field)


def test_a_fault_of_the_server_is_logged_and_a_500_problem(
    field_reporting_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from ioc_core.field_reporting.wiring import stats_projection

    def broken(*_: Any) -> dict[str, int]:
        raise RuntimeError("DynamoDB is down")

    monkeypatch.setattr(stats_projection(), "read", broken)
    problem = assert_problem(field_reporting_client.http.get(f"{API}/stats/field-reporting"), 500)
    assert "DynamoDB" not in json.dumps(problem)
    assert "DynamoDB is down" in caplog.text


# -- catalogue, wards, statistics, OpenAPI ----------------------------------------------------


@pytest.mark.parametrize(("query", "lang"), [("", "vi"), ("?lang=vi", "vi"), ("?lang=en", "en")])
def test_categories_list_active_services_with_questions_and_slas(
    field_reporting_client: Client, query: str, lang: str
) -> None:
    answer = field_reporting_client.http.get(f"{API}/categories{query}")
    catalogue = data(answer)
    assert answer.status_code == 200 and catalogue["lang"] == lang
    road = next(s for g in catalogue["groups"] for s in g["services"] if s["code"] == "road_damage")
    assert road["name"] == {"vi": "Hư hỏng mặt đường", "en": "Road damage"}[lang]
    assert road["sla_hours"]["resolve"] > 0
    severity = next(a for a in road["attributes"] if a["code"] == "severity")
    assert severity["required"] and len(severity["values"]) == 3


def test_wards_and_their_boundaries(field_reporting_client: Client) -> None:
    wards = data(field_reporting_client.http.get(f"{API}/wards"))
    by_code = {w["code"]: w for w in wards["wards"]}
    assert by_code["22945"]["name"]["vi"] == "Phường Phan Thiết"
    assert {"22930", "22951"} <= {u["code"] for u in by_code["22945"]["legacy"]}
    answer = field_reporting_client.http.get(f"{API}/wards/boundaries")
    assert answer.headers["Content-Type"] == "application/geo+json"
    collection = data(answer)
    assert collection["type"] == "FeatureCollection"
    codes = {f["properties"]["code"] for f in collection["features"]}
    assert codes == set(by_code)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in collection["features"])


@pytest.mark.parametrize("query", ["", "?ward=22945", "?service=road_damage"])
def test_stats_have_exactly_the_published_keys(field_reporting_client: Client, query: str) -> None:
    answer = field_reporting_client.http.get(f"{API}/stats/field-reporting{query}")
    assert answer.status_code == 200
    assert data(answer) == {
        "total": 0,
        "resolved": 0,
        "in_progress": 0,
        "ratings": 0,
        "positive_ratings": 0,
        "satisfaction_rate": None,
        "accounts": 0,
    }


def test_the_openapi_document_is_valid_and_lists_exactly_the_blueprint_routes(
    field_reporting_client: Client,
) -> None:
    from openapi_spec_validator import validate

    answer = field_reporting_client.http.get(f"{API}/openapi.json")
    document = data(answer)
    validate(document)
    assert document == json.loads(json.dumps(openapi.document()))
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    app = field_reporting_client._app
    routed = {(m, path) for path, entries in app.routes.items() if path.startswith(API) for m in entries}
    assert documented == routed
    for path, item in document["paths"].items():
        for operation in item.values():
            assert "500" in operation["responses"], path
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= set(operation["responses"]), path


def test_the_photo_types_of_the_wire_model_are_the_service_s() -> None:
    assert set(get_args(schemas.PhotoType)) == PHOTO_TYPES
