"""Open311 GeoReport v2 through the Chalice app: GET /requests, /requests/{id}, /tokens/{token}."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

from ioc_core.field_reporting.catalogue import default_catalogue
from ioc_core.field_reporting.models import ReportStatus as S
from ioc_core.field_reporting.ports import ReportQuery
from ioc_core.field_reporting.wiring import intake_service
from ioc_core.field_reporting.workflow import rate
from ioc_core.shared.clock import VN_TZ, iso

if TYPE_CHECKING:
    from conftest import Open311

pytestmark = pytest.mark.api

FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
}  # fmt: skip
EXTENSIONS = {"attributes", "extended_attributes", "notes"}
# Everything the public must never learn: sent with a report, searched for in the answers.
PERSONAL = {
    "first_name": "Nguyễn",
    "last_name": "Thị Bích",
    "phone": "0912345678",
    "email": "bich.nguyen@example.vn",
    "device_id": "device-7f3a9c",
    "account_id": "acct-42-private",
}


def now() -> datetime:
    return datetime.now(VN_TZ)


def ids(open311: Open311, **params: str) -> list[str]:
    answer = open311.get(f"/requests.json?{urlencode(params)}")
    assert answer.status == 200, answer.body
    return [r["service_request_id"] for r in answer.json]


def error_fields(answer: Any) -> list[str]:
    return [e["description"].partition(": ")[0] for e in answer.json]


@pytest.fixture
def searches(open311: Open311, monkeypatch: pytest.MonkeyPatch) -> list[ReportQuery]:
    """Every ReportQuery the handlers hand the intake service."""
    service, seen = intake_service(), []
    real = service.search

    def spy(query: ReportQuery) -> Any:
        seen.append(query)
        return real(query)

    monkeypatch.setattr(service, "search", spy)
    return seen


# -- AC-R1 / AC-R3 defaults and pages -----------------------------------------------------------


def test_default_is_the_last_90_days_newest_first(open311: Open311, travel: Any) -> None:
    with travel(now() - timedelta(days=100)):
        too_old = open311.submit()
    with travel(now() - timedelta(days=10)):
        older = open311.submit()
    newest = open311.submit()
    assert ids(open311) == [newest, older]
    assert too_old in ids(open311, service_request_id=too_old)


def test_at_most_1000_rows_by_default_and_page_size_is_capped(
    open311: Open311, searches: list[ReportQuery]
) -> None:
    open311.get("/requests.json")
    open311.get("/requests.json?page_size=5000")
    open311.get("/requests.json?page_size=7")
    assert [q.limit for q in searches] == [1000, 1000, 7]
    assert all(q.end is not None and q.start is not None for q in searches)
    assert all(q.end - q.start == timedelta(days=90) for q in searches)  # type: ignore[operator]


def test_pages_walk_newest_first(open311: Open311, travel: Any) -> None:
    made = []
    for hours in (3, 2, 1):
        with travel(now() - timedelta(hours=hours)):
            made.append(open311.submit())
    oldest, middle, newest = made
    assert ids(open311, page_size="2") == [newest, middle]
    assert ids(open311, page_size="2", page="2") == [oldest]
    assert ids(open311, page_size="2", page="3") == []
    assert ids(open311, page_size="1", page="2") == [middle]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page_size": "abc"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "1.5"}, "page"),
        ({"page": "٣"}, "page"),  # an Arabic-Indic digit
        ({"status": "pending"}, "status"),
        ({"extensions": "maybe"}, "extensions"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-02-30"}, "end_date"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_parameters_are_400_naming_them(
    open311: Open311, params: dict[str, str], field: str, fmt: str
) -> None:
    answer = open311.get(f"/requests.{fmt}?{urlencode(params)}")
    assert answer.status == 400
    if fmt == "xml":
        assert (answer.xml.findtext("error/description") or "").startswith(f"{field}: ")
    else:
        assert error_fields(answer) == [field]


# -- AC-R2 filters ------------------------------------------------------------------------------


def test_service_request_ids_override_every_other_filter(open311: Open311, travel: Any) -> None:
    with travel(now() - timedelta(days=200)):
        ancient = open311.submit()
    recent = open311.submit()
    found = ids(
        open311,
        service_request_id=f"{recent}, {ancient},PT-NOTHERE,bad id!",
        status="closed",
        service_code="road_damage",
        start_date="2020-01-01T00:00:00Z",
        end_date="2020-01-02T00:00:00Z",
    )
    assert found == [recent, ancient]


def test_service_code_takes_a_comma_list(open311: Open311) -> None:
    sidewalk = open311.submit("sidewalk_damage")
    beach = open311.submit("beach_pollution")
    open311.submit("sidewalk_encroachment")
    # Same-second reports have no defined order; ordering is checked where times differ.
    assert set(ids(open311, service_code="sidewalk_damage,beach_pollution")) == {beach, sidewalk}
    assert ids(open311, service_code="beach_pollution") == [beach]


def test_status_open_closed_or_both(open311: Open311, move: Any) -> None:
    still_open = open311.submit()
    resolved = open311.submit()
    rejected = open311.submit()
    move(resolved, S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, at=now())
    move(rejected, S.REJECTED, at=now())
    assert ids(open311, status="open") == [still_open]
    assert set(ids(open311, status="closed")) == {resolved, rejected}
    assert set(ids(open311, status="open,closed")) == set(ids(open311)) == {still_open, resolved, rejected}


def test_start_and_end_date_choose_the_window(open311: Open311, travel: Any) -> None:
    then = now() - timedelta(days=120)
    with travel(then):
        old = open311.submit()
    open311.submit()
    start, end = iso(then - timedelta(days=5)), iso(then + timedelta(days=5))
    assert ids(open311, start_date=start, end_date=end) == [old]
    utc = (then - timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(open311, start_date=utc) == [old]  # end defaults to start + 90 days


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-01-01T00:00:00+07:00", "2026-04-02T00:00:00+07:00"), ("2026-03-01", "2026-02-01")],
)
def test_more_than_90_days_or_end_before_start_is_400(open311: Open311, start: str, end: str) -> None:
    answer = open311.get(f"/requests.json?{urlencode({'start_date': start, 'end_date': end})}")
    assert answer.status == 400 and error_fields(answer) == ["end_date"]


# -- AC-R4 / AC-R5 fields and single requests ---------------------------------------------------


def test_full_field_set_closed_time_and_sla(open311: Open311, move: Any) -> None:
    report_id = open311.submit("sidewalk_damage", ("description", "Vỉa hè sụt lún"))
    closed_at = now() + timedelta(hours=3)
    closed = move(
        report_id,
        S.VERIFIED,
        S.ASSIGNED,
        S.IN_PROGRESS,
        S.RESOLVED,
        at=closed_at,
        note="Đã lát lại",
    )
    rated, event = rate(closed, score=5, comment=None, at=closed_at + timedelta(days=2))
    intake_service().repo.save(rated, [event], expected_version=closed.version)  # updated later
    [request] = open311.get(f"/requests/{report_id}.json").json
    assert set(request) == FIELDS
    assert request["status"] == "closed" and request["status_notes"] == "Đã lát lại"
    assert request["updated_datetime"] == iso(closed_at)
    assert request["expected_datetime"] == iso(closed.expected_at)
    assert request["requested_datetime"] == iso(closed.requested_at)
    assert (request["lat"], request["long"]) == (closed.location.lat, closed.location.lon)
    assert request["agency_responsible"] == "Phòng Quản lý đô thị"
    assert request["address"] == "Phường Phan Thiết"
    english = open311.get(f"/requests/{report_id}.json?lang=en").json[0]
    assert english["service_name"] == default_catalogue().service("sidewalk_damage").name.en  # type: ignore[union-attr]
    assert english["agency_responsible"] == "Urban Management Office"


def test_single_request_is_a_one_element_list(open311: Open311) -> None:
    report_id = open311.submit()
    assert [r["service_request_id"] for r in open311.get(f"/requests/{report_id}.json").json] == [report_id]
    xml = open311.get(f"/requests/{report_id}.xml").xml
    assert xml.tag == "service_requests" and [r.findtext("service_request_id") for r in xml] == [report_id]


def test_no_personal_data_in_answers(open311: Open311) -> None:
    report_id = open311.submit("sidewalk_damage", *PERSONAL.items())
    bodies = [
        open311.get(f"/requests/{report_id}.json?extensions=true").body,
        open311.get(f"/requests/{report_id}.xml?extensions=true").body,
        open311.get("/requests.json?extensions=true").body,
    ]
    for body in bodies:
        text = body.decode("utf-8")
        assert report_id in text
        for value in [*PERSONAL.values(), "912345678"]:  # the phone is stored as +84…
            assert value not in text


@pytest.mark.parametrize("report_id", ["PT-NOTHERE", "a%20b", "x" * 80, "PT-1.json"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_404(open311: Open311, report_id: str, fmt: str) -> None:
    answer = open311.get(f"/requests/{report_id}.{fmt}")
    assert answer.status == 404
    code = answer.json[0]["code"] if fmt == "json" else answer.xml.findtext("error/code")
    assert code == "404"


# -- AC-R6 extensions ---------------------------------------------------------------------------


def test_extensions_add_answers_status_detail_and_history(open311: Open311, move: Any) -> None:
    report_id = open311.submit(
        "road_damage", ("attribute[severity]", "high"), ("attribute[approx_area_m2]", "2.5")
    )
    move(report_id, S.VERIFIED, at=now() + timedelta(minutes=5), note="Đã xác minh tại hiện trường")
    plain = open311.get(f"/requests/{report_id}.json").json[0]
    assert not EXTENSIONS & set(plain)

    [request] = open311.get(f"/requests/{report_id}.json?extensions=true").json
    assert set(request) == FIELDS | EXTENSIONS
    severity = next(a for a in request["attributes"] if a["code"] == "severity")
    assert set(severity) == {"label", "name", "value", "code"} and severity["value"] == "high"
    assert severity["label"] != "severity" and severity["name"] != "high"  # Vietnamese texts
    extended = request["extended_attributes"]
    assert extended["status_detail"] == "verified" and extended["status_label"] == "Đã tiếp nhận"
    assert (extended["ward_code"], extended["channel"], extended["photos"]) == (
        "22945",
        "open311",
        [],
    )
    assert [n["status"] for n in request["notes"]] == ["received", "verified"]
    assert request["notes"][1]["description"] == "Đã tiếp nhận"  # the staff note stays inside
    assert all(n["datetime"].endswith("+07:00") for n in request["notes"])

    xml = open311.get(f"/requests.xml?extensions=true&service_request_id={report_id}").xml
    assert xml.findtext("request/extended_attributes/status_label") == "Đã tiếp nhận"
    assert len(xml.findall("request/notes/note")) == 2
    assert {a.findtext("code") for a in xml.findall("request/attributes/attribute")} == {
        "severity",
        "approx_area_m2",
    }


# -- AC-T1 tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_batch_service_answers_a_token_that_resolves_to_the_id(open311: Open311, fmt: str) -> None:
    fields = open311.located(
        "bulky_waste_pickup",
        ("attribute[items][]", "furniture"),
        ("attribute[items][]", "mattress"),
        ("attribute[item_count]", "2"),
    )
    answer = open311.post(fields, fmt)
    assert answer.status == 201, answer.body
    if fmt == "json":
        [item] = answer.json
        assert "service_request_id" not in item and item["token"].startswith("TK-")
        token = item["token"]
    else:
        assert answer.xml.find("request/service_request_id") is None
        token = answer.xml.findtext("request/token") or ""
    resolved = open311.get(f"/tokens/{token}.json").json
    assert resolved == [{"service_request_id": resolved[0]["service_request_id"], "token": token}]
    xml = open311.get(f"/tokens/{token}.xml").xml
    assert xml.findtext("request/service_request_id") == resolved[0]["service_request_id"]
    assert open311.get(f"/requests/{resolved[0]['service_request_id']}.json").status == 200


@pytest.mark.parametrize("token", ["TK-0000000000000000", "bad token!"])
def test_unknown_token_is_404(open311: Open311, token: str) -> None:
    answer = open311.get(f"/tokens/{token}.json")
    assert answer.status == 404 and answer.json[0]["code"] == "404"


def test_an_unexpected_failure_is_a_500_error_list(open311: Open311, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(query: ReportQuery) -> Any:
        raise RuntimeError("DynamoDB is on fire")

    monkeypatch.setattr(intake_service(), "search", broken)
    answer = open311.get("/requests.xml")
    assert answer.status == 500
    assert answer.xml.findtext("error/code") == "500"
    assert "fire" not in (answer.xml.findtext("error/description") or "")


@pytest.mark.parametrize(
    ("param", "fmt"),
    [("start_date", "json"), ("end_date", "json"), ("start_date", "xml"), ("end_date", "xml")],
)
def test_a_date_at_the_calendar_s_edge_is_a_400(open311: Open311, param: str, fmt: str) -> None:
    moment = "9999-12-31T23:59:59Z" if param == "start_date" else "0001-01-01T00:00:00Z"
    answer = open311.get(f"/requests.{fmt}?{param}={moment}")
    assert answer.status == 400, answer.body
    body = answer.body.decode() if isinstance(answer.body, bytes) else str(answer.body)
    assert param in body
