"""Open311 GeoReport v2 wire format: XML / Spark-JSON rendering and form parsing."""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from ioc_core.field_reporting.open311 import (
    JSON_CONTENT_TYPE,
    MAX_BODY_BYTES,
    MAX_MEDIA_BYTES,
    XML_CONTENT_TYPE,
    Element,
    FormError,
    UnsupportedFormat,
    format_datetime,
    parse_datetime,
    parse_form,
    render,
    render_errors,
    render_list,
    render_object,
    split_format,
    strip_html,
)

pytestmark = pytest.mark.unit

VN = timezone(timedelta(hours=7))
VIETNAMESE = "Đèn đường hỏng ở phường Phú Thủy"
URLENCODED = "application/x-www-form-urlencoded; charset=utf-8"
BOUNDARY = "----ioc-test-boundary-7MA4YWxk"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"

SERVICES = [
    {
        "service_code": "001",
        "service_name": "Đèn đường hỏng",
        "description": "Đèn chiếu sáng công cộng không sáng",
        "metadata": True,
        "type": "realtime",
        "keywords": "đèn,chiếu sáng",
        "group": "Hạ tầng",
    },
    {
        "service_code": "002",
        "service_name": "Rác thải",
        "description": None,
        "metadata": False,
        "type": "realtime",
        "keywords": "rác",
        "group": "Môi trường",
    },
]

DEFINITION = {
    "service_code": "001",
    "attributes": [
        {
            "variable": True,
            "code": "pole_type",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": None,
            "order": 1,
            "description": "Loại cột đèn?",
            "values": [
                {"key": "steel", "name": "Cột thép"},
                {"key": "concrete", "name": "Bê tông"},
            ],
        },
        {
            "variable": True,
            "code": "count",
            "datatype": "number",
            "required": False,
            "datatype_description": "Số bóng hỏng",
            "order": 2,
            "description": "Bao nhiêu bóng?",
        },
    ],
}

REQUESTS = [
    {
        "service_request_id": "PT-2026-000123",
        "status": "open",
        "service_code": "001",
        "description": VIETNAMESE,
        "requested_datetime": "2026-01-01T07:00:00+07:00",
        "lat": 10.9289,
        "long": 108.1021,
        "media_url": None,
        "extended_attributes": {
            "channel": "zalo",
            "ward_code": "22945",
            "photos": [{"media_url": "https://cdn.example/1.jpg", "width": 1024}],
        },
        "notes": [
            {"datetime": "2026-01-01T07:05:00+07:00", "description": "Đã tiếp nhận", "type": "x"},
            {"datetime": "2026-01-01T08:00:00+07:00", "description": "Đã phân công", "type": "y"},
        ],
    }
]


def parse_xml(body: bytes) -> ET.Element:
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body)


def multipart(*parts: tuple[str, str | None, str | None, bytes]) -> bytes:
    """Parts are (field, filename, content type, data); a None filename makes a text field."""
    chunks = []
    for name, filename, content_type, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
        if content_type:
            head += f"Content-Type: {content_type}\r\n"
        chunks.append(head.encode() + b"\r\n" + data + b"\r\n")
    return b"".join(chunks) + f"--{BOUNDARY}--\r\n".encode()


# --- format from the path --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path_part", "expected"),
    [
        ("123.json", ("123", "json")),
        ("123.xml", ("123", "xml")),
        ("PT-2026.000123.xml", ("PT-2026.000123", "xml")),
        ("services.JSON", ("services", "json")),
    ],
)
def test_split_format_uses_last_dot(path_part: str, expected: tuple[str, str]) -> None:
    assert split_format(path_part) == expected


@pytest.mark.parametrize("path_part", ["123", "123.html", "123.", "json", "123.json.bak"])
def test_split_format_rejects_unknown_extensions(path_part: str) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        split_format(path_part)
    assert isinstance(caught.value, ValueError)


def test_render_rejects_unknown_format() -> None:
    with pytest.raises(UnsupportedFormat):
        render_errors([("400", "x")], "html")


# --- services list -----------------------------------------------------------------------------


def test_services_json_is_a_list_of_objects() -> None:
    body, content_type = render_list("services", "service", SERVICES, "json")
    assert content_type == JSON_CONTENT_TYPE == "application/json; charset=utf-8"
    decoded = json.loads(body.decode("utf-8"))
    assert decoded == SERVICES
    assert decoded[0]["service_code"] == "001"  # a string, never the number 1
    assert decoded[0]["metadata"] is True
    assert decoded[1]["description"] is None


def test_services_xml_has_declaration_and_spark_names() -> None:
    body, content_type = render_list("services", "service", SERVICES, "xml")
    assert content_type == XML_CONTENT_TYPE == "text/xml; charset=utf-8"
    root = parse_xml(body)
    assert root.tag == "services"
    assert [child.tag for child in root] == ["service", "service"]
    first, second = root
    assert [child.tag for child in first] == list(SERVICES[0])
    assert first.findtext("service_code") == "001"
    assert first.findtext("metadata") == "true"
    assert second.findtext("metadata") == "false"
    assert second.find("description") is not None
    assert second.findtext("description") == ""
    assert b"xmlns" not in body


# --- service definition ------------------------------------------------------------------------


def test_service_definition_json_is_an_object_with_nested_lists() -> None:
    body, _ = render_object("service_definition", DEFINITION, "json")
    decoded = json.loads(body)
    assert decoded == DEFINITION
    assert [value["key"] for value in decoded["attributes"][0]["values"]] == ["steel", "concrete"]
    assert decoded["attributes"][0]["order"] == 1


def test_service_definition_xml_nests_attribute_and_value() -> None:
    body, _ = render_object("service_definition", DEFINITION, "xml")
    root = parse_xml(body)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "001"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["pole_type", "count"]
    assert attributes[0].findtext("required") == "true"
    assert attributes[0].findtext("order") == "1"
    values = attributes[0].findall("values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("steel", "Cột thép"),
        ("concrete", "Bê tông"),
    ]
    assert attributes[1].find("values") is None


def test_discovery_lists_of_scalars() -> None:
    discovery = {
        "changeset": "2026-01-01T00:00:00+07:00",
        "contact": "ioc@phanthiet.gov.vn",
        "key_service": "https://ioc.phanthiet.gov.vn/keys",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": "https://api.example/open311/v2",
                "changeset": "2026-01-01T00:00:00+07:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    decoded = json.loads(render_object("discovery", discovery, "json")[0])
    assert decoded["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    root = parse_xml(render_object("discovery", discovery, "xml")[0])
    formats = root.findall("endpoints/endpoint/formats/format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]


# --- service requests with extensions ----------------------------------------------------------


def test_requests_json_keeps_extended_attributes_as_object() -> None:
    decoded = json.loads(render_list("service_requests", "request", REQUESTS, "json")[0])
    assert isinstance(decoded, list) and len(decoded) == 1
    request = decoded[0]
    assert request["service_request_id"] == "PT-2026-000123"
    assert request["lat"] == pytest.approx(10.9289)
    assert request["extended_attributes"]["ward_code"] == "22945"
    assert request["extended_attributes"]["photos"][0]["width"] == 1024
    assert [note["description"] for note in request["notes"]] == ["Đã tiếp nhận", "Đã phân công"]


def test_requests_xml_nests_extended_attributes_and_notes() -> None:
    root = parse_xml(render_list("service_requests", "request", REQUESTS, "xml")[0])
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("lat") == "10.9289"
    assert request.findtext("extended_attributes/channel") == "zalo"
    photo = request.find("extended_attributes/photos/photo")
    assert photo is not None and photo.findtext("width") == "1024"
    assert [n.findtext("type") for n in request.findall("notes/note")] == ["x", "y"]


def test_list_field_without_item_name_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="tags"):
        render_list("service_requests", "request", [{"tags": ["a"]}], "json")
    body, _ = render_list(
        "service_requests", "request", [{"tags": ["a"]}], "xml", list_fields={"tags": "tag"}
    )
    assert parse_xml(body).findtext("request/tags/tag") == "a"


def test_unsupported_values_and_names_are_rejected() -> None:
    with pytest.raises(TypeError):
        render_list("services", "service", [{"when": datetime(2026, 1, 1, tzinfo=UTC)}], "json")
    with pytest.raises(ValueError):
        render_list("services", "service", [{"bad name": "x"}], "xml")
    with pytest.raises(ValueError):
        render_list("services", "service", [{"lat": float("nan")}], "json")


# --- errors ------------------------------------------------------------------------------------


def test_errors_json_sends_code_exactly_as_given() -> None:
    body, content_type = render_errors([("403", "Khóa API không hợp lệ / Invalid api_key")], "json")
    assert content_type == JSON_CONTENT_TYPE
    assert json.loads(body) == [{"code": "403", "description": "Khóa API không hợp lệ / Invalid api_key"}]
    assert json.loads(render_errors([(404, "x")], "json")[0]) == [{"code": 404, "description": "x"}]


def test_errors_xml() -> None:
    body, content_type = render_errors([("400", "Thiếu service_code"), ("400", "Thiếu vị trí")], "xml")
    assert content_type == XML_CONTENT_TYPE
    root = parse_xml(body)
    assert root.tag == "errors"
    errors = root.findall("error")
    assert [(e.findtext("code"), e.findtext("description")) for e in errors] == [
        ("400", "Thiếu service_code"),
        ("400", "Thiếu vị trí"),
    ]


# --- text safety -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_vietnamese_round_trips(fmt: str) -> None:
    body, _ = render_list("service_requests", "request", [{"description": VIETNAMESE}], fmt)
    assert VIETNAMESE.encode("utf-8") in body  # raw UTF-8, not \u escapes or entities
    if fmt == "json":
        assert json.loads(body)[0]["description"] == VIETNAMESE
    else:
        assert parse_xml(body).findtext("request/description") == VIETNAMESE


def test_xml_escapes_markup_and_drops_illegal_characters() -> None:
    text = '<script>alert("x")</script> & ]]> \x00\x0b ok'
    root = parse_xml(render_list("errors", "error", [{"description": text}], "xml")[0])
    assert root.findtext("error/description") == '<script>alert("x")</script> & ]]>  ok'


def test_render_accepts_hand_built_elements() -> None:
    document = Element("service_requests", [Element("request", {"token": "t-1"})])
    assert json.loads(render(document, "json")[0]) == [{"token": "t-1"}]
    assert parse_xml(render(document, "xml")[0]).findtext("request/token") == "t-1"


# --- urlencoded forms --------------------------------------------------------------------------


def test_urlencoded_fields_are_nfc_trimmed_and_first_value_wins() -> None:
    decomposed = unicodedata.normalize("NFD", VIETNAMESE)
    assert decomposed != VIETNAMESE
    raw = (
        f"service_code=001&description={quote('  ' + decomposed + ' ')}"
        "&first_name=Lan+Anh&service_code=002&lat=10.93"
    ).encode()
    form = parse_form(raw, URLENCODED)
    assert form.fields == {
        "service_code": "001",
        "description": VIETNAMESE,
        "first_name": "Lan Anh",
        "lat": "10.93",
    }
    assert form.get("service_code") == "001"
    assert form.getlist("service_code") == ["001", "002"]
    assert form.media == []


def test_empty_parameters_behave_as_absent() -> None:
    form = parse_form(
        b"jurisdiction_id=&email=%20&service_code=001&attribute[x]=&attribute[y][]=", URLENCODED
    )
    assert form.fields == {"service_code": "001"}
    assert "jurisdiction_id" not in form.fields
    assert form.attributes == {}


def test_attributes_single_and_multi_value() -> None:
    raw = (
        b"attribute%5Bpole_type%5D=steel&attribute[pole_type]=concrete"
        b"&attribute%5Bdamage%5D%5B%5D=wire&attribute[damage][]=bulb&attribute[damage][]="
        b"&attribute[note]=C%E1%BB%99t+nghi%C3%AAng"
    )
    form = parse_form(raw, "application/x-www-form-urlencoded")
    assert form.attributes == {
        "pole_type": "steel",
        "damage": ["wire", "bulb"],
        "note": "Cột nghiêng",
    }
    assert "attribute[pole_type]" not in form.fields


def test_raw_utf8_in_urlencoded_body_is_accepted() -> None:
    form = parse_form(f"description={VIETNAMESE}".encode(), URLENCODED)
    assert form.fields["description"] == VIETNAMESE


@pytest.mark.parametrize("raw", [b"description=%FF%FE", b"description=\xff\xfe", b"x=%C3"])
def test_invalid_utf8_is_rejected(raw: bytes) -> None:
    with pytest.raises(FormError, match="UTF-8"):
        parse_form(raw, URLENCODED)


@pytest.mark.parametrize("content_type", [None, "", "application/json", "text/plain"])
def test_missing_or_unknown_content_type_is_rejected(content_type: str | None) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(b"service_code=001", content_type)
    assert caught.value.en and caught.value.vi
    assert caught.value.en in str(caught.value) and caught.value.vi in str(caught.value)


def test_non_utf8_charset_is_rejected() -> None:
    with pytest.raises(FormError, match="charset"):
        parse_form(b"a=b", "application/x-www-form-urlencoded; charset=iso-8859-1")


def test_body_limit_applies_to_urlencoded() -> None:
    with pytest.raises(FormError, match="12 MB"):
        parse_form(b"a=" + b"x" * MAX_BODY_BYTES, URLENCODED)


# --- multipart forms ---------------------------------------------------------------------------


JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\r\n--not-the-boundary\r\n\xff\xd9"


def test_multipart_with_one_media_file() -> None:
    body = multipart(
        ("service_code", None, None, b"001"),
        ("description", None, "text/plain; charset=utf-8", VIETNAMESE.encode()),
        ("attribute[damage][]", None, None, b"bulb"),
        ("media", "den.jpg", "image/jpeg", JPEG),
    )
    form = parse_form(body, MULTIPART)
    assert form.fields == {"service_code": "001", "description": VIETNAMESE}
    assert form.attributes == {"damage": ["bulb"]}
    (photo,) = form.media
    assert (photo.field, photo.filename, photo.content_type) == ("media", "den.jpg", "image/jpeg")
    assert photo.data == JPEG
    assert photo.size == len(JPEG)


def test_multipart_with_two_media_array_files() -> None:
    body = multipart(
        ("service_code", None, None, b"001"),
        ("media[]", "Ảnh 1.jpg", "image/jpeg", JPEG),
        ("media[]", "C:\\Users\\lan\\b.png", None, b"\x89PNG\r\n"),
        ("media[]", "", "application/octet-stream", b""),  # an empty file input
        ("photo", "other.jpg", "image/jpeg", b"ignored"),
    )
    form = parse_form(body, MULTIPART)
    assert [(m.field, m.filename, m.content_type) for m in form.media] == [
        ("media[]", "Ảnh 1.jpg", "image/jpeg"),
        ("media[]", "b.png", "application/octet-stream"),
    ]
    assert [m.data for m in form.media] == [JPEG, b"\x89PNG\r\n"]
    assert form.fields == {"service_code": "001"}


def test_multipart_limits_number_of_media_files() -> None:
    body = multipart(*[("media", f"{i}.jpg", "image/jpeg", b"x") for i in range(4)])
    with pytest.raises(FormError, match="At most 3"):
        parse_form(body, MULTIPART)
    assert len(parse_form(multipart(*[("media", "a", None, b"x")] * 3), MULTIPART).media) == 3


def test_multipart_limits_file_size() -> None:
    at_limit = multipart(("media", "ok.jpg", "image/jpeg", b"x" * MAX_MEDIA_BYTES))
    assert parse_form(at_limit, MULTIPART).media[0].size == MAX_MEDIA_BYTES
    too_big = multipart(("media", "big.jpg", "image/jpeg", b"x" * (MAX_MEDIA_BYTES + 1)))
    with pytest.raises(FormError, match="5 MB"):
        parse_form(too_big, MULTIPART)


def test_multipart_limits_total_body() -> None:
    body = multipart(*[("media", f"{i}.jpg", None, b"x" * (4 * 1024 * 1024 + 1)) for i in range(3)])
    assert len(body) > MAX_BODY_BYTES
    with pytest.raises(FormError, match="Nội dung yêu cầu"):
        parse_form(body, MULTIPART)


def test_multipart_text_field_must_be_utf8() -> None:
    with pytest.raises(FormError, match="UTF-8"):
        parse_form(multipart(("description", None, None, b"\xff\xfe")), MULTIPART)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--x\r\n\r\nabc", "multipart/form-data"),  # no boundary parameter
        (b"no boundary here", MULTIPART),
        (multipart(("a", None, None, b"1"))[: -len("--\r\n") - len(BOUNDARY) - 2], MULTIPART),
    ],
)
def test_malformed_multipart_is_rejected(body: bytes, content_type: str) -> None:
    with pytest.raises(FormError, match="multipart"):
        parse_form(body, content_type)


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-01T00:00:00Z",
        "2026-01-01T07:00:00+07:00",
        "2026-01-01T07:00:00 07:00",  # '+' decoded as a space in a query string
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T07:00:00",  # naive: Vietnam time
    ],
)
def test_parse_datetime_same_instant(value: str) -> None:
    parsed = parse_datetime(value)
    assert parsed.tzinfo is not None
    assert parsed == datetime(2026, 1, 1, tzinfo=UTC)


def test_parse_date_only_is_midnight_in_vietnam() -> None:
    parsed = parse_datetime("2026-01-01")
    assert parsed == datetime(2026, 1, 1, tzinfo=VN)
    assert parsed.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "",
        "2026-13-01",
        "2026-01-01T25:00:00Z",
        "01/02/2026",
        "9999-12-31T23:59:59-12:00",
    ],
)
def test_parse_datetime_rejects_garbage(value: str) -> None:
    with pytest.raises(FormError):
        parse_datetime(value)


def test_format_datetime_is_vietnam_time_with_seconds() -> None:
    assert format_datetime(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T07:00:00+07:00"
    assert format_datetime(datetime(2026, 1, 1, 7, 0, 0, 999_999)) == "2026-01-01T07:00:00+07:00"
    assert parse_datetime(format_datetime(datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))) == datetime(
        2026, 3, 4, 5, 6, 7, tzinfo=UTC
    )


# --- descriptions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>Đèn</b> &amp; cột", "Đèn & cột"),
        ("Dòng 1<br>Dòng 2<p>Đoạn</p>", "Dòng 1\nDòng 2\n\nĐoạn"),
        ("a<script>alert(1)</script>b<!-- c -->", "ab"),
        ("  nhiều    khoảng\t trắng&nbsp;x  ", "nhiều khoảng trắng x"),
        ("giá < 5 và 1<2", "giá < 5 và 1<2"),
        (unicodedata.normalize("NFD", VIETNAMESE), VIETNAMESE),
        ("a\n\n\n\n\nb\x00", "a\n\nb"),
    ],
)
def test_strip_html(raw: str, expected: str) -> None:
    assert strip_html(raw) == expected
