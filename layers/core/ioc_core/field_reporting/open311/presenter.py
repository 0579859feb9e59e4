"""Open311 GeoReport v2 presenter: catalogue, reports and errors as Open311 documents.

Pure functions, no HTTP framework: each returns the plain dict the wire module renders as XML or
Spark JSON. Only public fields leave here; the reporter (names, phone, email, device, account)
never does. Codes and ids are strings, datetimes ISO 8601 with ``+07:00``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from ioc_core.field_reporting import disclosure
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.models import (
    STATUS_LABELS,
    AttributeDefinition,
    AttributeValue,
    HistoryEntry,
    Photo,
    Report,
    ServiceDefinition,
)
from ioc_core.field_reporting.open311.forms import format_datetime
from ioc_core.shared.errors import DomainError

Lang = Literal["vi", "en"]
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("text/xml", "application/json")
CONTACT = (
    "Trung tâm Giám sát, điều hành đô thị thông minh (IOC) Phan Thiết, tỉnh Lâm Đồng"
    " / Phan Thiet Intelligent Operations Center, Lam Dong province"
)
KEY_SERVICE = (
    "api_key do Trung tâm IOC Phan Thiết cấp cho đơn vị tích hợp; chỉ cần khi gửi phản ánh"
    " / api_key is issued by the Phan Thiet IOC to integrators; only needed to submit requests"
)
# The spec allows 400/403/404 only; a finer domain status travels as the error code.
SPEC_STATUSES = frozenset({400, 403, 404})


@dataclass(frozen=True)
class RequestView:
    """What turning a report into an Open311 ``request`` needs besides the report."""

    catalogue: Catalogue
    lang: Lang
    photo_url: Callable[[str, str], str]  # (report id, photo key) → the photo's public link
    ward_name: Callable[[str], str | None] = lambda _code: None
    extensions: bool = False


def language(lang: str | None, accept_language: str | None = None) -> Lang:
    """``?lang=`` wins, then the first Accept-Language tag; Vietnamese unless English is asked."""
    for candidate in (lang, (accept_language or "").split(",", 1)[0]):
        tag = (candidate or "").split(";", 1)[0].strip().lower()
        if tag:
            return "en" if tag.split("-", 1)[0] == "en" else "vi"
    return "vi"


# -- catalogue --------------------------------------------------------------------------------


def service_item(service: ServiceDefinition, catalogue: Catalogue, lang: Lang) -> dict[str, Any]:
    group = catalogue.group(service.group)
    return {
        "service_code": service.service_code,
        "service_name": service.name.get(lang),
        "description": service.description.get(lang),
        "metadata": service.has_metadata,
        "type": service.type,
        "keywords": ", ".join(service.keywords),
        "group": group.name.get(lang) if group else service.group,
    }


def service_definition(service: ServiceDefinition, lang: Lang) -> dict[str, Any]:
    ordered = sorted(service.attributes, key=lambda a: a.order)
    return {
        "service_code": service.service_code,
        "attributes": [_attribute(a, lang) for a in ordered],
    }


def _attribute(attribute: AttributeDefinition, lang: Lang) -> dict[str, Any]:
    described = attribute.datatype_description
    item: dict[str, Any] = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype.value,
        "required": attribute.required,
        "datatype_description": described.get(lang) if described else None,
        "order": attribute.order,
        "description": attribute.description.get(lang),
    }
    if attribute.is_list:
        item["values"] = [{"key": v.key, "name": v.name.get(lang)} for v in attribute.values]
    return item


def discovery(base_url: str, changeset: str, *, production: bool = False) -> dict[str, Any]:
    return {
        "changeset": changeset,
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base_url.rstrip('/')}/open311/v2",
                "changeset": changeset,
                "type": "production" if production else "test",
                "formats": list(FORMATS),
            }
        ],
    }


# -- requests ---------------------------------------------------------------------------------


def submitted_item(report: Report, service: ServiceDefinition, lang: Lang) -> dict[str, Any]:
    """The POST answer: the id, or only the token for a ``batch`` service; never both."""
    handle = {"token": report.token} if report.token else {"service_request_id": report.report_id}
    return {
        **handle,
        "service_notice": service.notice.get(lang) if service.notice else None,
        "account_id": None,
    }


def token_item(report: Report) -> dict[str, Any]:
    return {"service_request_id": report.report_id, "token": report.token}


def request_item(report: Report, view: RequestView) -> dict[str, Any]:
    service = view.catalogue.service(report.service_code)
    unit = view.catalogue.unit(report.agency_responsible)
    closed = report.status.is_closed
    updated = report.closed_at if closed and report.closed_at else report.updated_at
    item: dict[str, Any] = {
        "service_request_id": report.report_id,
        "status": report.status.open311,
        "status_notes": disclosure.mask_personal(report.status_notes),
        "service_name": service.name.get(view.lang) if service else report.service_code,
        "service_code": report.service_code,
        "description": disclosure.mask_personal(report.description),
        "agency_responsible": unit.name.get(view.lang) if unit else report.agency_responsible,
        "service_notice": service.notice.get(view.lang) if service and service.notice else None,
        "requested_datetime": format_datetime(report.requested_at),
        "updated_datetime": format_datetime(updated),
        "expected_datetime": _datetime(report.expected_at),
        "address": disclosure.mask_personal(
            address_line(report.location.address, view.ward_name(report.location.ward_code))
        ),
        "address_id": None,
        "zipcode": None,
        "lat": report.location.lat,
        "long": report.location.lon,
        "media_url": _media_url(report, view.photo_url),
    }
    if view.extensions:
        item.update(_extensions(report, service, view))
    return item


def address_line(address: str | None, ward: str | None) -> str | None:
    """Specific → general, as Vietnamese addresses are written; the ward only once."""
    if address and ward and ward.casefold() not in address.casefold():
        return f"{address}, {ward}"
    return address or ward


def _public_photos(report: Report) -> list[Photo]:
    shown = disclosure.public_photo_keys(report)
    return [photo for photo in report.photos if photo.key in shown]


def _media_url(report: Report, photo_url: Callable[[str, str], str]) -> str | None:
    # Uploaded files win over a client-sent media_url (GeoReport v2.1 draft, issue #9); both
    # are shown once the city has verified the report.
    photos = _public_photos(report)
    if photos:
        return photo_url(report.report_id, photos[0].key)
    return report.media_url if disclosure.is_public(report) else None


def _datetime(value: datetime | None) -> str | None:
    return format_datetime(value) if value is not None else None


def _extensions(report: Report, service: ServiceDefinition | None, view: RequestView) -> dict[str, Any]:
    unit = view.catalogue.unit(report.agency_responsible)
    label = STATUS_LABELS[report.status]
    return {
        "attributes": _answers(report.attributes, service, view.lang),
        "extended_attributes": {
            "status_detail": report.status.value,
            "status_label": label.vi,
            "status_label_en": label.en,
            "ward_code": report.location.ward_code,
            "ward_name": view.ward_name(report.location.ward_code),
            "channel": report.channel,
            "agency_code": report.agency_responsible,
            "agency_name": unit.name.get(view.lang) if unit else None,
            "photos": [
                {
                    "media_url": view.photo_url(report.report_id, photo.key),
                    "title": f"Ảnh {number} / Photo {number}",
                    "width": photo.width,
                    "height": photo.height,
                    "orientation": _orientation(photo.width, photo.height),
                    "created_at": format_datetime(report.requested_at),
                }
                for number, photo in enumerate(_public_photos(report), start=1)
            ],
        },
        "notes": [_note(entry, view.lang) for entry in disclosure.status_steps(report)],
    }


def _answers(
    answers: dict[str, AttributeValue], service: ServiceDefinition | None, lang: Lang
) -> list[dict[str, Any]]:
    """One ``{label, name, value, code}`` per answer; a multivaluelist gives one per value."""
    definitions = {a.code: a for a in service.attributes} if service else {}
    items = []
    for code, answer in answers.items():
        definition = definitions.get(code)
        names = {v.key: v.name.get(lang) for v in definition.values} if definition else {}
        for value in answer if isinstance(answer, list) else [answer]:
            items.append(
                {
                    "label": definition.description.get(lang) if definition else code,
                    "name": names.get(value, value),
                    "value": value,
                    "code": code,
                }
            )
    return items


def _note(entry: HistoryEntry, lang: Lang) -> dict[str, Any]:
    # The actor is left out on purpose: it names staff or the citizen's channel account.
    label = STATUS_LABELS[entry.status].get(lang)
    note = disclosure.public_note(entry)
    return {
        "datetime": format_datetime(entry.at),
        "type": "status_change",
        "status": entry.status.value,
        "description": f"{label}: {note}" if note else label,
    }


def _orientation(width: int | None, height: int | None) -> str | None:
    if not width or not height:
        return None
    return "landscape" if width > height else "portrait" if height > width else "square"


# -- errors -----------------------------------------------------------------------------------

# English messages of the domain (and of the Open311 handlers) → Vietnamese. Groups are
# re-inserted as they came, so values quoted from the client survive untranslated.
_VIETNAMESE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + r"\Z"), vi)
    for pattern, vi in (
        (
            r"send both lat and lon, or neither",
            "hãy gửi cả vĩ độ và kinh độ (lat, long), hoặc không gửi cả hai",
        ),
        (r"lat/lon are not WGS84 coordinates", "lat/long không phải tọa độ WGS84"),
        (
            r"the location is outside Phan Thiet's wards",
            "vị trí nằm ngoài các phường, xã của Phan Thiết",
        ),
        (
            r"the address names no ward of Phan Thiet; send lat and lon",
            "địa chỉ không nêu tên phường, xã nào của Phan Thiết; hãy gửi lat và long",
        ),
        (
            r"a location is required: .*",
            "cần có vị trí: lat và long, hoặc địa chỉ có tên phường, xã",
        ),
        (r"at most (?P<n>\d+) characters", "tối đa {n} ký tự"),
        (r"longer than (?P<n>\d+) characters", "dài quá {n} ký tự"),
        (
            r"not a Vietnamese mobile number.*",
            "không phải số di động Việt Nam (+84 hoặc 0, rồi 9 chữ số)",
        ),
        (r"not an email address", "không phải địa chỉ email"),
        (r"at most (?P<n>\d+) photos", "tối đa {n} ảnh"),
        (r"at most (?P<n>\d+) MB", "tối đa {n} MB"),
        (
            r"no uploaded photo (?P<k>'.*'); upload it first",
            "không có ảnh {k} đã tải lên; hãy tải ảnh lên trước",
        ),
        (
            r"(?P<k>'.*') is not a JPEG, PNG, WebP or HEIC image",
            "{k} không phải ảnh JPEG, PNG, WebP hoặc HEIC",
        ),
        (r"(?P<k>'.*') is larger than (?P<n>\d+) MB", "{k} lớn hơn {n} MB"),
        (r"send a JPEG, PNG, WebP or HEIC", "hãy gửi ảnh JPEG, PNG, WebP hoặc HEIC"),
        (r"unknown attribute (?P<c>'.*') for (?P<s>\S+)", "loại {s} không có thuộc tính {c}"),
        (r"attribute (?P<c>'.*') is required", "thuộc tính {c} là bắt buộc"),
        (r"attribute (?P<c>'.*') takes one value", "thuộc tính {c} chỉ nhận một giá trị"),
        (r"values (?P<v>.*) are not among (?P<k>.*)", "các giá trị {v} không thuộc {k}"),
        (r"(?P<v>'.*') is not among (?P<k>.*)", "{v} không thuộc {k}"),
        (r"(?P<v>'.*') is not a number", "{v} không phải là số"),
        (r"(?P<v>'.*') is not a whole number from 1", "{v} không phải số nguyên từ 1 trở lên"),
        (r"(?P<v>'.*') is not an ISO 8601 date-time", "{v} không phải ngày giờ ISO 8601"),
        (
            r"(?P<v>'.*') is not open, closed or open,closed",
            "{v} không phải open, closed hoặc open,closed",
        ),
        (r"(?P<v>'.*') is not true or false", "{v} không phải true hoặc false"),
        (r"is required", "là bắt buộc"),
        (r"is before start", "sớm hơn start_date"),
        (r"more than (?P<n>\d+) days after start", "cách start_date quá {n} ngày"),
        (r"at most (?P<n>\d+) ids", "tối đa {n} mã"),
        (r"\S+ is too far from today for a (?P<n>\d+)-day window", "quá xa hiện tại cho khoảng {n} ngày"),
        (r"The request has invalid fields\.", "Yêu cầu có trường không hợp lệ."),
        (r"media is not an image", "Tệp media không phải ảnh"),
        (r"media is too large", "Tệp media quá lớn"),
        (
            r"Unknown service_code (?P<c>'.*')\. .*",
            "Không có loại phản ánh (service_code) {c}; xem danh sách ở services.json.",
        ),
        (r"No report (?P<i>'.*')\.", "Không tìm thấy phản ánh {i}."),
        (r"No request for token (?P<t>'.*')\.", "Không có phản ánh nào ứng với mã {t}."),
        (r"Unknown jurisdiction_id (?P<j>'.*')\..*", "Không phục vụ jurisdiction_id {j}."),
        (r"Unknown resource (?P<r>'.*')\..*", "Không có tài nguyên {r}."),
        (r"A valid api_key is required.*", "Cần api_key hợp lệ để gửi phản ánh."),
        (
            r"The request with this Idempotency-Key is still being stored\.",
            "Phản ánh với Idempotency-Key này đang được lưu; hãy thử lại sau giây lát.",
        ),
        (
            r"This Idempotency-Key was already used for a different report\.",
            "Idempotency-Key này đã được dùng cho một phản ánh khác.",
        ),
        (r"Idempotency-Key is .*", "Idempotency-Key phải dài 1 đến 255 ký tự in được."),
        (r"not an http\(s\) URL", "không phải URL http(s)"),
    )
)
_FALLBACK = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền",
    404: "Không tìm thấy",
    409: "Xung đột dữ liệu",
}


def vietnamese(message: str, status: int = 400) -> str:
    """The Vietnamese of a known English message; a generic phrase by status otherwise."""
    for pattern, template in _VIETNAMESE:
        match = pattern.match(message)
        if match:
            return template.format(**match.groupdict())
    return _FALLBACK.get(status, "Lỗi")


def http_status(error: DomainError) -> int:
    """Open311 clients only know 400/403/404: a 409 conflict is answered 400 (code "409")."""
    return error.status if error.status in SPEC_STATUSES else 400


# The domain's field names (``ReportDraft``'s) → Open311's.
_FIELD_NAMES = {
    "lon": "long",
    "address": "address_string",
    "reporter.phone": "phone",
    "reporter.email": "email",
    "reporter.first_name": "first_name",
    "reporter.last_name": "last_name",
    "photo_keys": "media",
    "start": "start_date",
    "end": "end_date",
    "ids": "service_request_id",
}


def field_name(domain_field: str) -> str:
    """``attributes.severity`` → ``attribute[severity]``, ``reporter.phone`` → ``phone``."""
    if domain_field.startswith("attributes."):
        return f"attribute[{domain_field.removeprefix('attributes.')}]"
    return _FIELD_NAMES.get(domain_field, domain_field)


def error_items(error: DomainError) -> list[tuple[str, str]]:
    """One ``(code, "vi / en")`` per field problem, naming the field as Open311 does; else one
    for the error."""
    code = str(error.status)
    if error.problems:
        return [
            (code, f"{name}: {vietnamese(p.message, error.status)} / {name}: {p.message}")
            for p in error.problems
            for name in [field_name(p.field)]
        ]
    return [(code, bilingual(vietnamese(error.message, error.status), error.message))]


def bilingual(vi: str, en: str) -> str:
    return f"{vi} / {en}"
