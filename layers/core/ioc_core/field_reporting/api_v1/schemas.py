"""Wire models of the mobile JSON API: what a phone sends, and what it gets back.

Requests are strict (no coercion, no unknown fields: a typo such as ``lng`` is an error, not
a silently dropped coordinate). Responses forbid extra fields too, so the OpenAPI document
generated from them says exactly what leaves the city, and nothing personal can slip in.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ioc_core.field_reporting.models import Datatype, ReportDraft, Reporter, ReportStatus
from ioc_core.field_reporting.service import MAX_DESCRIPTION, MAX_PHOTOS
from ioc_core.platform.api.wire import WireReply, WireRequest

CHANNEL = "mobile"
MAX_ADDRESS = 500
MAX_ANSWER = 4000
MAX_CHOICE = 500
MAX_CHOICES = 20
MAX_ATTRIBUTES = 30
PUBLIC_SUMMARY = 200  # characters of a description in the public list

# Identifiers as they appear in paths, queries and bodies.
REPORT_ID_PATTERN = r"^[A-Za-z0-9-]{1,32}$"
PHOTO_ID_PATTERN = r"^[0-9a-f]{32}$"
PHOTO_KEY_PATTERN = r"^uploads/[0-9a-f]{32}$"
SERVICE_CODE_PATTERN = r"^[a-z0-9_]{1,64}$"
WARD_CODE_PATTERN = r"^[0-9]{5}$"
# 1–128 printable ASCII characters; no space at either end (HTTP would strip it).

ServiceCode = Annotated[str, StringConstraints(pattern=SERVICE_CODE_PATTERN)]
WardCode = Annotated[str, StringConstraints(pattern=WARD_CODE_PATTERN)]
PhotoKey = Annotated[str, StringConstraints(pattern=PHOTO_KEY_PATTERN)]
AttributeCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]
PhotoType = Literal["image/heic", "image/jpeg", "image/png", "image/webp"]
Lang = Literal["vi", "en"]
VnDateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


def _answer(value: Any) -> str | list[str]:
    """One error per bad answer (a plain union would report one per member type)."""
    if isinstance(value, str):
        if len(value) > MAX_ANSWER:
            raise PydanticCustomError(
                "answer_too_long", f"Tối đa {MAX_ANSWER} ký tự / At most {MAX_ANSWER} characters"
            )
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        if len(value) > MAX_CHOICES or any(len(item) > MAX_CHOICE for item in value):
            raise PydanticCustomError(
                "answer_too_long",
                f"Tối đa {MAX_CHOICES} lựa chọn, mỗi lựa chọn {MAX_CHOICE} ký tự"
                f" / At most {MAX_CHOICES} choices of {MAX_CHOICE} characters",
            )
        return list(value)
    raise PydanticCustomError(
        "answer_type", "Phải là chuỗi hoặc danh sách chuỗi / Must be a string or a list of strings"
    )


AttributeAnswer = Annotated[
    str | list[str],
    PlainValidator(_answer),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": MAX_ANSWER},
                {
                    "type": "array",
                    "items": {"type": "string", "maxLength": MAX_CHOICE},
                    "maxItems": MAX_CHOICES,
                },
            ]
        }
    ),
]


# -- requests ---------------------------------------------------------------------------------


class UploadRequest(WireRequest):
    """Ask for a presigned upload; the phone then POSTs the photo straight to storage."""

    content_type: PhotoType


class Contact(WireRequest):
    """Personal data: kept for the city's staff, never shown on a public endpoint."""

    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=32, description="+84 or 0, then 9 digits")
    email: str | None = Field(default=None, max_length=254)


class ReportRequest(WireRequest):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service_code": "road_damage",
                    "lat": 10.928,
                    "long": 108.102,
                    "description": "Ổ gà lớn trước số 12 Trần Hưng Đạo",
                    "attributes": {"severity": "high"},
                }
            ]
        }
    )

    service_code: ServiceCode
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    long: float = Field(ge=-180, le=180, allow_inf_nan=False)
    address: str | None = Field(default=None, max_length=MAX_ADDRESS)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
    attributes: dict[AttributeCode, AttributeAnswer] = Field(default_factory=dict, max_length=MAX_ATTRIBUTES)
    photos: list[PhotoKey] = Field(default_factory=list, max_length=MAX_PHOTOS)
    contact: Contact | None = None
    device_id: str | None = Field(default=None, max_length=200)

    def to_draft(self) -> ReportDraft:
        contact = self.contact or Contact()
        return ReportDraft(
            service_code=self.service_code,
            lat=self.lat,
            lon=self.long,
            address=self.address,
            description=self.description,
            attributes=dict(self.attributes),
            photo_keys=list(self.photos),
            reporter=Reporter(
                first_name=contact.first_name,
                last_name=contact.last_name,
                phone=contact.phone,
                email=contact.email,
                device_id=self.device_id,
            ),
            channel=CHANNEL,
        )


class PhotoQuery(BaseModel):
    """One of the two: the public report that shows the photo, or the link the API signed."""

    report: Annotated[str, StringConstraints(pattern=REPORT_ID_PATTERN)] | None = None
    access: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = None


class PublicReportsQuery(BaseModel):
    """The public list: the last ``days`` days, at most ``limit`` reports (the map says how
    many it shows of how many there are)."""

    days: int = Field(default=30, ge=1, le=90)
    limit: int = Field(default=100, ge=1, le=200)
    service: ServiceCode | None = Field(default=None, examples=["road_damage"])
    ward: WardCode | None = Field(default=None, examples=["22945"])


class CategoriesQuery(BaseModel):
    lang: Lang = "vi"


class StatsQuery(BaseModel):
    """The city by default; or one ward, or one category (the projection keeps those rows)."""

    ward: WardCode | None = Field(default=None, examples=["22945"])
    service: ServiceCode | None = Field(default=None, examples=["road_damage"])

    @field_validator("service")
    @classmethod
    def _one_scope(cls, service: str | None, info: ValidationInfo) -> str | None:
        if service and info.data.get("ward"):
            raise PydanticCustomError(
                "one_scope",
                "Chọn phường hoặc lĩnh vực, không cả hai / Ask for a ward or a category",
            )
        return service

    @property
    def scope(self) -> str:
        """The counter row, as ``ioc_core.field_reporting.stats.scopes`` names it."""
        if self.ward:
            return f"ward#{self.ward}"
        if self.service:
            return f"service#{self.service}"
        return "all"


# -- replies ----------------------------------------------------------------------------------


class Names(WireReply):
    vi: str
    en: str


class UploadTicket(WireReply):
    key: str = Field(description="Cite it in the report's photos once the upload succeeded")
    url: str = Field(description="POST the photo here as multipart/form-data")
    fields: dict[str, str] = Field(description="Form fields to send before the file")
    expires_in: int = Field(description="Seconds the ticket is valid")
    max_bytes: int


class ServiceRef(WireReply):
    code: str
    name: Names


class StatusView(WireReply):
    code: ReportStatus
    label: Names
    state: Literal["open", "closed"]


class WardRef(WireReply):
    code: str
    name: Names


class HistoryItem(WireReply):
    status: ReportStatus
    label: Names
    at: VnDateTime
    note: str | None


class RatingView(WireReply):
    score: int = Field(ge=1, le=5)


class TrackingView(WireReply):
    """What anyone holding the id may see: no reporter, no actor, no contact."""

    id: str
    service: ServiceRef
    status: StatusView
    description: str | None
    ward: WardRef
    lat: float
    long: float
    requested_datetime: VnDateTime
    updated_datetime: VnDateTime
    expected_datetime: VnDateTime | None
    closed_datetime: VnDateTime | None
    photos: list[str] = Field(description="shown once the city has verified the report")
    after_photos: list[str] = Field(description="the photos of the city's resolution")
    history: list[HistoryItem]
    rating: RatingView | None


class PublicReportItem(WireReply):
    """A report in the public list: what and where, its words masked; never who sent it."""

    id: str
    service: ServiceRef
    status: StatusView
    ward: WardRef
    lat: float
    long: float
    requested_datetime: VnDateTime
    updated_datetime: VnDateTime
    description: str | None = Field(
        description=f"masked (phone, citizen-ID, e-mail), at most {PUBLIC_SUMMARY} characters"
    )


class PublicReportsPage(WireReply):
    items: list[PublicReportItem] = Field(description="newest first")
    total: int = Field(description="how many reports the list holds in all (items shows at most limit)")
    days: int
    limit: int


class AttributeOptionView(WireReply):
    key: str
    name: str


class AttributeView(WireReply):
    code: str
    datatype: Datatype
    variable: bool
    required: bool
    order: int
    description: str
    values: list[AttributeOptionView]


class SlaHours(WireReply):
    verify: float
    resolve: float


class CategoryView(WireReply):
    code: str
    name: str
    description: str
    notice: str | None
    keywords: list[str]
    sla_hours: SlaHours
    attributes: list[AttributeView]


class GroupView(WireReply):
    code: str
    name: str
    services: list[CategoryView]


class CategoriesView(WireReply):
    version: str
    lang: Lang
    groups: list[GroupView]


class LegacyUnitView(WireReply):
    code: str
    name: Names
    valid_from: date | None
    valid_to: date | None


class WardView(WireReply):
    code: str
    name: Names
    level: str
    legacy: list[LegacyUnitView]


class WardsView(WireReply):
    on: date
    wards: list[WardView]


Position = tuple[float, float]  # (lon, lat) as GeoJSON orders them


class PolygonGeometry(WireReply):
    type: Literal["Polygon"]
    coordinates: list[list[Position]]


class MultiPolygonGeometry(WireReply):
    type: Literal["MultiPolygon"]
    coordinates: list[list[list[Position]]]


class BoundaryProperties(WireReply):
    code: str
    name_vi: str
    name_en: str
    approximate: bool


class BoundaryFeature(WireReply):
    type: Literal["Feature"]
    properties: BoundaryProperties
    geometry: PolygonGeometry | MultiPolygonGeometry = Field(discriminator="type")


class BoundaryCollection(WireReply):
    type: Literal["FeatureCollection"]
    features: list[BoundaryFeature]


class StatsView(WireReply):
    total: int
    resolved: int
    in_progress: int = Field(
        description="The city's published 'đang xử lý' (being processed): every report not yet closed "
        "(received, verified, assigned, in_progress or reopened) with the merged duplicates that follow "
        "them; not the workflow status in_progress (work started), which the console calls 'Đang xử lý' "
        "on a report and counts under by_status"
    )
    ratings: int
    positive_ratings: int
    satisfaction_rate: float | None = Field(description="positive_ratings / ratings")
    accounts: int
