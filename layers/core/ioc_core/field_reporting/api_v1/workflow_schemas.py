"""Wire models of the workflow API: the IOC console (operators, units, leaders, the
administrator, the province) and the resident's own reports and inbox.

Requests are strict like the mobile API's. Every change takes the version it was based on,
as ``If-Match: "<version>"`` or as ``version`` in the body; a stale one is a 409 whose
problem carries ``current_version`` and ``allowed_actions``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ioc_core.field_reporting.api_v1.schemas import (
    PHOTO_KEY_PATTERN,
    REPORT_ID_PATTERN,
    SERVICE_CODE_PATTERN,
    WARD_CODE_PATTERN,
    Names,
    ServiceRef,
    StatusView,
    VnDateTime,
    WardRef,
    WireReply,
    WireRequest,
)
from ioc_core.field_reporting.models import ReportStatus, Visibility

UNIT_CODE_PATTERN = r"^[A-Z0-9_]{1,40}$"
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,2048}$"
NOTIFICATION_ID_PATTERN = r"^[0-9A-Za-z_-]{1,80}$"
MAX_NOTE = 2000

Action = Literal[
    "verify", "reject", "assign", "start", "resolve", "request_info", "merge",
    "rate", "dispute", "withdraw", "reply", "note", "hand_back", "assign_person",
]  # fmt: skip
RejectReason = Literal[
    "out_of_scope", "not_competent", "duplicate", "false_report", "insufficient_info", "complaint"
]
WithdrawReason = Literal["fixed_already", "reported_by_mistake", "other"]
ClockName = Literal["verify", "resolve"]
Breakdown = Literal["city", "ward", "unit", "category"]


# -- requests ---------------------------------------------------------------------------------


class _Versioned(WireRequest):
    version: int | None = Field(
        default=None, ge=1, description="The version the change is based on (or send If-Match)"
    )


class NoteRequest(_Versioned):
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class VerifyRequest(NoteRequest):
    unit: str | None = Field(
        default=None,
        pattern=UNIT_CODE_PATTERN,
        description="Also assign to this unit in the same change (the report's routed unit, usually)",
    )


class RejectRequest(_Versioned):
    reason: RejectReason
    note: str = Field(min_length=1, max_length=MAX_NOTE, description="Why, in words the resident reads")


class AssignRequest(_Versioned):
    unit: str = Field(pattern=UNIT_CODE_PATTERN, description="A unit code from GET /workflow/units")
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class ResolveRequest(_Versioned):
    note: str = Field(min_length=1, max_length=MAX_NOTE, description="What was done")
    after_photo: str = Field(pattern=PHOTO_KEY_PATTERN, description="Key of an uploaded after-photo")


class InfoRequest(_Versioned):
    question: str = Field(min_length=1, max_length=MAX_NOTE)


class AssignPersonRequest(_Versioned):
    username: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9_.-]{1,63}$",
        description="A staff username of the unit; null: nobody",
    )


class HandBackRequest(_Versioned):
    reason: str = Field(
        min_length=1, max_length=MAX_NOTE, description="Why it is not this unit's (staff see it)"
    )


class InternalNoteRequest(_Versioned):
    note: str = Field(min_length=1, max_length=MAX_NOTE, description="Seen by staff only")


class MergeRequest(_Versioned):
    master_id: str = Field(pattern=REPORT_ID_PATTERN, description="The report this one duplicates")
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class RateRequest(_Versioned):
    score: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=MAX_NOTE)


class DisputeRequest(_Versioned):
    comment: str = Field(min_length=1, max_length=MAX_NOTE, description="What is still wrong")


class WithdrawRequest(_Versioned):
    reason: WithdrawReason
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class ReplyRequest(_Versioned):
    message: str = Field(min_length=1, max_length=MAX_NOTE)


class RoutingRule(WireRequest):
    service_code: str = Field(pattern=SERVICE_CODE_PATTERN)
    ward_code: str = Field(pattern=WARD_CODE_PATTERN)
    unit: str = Field(pattern=UNIT_CODE_PATTERN)


class RoutingUpdate(WireRequest):
    rules: list[RoutingRule] = Field(max_length=2000)


class ApiKeyRequest(WireRequest):
    name: str = Field(min_length=1, max_length=100)


# -- queries ----------------------------------------------------------------------------------


class QueueQuery(BaseModel):
    status: str | None = Field(
        default=None,
        pattern=r"^[a-z_]+(,[a-z_]+)*$",
        description="Comma-separated statuses; default: every open status",
        examples=["received,verified"],
    )
    ward: str | None = Field(default=None, pattern=WARD_CODE_PATTERN)
    category: str | None = Field(default=None, pattern=SERVICE_CODE_PATTERN)
    unit: str | None = Field(default=None, pattern=UNIT_CODE_PATTERN)
    overdue: Literal["true", "false"] | None = None
    assignee: str | None = Field(
        default=None,
        pattern=r"^(me|[a-z][a-z0-9_.-]{1,63})$",
        description="Only the reports this staff member works on; `me`: the caller",
    )
    q: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="A report id (any case), a reporter's phone (needs personal-data access) or "
        "words, matched whole and insensitive to case and diacritics; every status unless "
        "`status` names some",
        examples=["duong hong", "pt-demo0500", "0901234567"],
    )
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, pattern=CURSOR_PATTERN)


class ExportQuery(QueueQuery):
    """The queue's filters (not its paging), the file's format and its language."""

    format: Literal["csv", "xlsx"] = Field(default="csv", description="csv: UTF-8 with BOM; xlsx: Excel")
    lang: Literal["vi", "en"] = Field(default="vi", description="The language of headers and labels")
    limit: int = Field(default=25, ge=1, le=100, description="Ignored: an export holds every match")


class PageQuery(BaseModel):
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, pattern=CURSOR_PATTERN)


class InboxQuery(PageQuery):
    unread: Literal["true", "false"] | None = Field(default=None, description="true: only the unread")


class OverdueQuery(BaseModel):
    clock: ClockName | None = None
    unit: str | None = Field(default=None, pattern=UNIT_CODE_PATTERN)
    warned: Literal["true", "false"] | None = Field(
        default=None, description="true: also reports past 80 % of their clock, not yet due"
    )


class NearbyQuery(BaseModel):
    service_code: str = Field(pattern=SERVICE_CODE_PATTERN)
    lat: float = Field(ge=-90, le=90)
    long: float = Field(ge=-180, le=180)


class BreakdownQuery(BaseModel):
    by: Breakdown = "city"


class MonthlyQuery(BaseModel):
    months: int = Field(default=24, ge=1, le=36)
    ward: str | None = Field(default=None, pattern=WARD_CODE_PATTERN)
    unit: str | None = Field(default=None, pattern=UNIT_CODE_PATTERN)
    category: str | None = Field(default=None, pattern=SERVICE_CODE_PATTERN)


# -- replies ----------------------------------------------------------------------------------


class UnitRef(WireReply):
    code: str
    name: Names


class ClockView(WireReply):
    clock: ClockName
    budget_hours: float
    started_datetime: VnDateTime
    due_datetime: VnDateTime
    progress: float = Field(description="Share of the budget used, in working hours (1.0 = due)")
    paused: bool = Field(description="Waiting on the resident: the clock does not run")
    stopped_datetime: VnDateTime | None
    warned_datetime: VnDateTime | None = Field(description="When 80 % was raised")
    escalated_datetime: VnDateTime | None = Field(description="When 100 % was raised")
    overdue: bool


class QueueItem(WireReply):
    id: str
    version: int
    service: ServiceRef
    status: StatusView
    ward: WardRef
    unit: UnitRef | None
    assignee: str | None = Field(default=None, description="Who in the unit works on it (a staff username)")
    description: str | None
    lat: float
    long: float
    requested_datetime: VnDateTime
    updated_datetime: VnDateTime
    expected_datetime: VnDateTime | None
    clock: ClockView | None = Field(description="The clock the report is on now")
    overdue: bool
    waiting_on_resident: bool
    transfers: int
    photo_count: int


class QueuePage(WireReply):
    items: list[QueueItem]
    next_cursor: str | None
    total: int | None = Field(
        description="How many reports match the filters in all pages; null when not counted"
    )


class StepView(WireReply):
    """One step of the history: who, when, why."""

    at: VnDateTime
    status: ReportStatus
    label: Names
    action: str | None
    actor: str | None = Field(
        description="role:username for staff, 'resident' for residents; not in a resident's own view"
    )
    role: str | None
    note: str | None
    visibility: Visibility = Field(
        description="who may read the note: public (the city's resolution note), reporter (the"
        " conversation with the residents who follow the report) or staff"
    )
    reason: str | None
    unit: UnitRef | None
    assignee: str | None = Field(
        default=None, description="The staff member this step named (staff views only)"
    )
    photo_url: str | None


class ContactView(WireReply):
    """Personal data: shown to the operator, the assigned unit and leaders only."""

    first_name: str | None
    last_name: str | None
    phone: str | None
    email: str | None
    account_id: str | None


class RatingItem(WireReply):
    score: int
    comment: str | None
    at: VnDateTime
    follower: bool


class ReportDetail(WireReply):
    id: str
    version: int
    service: ServiceRef
    status: StatusView
    ward: WardRef
    unit: UnitRef | None
    assignee: str | None = Field(default=None, description="Who in the unit works on it (a staff username)")
    description: str | None
    address: str | None
    lat: float
    long: float
    attributes: dict[str, str | list[str]]
    channel: str
    requested_datetime: VnDateTime
    updated_datetime: VnDateTime
    expected_datetime: VnDateTime | None
    closed_datetime: VnDateTime | None
    photos: list[str]
    after_photos: list[str]
    resolution_note: str | None
    rejection_reason: str | None
    clocks: list[ClockView]
    overdue: bool
    waiting_on_resident: bool
    transfers: int
    reopened: int
    merged_into: str | None
    merged: list[str]
    followers: int
    ratings: list[RatingItem]
    contact: ContactView | None = Field(description="null for roles that may not see personal data")
    history: list[StepView]
    allowed_actions: list[Action] = Field(description="What the caller may do now")


class MergeResult(WireReply):
    master: ReportDetail
    duplicate: ReportDetail


class DuplicateCandidate(WireReply):
    id: str
    status: StatusView
    service: ServiceRef
    ward: WardRef
    distance_m: float
    requested_datetime: VnDateTime
    description: str | None


class DuplicateList(WireReply):
    radius_m: float
    window_hours: float
    items: list[DuplicateCandidate]


class UnitView(WireReply):
    code: str
    name: Names
    kind: str
    ward_code: str | None


class UnitsView(WireReply):
    units: list[UnitView]


class UnitMemberView(WireReply):
    username: str
    name: str


class UnitStaffView(WireReply):
    """Who can be named on the unit's reports (assign-person): its active staff accounts."""

    unit: str
    members: list[UnitMemberView]


class RoutingRuleView(WireReply):
    service_code: str
    ward_code: str | None = Field(description="null: the category's default for every ward")
    unit: str
    source: Literal["catalogue", "data", "admin"]


class RoutingView(WireReply):
    version: str
    rules: list[RoutingRuleView]


class ApiKeyCreated(WireReply):
    name: str
    api_key: str = Field(description="Shown once; stored hashed")
    key_id: str = Field(description="The key's id for listing and revoking (its SHA-256)")


class ApiKeyView(WireReply):
    key_id: str
    name: str
    hint: str | None = Field(description="The key's last four characters")
    created_datetime: VnDateTime
    created_by: str | None
    active: bool
    revoked_datetime: VnDateTime | None
    revoked_by: str | None


class ApiKeyList(WireReply):
    items: list[ApiKeyView]


class NotificationView(WireReply):
    id: str
    report_id: str | None = Field(description="The report it is about (null for a camera page)")
    incident_id: str | None = Field(
        default=None, description="The operators' desk: the camera incident a page is about"
    )
    task_id: str | None = Field(default=None, description="A provincial directive's task (NV-…)")
    kind: str = Field(
        description="status_changed, info_requested, sla_warning, sla_escalated, merged…; camera_paged;"
        " directive_registered, directive_overdue"
    )
    title: Names = Field(description="The report and what happened to it (its new status, a warning…)")
    body: Names | None = Field(description="Only what the title does not say: a note, what to do next")
    status: ReportStatus | None
    created_datetime: VnDateTime
    due_datetime: VnDateTime | None = Field(description="SLA warnings and escalations: the clock's due time")
    read: bool


class NotificationPage(WireReply):
    items: list[NotificationView]
    next_cursor: str | None
    unread: int = Field(description="Unread in the whole inbox, not only on this page")


class UnreadCount(WireReply):
    unread: int


class MarkedRead(WireReply):
    marked: int = Field(description="Changed by this call: 0 for a retry or an inbox already read")
    unread: int = Field(description="Still unread, such as notifications that arrived meanwhile")


class DeliveryView(WireReply):
    at: VnDateTime
    channel: Literal["sms", "push", "log"]
    to: str = Field(description="Masked phone or device")
    text: str
    report_id: str


class DeliveryLog(WireReply):
    items: list[DeliveryView]


class MyReportItem(WireReply):
    id: str
    version: int
    service: ServiceRef
    status: StatusView
    requested_datetime: VnDateTime
    updated_datetime: VnDateTime
    expected_datetime: VnDateTime | None
    following: bool = Field(description="true: a duplicate of yours was merged into this report")
    allowed_actions: list[Action]


class MyReportsPage(WireReply):
    items: list[MyReportItem]
    next_cursor: str | None


class FollowsQuery(BaseModel):
    limit: int = Field(default=50, ge=1, le=100)


class MyFollows(WireReply):
    items: list[MyReportItem] = Field(description="Followed reports, the latest followed first")


class MyReportDetail(WireReply):
    id: str
    version: int
    service: ServiceRef
    status: StatusView
    ward: WardRef
    description: str | None
    lat: float
    long: float
    requested_datetime: VnDateTime
    updated_datetime: VnDateTime
    expected_datetime: VnDateTime | None
    closed_datetime: VnDateTime | None
    photos: list[str]
    after_photos: list[str]
    resolution_note: str | None
    rejection_reason: str | None
    waiting_on_resident: bool
    question: str | None = Field(description="The city's open question to the resident")
    merged_into: str | None
    my_rating: RatingItem | None
    history: list[StepView]
    allowed_actions: list[Action]


class NearbyItem(WireReply):
    """An open report near the place, for a resident about to send the same problem: what it
    is and where, its words with personal data masked; never who sent it."""

    id: str
    status: StatusView
    distance_m: float
    requested_datetime: VnDateTime
    service: ServiceRef
    ward: WardRef
    lat: float
    long: float
    description: str | None = Field(description="masked: phone, citizen-ID and e-mail replaced by •••")


class NearbyView(WireReply):
    radius_m: float
    window_hours: float
    items: list[NearbyItem]


class DetailedFigures(WireReply):
    total: int
    open: int
    resolved: int
    rejected: int
    withdrawn: int
    resolved_on_time: int
    on_time_rate: float | None = Field(description="resolved_on_time / resolved")
    resolution_rate: float | None = Field(description="resolved / total")
    ratings: int
    positive_ratings: int
    satisfaction_rate: float | None
    transfers: int
    reopened: int
    escalations: int


class BreakdownRow(WireReply):
    code: str
    name: Names
    figures: DetailedFigures


class BreakdownView(WireReply):
    by: Breakdown
    rows: list[BreakdownRow]


class MonthFigures(WireReply):
    month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")
    submitted: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None
    ratings: int
    positive_ratings: int
    satisfaction_rate: float | None
    reopened: int


class MonthlyView(WireReply):
    scope: str
    months: list[MonthFigures]
