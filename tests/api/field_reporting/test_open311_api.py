"""Open311 GeoReport v2 through the Chalice app: discovery, formats, services, POST, errors.

The GET /requests and /tokens criteria live in test_open311_requests_api.py.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from ioc_core.field_reporting.catalogue import default_catalogue
from ioc_core.field_reporting.models import ReportStatus as S
from workflow_client import Session

if TYPE_CHECKING:
    from conftest import Open311

pytestmark = pytest.mark.api

SIMPLE_SERVICE = "sidewalk_damage"  # no attributes
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
OUTSIDE = ("21.03", "105.85")  # Hanoi


def descriptions(answer: object) -> list[str]:
    """The error descriptions, each checked to carry a real Vietnamese translation."""
    assert isinstance(answer, list) and answer, answer
    texts = [error["description"] for error in answer]
    assert not any("Yêu cầu không hợp lệ /" in t for t in texts), texts
    return texts


# -- AC-D1 discovery ----------------------------------------------------------------------------


@pytest.mark.parametrize("root", [False, True])
def test_discovery_in_both_formats_under_v2_and_root(open311: Open311, root: bool) -> None:
    document = open311.get("/discovery.json", root=root).json
    assert document["changeset"] == default_catalogue().version
    assert document["contact"] and document["key_service"]
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://127.0.0.1:8000/open311/v2"
    assert endpoint["type"] == "test"  # local stage
    assert {"text/xml", "application/json"} <= set(endpoint["formats"])

    xml = open311.get("/discovery.xml", root=root).xml
    assert xml.tag == "discovery"
    assert xml.findtext("endpoints/endpoint/specification") == endpoint["specification"]
    formats = [f.text for f in xml.findall("endpoints/endpoint/formats/format")]
    assert formats == endpoint["formats"]


# -- AC-F1 / AC-F2 formats ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "root", "child"),
    [
        ("/services.xml", "services", "service"),
        ("/services/road_damage.xml", "service_definition", "attributes"),
        ("/requests.xml", "service_requests", "request"),
        ("/requests/{id}.xml", "service_requests", "request"),
    ],
)
def test_every_resource_answers_xml_and_json(open311: Open311, path: str, root: str, child: str) -> None:
    path = path.format(id=open311.submit())
    xml = open311.get(path).xml
    assert xml.tag == root and xml.find(child) is not None
    assert open311.get(path.replace(".xml", ".json")).json


@pytest.mark.parametrize(
    "path",
    [
        "/services.csv",
        "/services",
        "/requests",
        "/services/road_damage.yaml",
        "/requests/PT-1.html",
        "/tokens/x",
        "/nothing.json",
    ],
)
def test_unknown_format_is_404_json_error_list(open311: Open311, path: str) -> None:
    answer = open311.get(path)
    assert answer.status == 404
    assert answer.json[0]["code"] == "404"
    assert ".json" in answer.json[0]["description"]


def test_codes_and_ids_are_strings_and_datetimes_have_an_offset(open311: Open311) -> None:
    posted = open311.post(open311.located())
    assert isinstance(posted.json[0]["service_request_id"], str)
    [request] = open311.get(f"/requests/{posted.json[0]['service_request_id']}.json").json
    assert isinstance(request["service_code"], str)
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert request[field].endswith("+07:00"), request[field]
    assert open311.get("/services/nope.json").json[0]["code"] == "404"


def test_vietnamese_round_trips_nfc_in_utf8(open311: Open311) -> None:
    text = "Ổ gà sâu trước nhà số 5, đường Nguyễn Tất Thành"
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    report_id = open311.submit(SIMPLE_SERVICE, ("description", decomposed))

    json_answer = open311.get(f"/requests/{report_id}.json")
    assert text.encode("utf-8") in json_answer.body  # raw UTF-8, no \u escapes
    assert json_answer.json[0]["description"] == text
    xml_answer = open311.get(f"/requests/{report_id}.xml")
    assert xml_answer.xml.findtext("request/description") == text


# -- AC-S1 .. AC-S3 services --------------------------------------------------------------------


def test_service_list_has_active_services_with_all_fields(open311: Open311) -> None:
    services = open311.get("/services.json").json
    catalogue = {s.service_code: s for s in default_catalogue().active_services()}
    assert [s["service_code"] for s in services] == list(catalogue)
    fields = {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    for service in services:
        assert set(service) == fields
        assert service["metadata"] is bool(catalogue[service["service_code"]].attributes)
        assert service["type"] in {"realtime", "batch", "blackbox"}
    by_code = {s["service_code"]: s for s in services}
    assert by_code["road_damage"]["service_name"] == catalogue["road_damage"].name.vi
    assert by_code[SIMPLE_SERVICE]["metadata"] is False

    xml = open311.get("/services.xml").xml
    assert [e.text for e in xml.findall("service/metadata")].count("true") == sum(
        1 for s in catalogue.values() if s.attributes
    )


@pytest.mark.parametrize(
    ("suffix", "headers"),
    [("?lang=en", {}), ("", {"Accept-Language": "en-GB,en;q=0.9"})],
)
def test_english_names_on_request(open311: Open311, suffix: str, headers: dict[str, str]) -> None:
    services = open311.get(f"/services.json{suffix}", headers=headers).json
    road = next(s for s in services if s["service_code"] == "road_damage")
    assert road["service_name"] == default_catalogue().service("road_damage").name.en  # type: ignore[union-attr]


@pytest.mark.parametrize("prefix", ["/services", "/service"])
def test_service_definition_sorted_typed_with_values_for_lists(open311: Open311, prefix: str) -> None:
    definition = open311.get(f"{prefix}/electric_hazard.json").json
    assert definition["service_code"] == "electric_hazard"
    orders = [a["order"] for a in definition["attributes"]]
    assert orders == sorted(orders) and len(set(orders)) == len(orders) and orders[0] >= 1
    for attribute in definition["attributes"]:
        assert attribute["datatype"] in DATATYPES
        is_list = attribute["datatype"] in {"singlevaluelist", "multivaluelist"}
        assert ("values" in attribute) is is_list
    assert definition["attributes"][0]["variable"] is False  # the safety notice

    xml = open311.get(f"{prefix}/electric_hazard.xml").xml
    hazard = next(a for a in xml.findall("attributes/attribute") if a.findtext("code") == "hazard_type")
    assert "fallen_wire" in [v.findtext("key") for v in hazard.findall("values/value")]


@pytest.mark.parametrize("prefix", ["/services", "/service"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_404(open311: Open311, prefix: str, fmt: str) -> None:
    answer = open311.get(f"{prefix}/no_such_service.{fmt}")
    assert answer.status == 404
    if fmt == "xml":
        assert answer.xml.findtext("error/code") == "404"
    else:
        assert "no_such_service" in answer.json[0]["description"]


def test_singular_alias_matches_plural(open311: Open311) -> None:
    assert open311.get("/service/road_damage.json").body == open311.get("/services/road_damage.json").body


# -- AC-P1 / AC-P2 posting ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_returns_one_request_with_id_and_notice(open311: Open311, fmt: str) -> None:
    answer = open311.post(open311.located(), fmt)
    assert answer.status == 201
    notice = default_catalogue().service(SIMPLE_SERVICE).notice.vi  # type: ignore[union-attr]
    if fmt == "json":
        [item] = answer.json
        assert item["service_request_id"].startswith("PT-")
        assert item == {
            "service_request_id": item["service_request_id"],
            "service_notice": notice,
            "account_id": None,
        }
    else:
        [request] = answer.xml.findall("request")
        assert request.findtext("service_request_id", "").startswith("PT-")
        assert request.find("token") is None and request.findtext("service_notice") == notice


def test_api_key_from_query_string(open311: Open311) -> None:
    body = "&".join(f"{k}={quote(v)}" for k, v in open311.located())
    response = open311.client.http.post(
        f"/open311/v2/requests.json?api_key={open311.api_key}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=body.encode(),
    )
    assert response.status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", [None, "ioc_not-a-key", ""])
def test_missing_or_invalid_api_key_is_403(open311: Open311, fmt: str, key: str | None) -> None:
    fields = open311.located() if key is None else [("api_key", key), *open311.located()]
    answer = open311.post(fields, fmt, key=False)
    assert answer.status == 403
    text = answer.json[0]["description"] if fmt == "json" else answer.xml.findtext("error/description")
    assert "api_key" in (text or "")


# -- AC-P3 .. AC-P7 validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service_code", "extra", "inside", "field"),
    [
        (SIMPLE_SERVICE, [], False, "lat"),
        (SIMPLE_SERVICE, [("lat", "10.928")], False, "long"),
        (SIMPLE_SERVICE, [("lat", OUTSIDE[0]), ("long", OUTSIDE[1])], False, "lat"),
        (SIMPLE_SERVICE, [("lat", "abc"), ("long", "nan")], False, "lat"),
        ("road_damage", [], True, "attribute[severity]"),
        ("road_damage", [("attribute[severity]", "extreme")], True, "attribute[severity]"),
        (SIMPLE_SERVICE, [("media_url", "javascript:alert(1)")], True, "media_url"),
        ("", [("lat", "10.928"), ("long", "108.099")], False, "service_code"),
    ],
)
def test_invalid_post_is_400_naming_the_field(
    open311: Open311, service_code: str, extra: list[tuple[str, str]], inside: bool, field: str
) -> None:
    fields = open311.located(service_code, *extra) if inside else [("service_code", service_code), *extra]
    answer = open311.post(fields)
    assert answer.status == 400
    assert any(d.startswith(f"{field}: ") for d in descriptions(answer.json)), answer.json


def test_unknown_service_code_is_404(open311: Open311) -> None:
    answer = open311.post(open311.located("no_such_service"))
    assert answer.status == 404 and "no_such_service" in answer.json[0]["description"]


def test_multivaluelist_is_parsed_as_a_list(open311: Open311) -> None:
    report_id = open311.submit(
        "illegal_dumping",
        ("attribute[waste_type][]", "household"),
        ("attribute[waste_type][]", "bulky"),
    )
    [request] = open311.get(f"/requests/{report_id}.json?extensions=true").json
    values = [a["value"] for a in request["attributes"] if a["code"] == "waste_type"]
    assert values == ["household", "bulky"]


def test_description_over_4000_chars_is_400_and_html_is_stripped(open311: Open311) -> None:
    too_long = open311.post(open311.located(SIMPLE_SERVICE, ("description", "x" * 4001)))
    assert too_long.status == 400 and descriptions(too_long.json)[0].startswith("description: ")
    report_id = open311.submit(
        SIMPLE_SERVICE, ("description", "<p>Vỉa hè <b>vỡ</b></p><script>alert(1)</script>")
    )
    [request] = open311.get(f"/requests/{report_id}.json").json
    assert request["description"] == "Vỉa hè vỡ"


@pytest.mark.parametrize("field", ["media", "media[]"])
def test_multipart_media_becomes_the_media_url(open311: Open311, move: Any, field: str) -> None:
    answer = open311.post_multipart(open311.located(), [(field, "o-ga.jpg", "image/jpeg", JPEG)])
    assert answer.status == 201, answer.body
    report_id = answer.json[0]["service_request_id"]
    [received] = open311.get(f"/requests/{report_id}.json?extensions=true").json
    assert received["media_url"] is None and received["extended_attributes"]["photos"] == []  # not verified
    move(report_id, S.VERIFIED, at=datetime.now(UTC))
    [request] = open311.get(f"/requests/{report_id}.json?extensions=true").json
    assert request["media_url"].startswith("http://127.0.0.1:8000/api/v1/photos/")
    assert request["media_url"].endswith(f"?report={report_id}")
    assert [p["media_url"] for p in request["extended_attributes"]["photos"]] == [request["media_url"]]


def test_multipart_media_that_is_not_an_image_is_400(open311: Open311) -> None:
    answer = open311.post_multipart(open311.located(), [("media", "x.txt", "text/plain", b"hello")])
    assert answer.status == 400 and descriptions(answer.json)[0].startswith("media: ")


@pytest.mark.parametrize(
    ("jurisdiction", "status"),
    [("", 201), ("phanthiet.lamdong.gov.vn", 201), ("hanoi.gov.vn", 404)],
)
def test_empty_parameters_are_absent(open311: Open311, jurisdiction: str, status: int) -> None:
    empties = [("jurisdiction_id", jurisdiction), ("email", ""), ("phone", ""), ("description", "")]
    assert open311.post(open311.located(SIMPLE_SERVICE, *empties)).status == status
    assert open311.get(f"/services.json?jurisdiction_id={jurisdiction}").status == (
        200 if status == 201 else 404
    )


@pytest.mark.parametrize("field", ["address_string", "address_id"])
def test_an_address_naming_the_ward_is_a_location(open311: Open311, field: str) -> None:
    address = "12 Trần Hưng Đạo, Phường Phan Thiết"
    answer = open311.post([("service_code", SIMPLE_SERVICE), (field, address)])
    assert answer.status == 201, answer.body
    [request] = open311.get(f"/requests/{answer.json[0]['service_request_id']}.json").json
    assert request["address"] == address and request["address_id"] is None
    nowhere = open311.post([("service_code", SIMPLE_SERVICE), ("address_string", "1 Phố Huế, Hà Nội")])
    assert nowhere.status == 400 and descriptions(nowhere.json)[0].startswith("address_string: ")


# -- AC-E1 errors, idempotency, no 500 ----------------------------------------------------------


def test_errors_are_bilingual_lists_in_the_requested_format(open311: Open311) -> None:
    xml = open311.post([("service_code", SIMPLE_SERVICE)], "xml").xml
    assert xml.tag == "errors"
    description = xml.findtext("error/description") or ""
    vi, _, en = description.partition(" / ")
    assert "vị trí" in vi and "location" in en


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "image/png", ""])
def test_unsupported_content_type_is_open311_400_not_415(open311: Open311, content_type: str) -> None:
    answer = open311.raw_post(b'{"service_code": "x"}', content_type, "xml")
    assert answer.status == 400
    assert "application/x-www-form-urlencoded" in (answer.xml.findtext("error/description") or "")


def test_idempotency_key_replays_and_a_reused_key_is_400_code_409(open311: Open311) -> None:
    headers = {"Idempotency-Key": "open311-retry-1"}
    first = open311.post(open311.located(), headers=headers)
    again = open311.post(open311.located(), headers=headers)
    assert (first.status, again.status) == (201, 200)
    assert first.json == again.json
    other = open311.post(open311.located(SIMPLE_SERVICE, ("description", "khác")), headers=headers)
    assert other.status == 400 and other.json[0]["code"] == "409"


def test_a_retried_multipart_post_replays(open311: Open311) -> None:
    files, headers = [("media", "a.jpg", "image/jpeg", JPEG)], {"Idempotency-Key": "retry-media"}
    first = open311.post_multipart(open311.located(), files, headers)
    again = open311.post_multipart(open311.located(), files, headers)
    assert (first.status, again.status) == (201, 200) and first.json == again.json


@pytest.mark.parametrize(
    "body",
    [
        b"api_key=%FF%FE&service_code=x",
        b"\xff\xfe\x00garbage",
        b"attribute[]=x&attribute[a][b]=y&" + b"&".join(b"k%d=v" % i for i in range(1200)),
        b"service_code=" + b"x" * 5000 + b"&lat=1e309&long=-1e309",
    ],
)
def test_garbage_bodies_never_500(open311: Open311, body: bytes) -> None:
    answer = open311.raw_post(body, "application/x-www-form-urlencoded")
    assert answer.status in (400, 403, 404), answer.body
    assert answer.json[0]["code"] == str(answer.status)


def test_malformed_multipart_and_bad_idempotency_key_are_400(open311: Open311) -> None:
    broken = open311.raw_post(b"--nope\r\nnot multipart", "multipart/form-data; boundary=other")
    assert broken.status == 400
    long_key = open311.post(open311.located(), headers={"Idempotency-Key": "k" * 300})
    assert long_key.status == 400 and "Idempotency-Key" in long_key.json[0]["description"]


def test_an_open311_account_id_makes_no_one_the_owner(open311: Open311, session: Session) -> None:
    """A partner naming a resident's subject as ``account_id`` does not give them the report."""
    import json

    token = session.resident()
    me = json.loads(session.call("GET", "/me", token=token).body)
    report_id = open311.submit(SIMPLE_SERVICE, ("account_id", me["sub"]))
    mine = json.loads(session.call("GET", "/me/reports", token=token).body)
    assert report_id not in {r["id"] for r in mine["items"]}
    withdraw = session.call(
        "POST",
        f"/me/reports/{report_id}/withdraw",
        {"reason": "reported_by_mistake", "version": 1},
        token=token,
    )
    assert withdraw.status_code == 403, withdraw.body
    from ioc_core.field_reporting.wiring import intake_service

    assert intake_service().get(report_id).reporter.account_id is None
