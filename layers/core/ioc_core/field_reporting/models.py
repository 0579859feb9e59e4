"""Field Reporting domain models: the catalogue and the report. No I/O here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

AttributeValue = str | list[str]


class Text(BaseModel):
    """A bilingual string: Vietnamese first."""

    vi: str
    en: str

    def get(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class Datatype(StrEnum):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLE = "singlevaluelist"
    MULTI = "multivaluelist"


class AttributeValueOption(BaseModel):
    key: str
    name: Text


class AttributeDefinition(BaseModel):
    code: str
    variable: bool = True
    datatype: Datatype
    required: bool = False
    order: int
    description: Text
    datatype_description: Text | None = None
    values: list[AttributeValueOption] = Field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return self.datatype in (Datatype.SINGLE, Datatype.MULTI)


class Sla(BaseModel):
    verify_hours: float
    resolve_hours: float


class DuplicateRule(BaseModel):
    radius_m: float = 50
    window_hours: float = 48


class Unit(BaseModel):
    code: str
    name: Text
    kind: str = "department"


class Group(BaseModel):
    code: str
    name: Text


class ServiceDefinition(BaseModel):
    service_code: str
    group: str
    name: Text
    description: Text
    keywords: list[str] = Field(default_factory=list)
    type: Literal["realtime", "batch", "blackbox"] = "realtime"
    unit: str
    sla: Sla
    duplicate: DuplicateRule = Field(default_factory=DuplicateRule)
    notice: Text | None = None
    active: bool = True
    attributes: list[AttributeDefinition] = Field(default_factory=list)

    @property
    def has_metadata(self) -> bool:
        return bool(self.attributes)


class ReportStatus(StrEnum):
    RECEIVED = "received"
    VERIFIED = "verified"
    REJECTED = "rejected"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATUSES

    @property
    def open311(self) -> Literal["open", "closed"]:
        return "closed" if self.is_closed else "open"


CLOSED_STATUSES = frozenset({ReportStatus.RESOLVED, ReportStatus.REJECTED, ReportStatus.WITHDRAWN})

STATUS_LABELS: dict[ReportStatus, Text] = {
    ReportStatus.RECEIVED: Text(vi="Chờ tiếp nhận", en="Received"),
    ReportStatus.VERIFIED: Text(vi="Đã tiếp nhận", en="Verified"),
    ReportStatus.REJECTED: Text(vi="Từ chối tiếp nhận", en="Rejected"),
    ReportStatus.ASSIGNED: Text(vi="Đã chuyển xử lý", en="Assigned"),
    ReportStatus.IN_PROGRESS: Text(vi="Đang xử lý", en="In progress"),
    ReportStatus.RESOLVED: Text(vi="Đã xử lý", en="Resolved"),
    ReportStatus.REOPENED: Text(vi="Mở lại", en="Reopened"),
    ReportStatus.WITHDRAWN: Text(vi="Đã rút", en="Withdrawn"),
}


class Visibility(StrEnum):
    PUBLIC = "public"
    REPORTER = "reporter"
    STAFF = "staff"


# Who may read a step's note, by the step (``disclosure.py`` says what each view shows): the
# steps whose note is not staff-only; every other note is.
NOTE_VISIBILITY: dict[str, Visibility] = {
    "resolve": Visibility.PUBLIC,
    "request_info": Visibility.REPORTER,
    "provide_info": Visibility.REPORTER,
    "dispute": Visibility.REPORTER,
    "withdraw": Visibility.REPORTER,
}


def note_visibility(action: str | None) -> Visibility:
    return NOTE_VISIBILITY.get(action or "", Visibility.STAFF)


class Photo(BaseModel):
    key: str
    content_type: str
    size: int
    width: int | None = None
    height: int | None = None


class Reporter(BaseModel):
    """Personal data: never on a public endpoint."""

    account_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None
    device_id: str | None = None


class HistoryEntry(BaseModel):
    """One step of a report's life: who, when and why (an action may keep the status)."""

    at: datetime
    status: ReportStatus
    actor: str
    note: str | None = None
    action: str | None = None  # verify, reject, assign, start, resolve, dispute, merge, request_info…
    role: str | None = None
    reason: str | None = None  # a machine-readable reason code (reject, withdraw, dispute)
    unit: str | None = None  # the unit assigned by this step
    assignee: str | None = None  # the staff member inside the unit this step named (staff only)
    photo: str | None = None  # the after-photo's key of a resolution
    # Who may read the note; stored entries without one get their step's (``note_visibility``).
    visibility: Visibility = Visibility.STAFF

    @model_validator(mode="before")
    @classmethod
    def _visibility_of_step(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("visibility") is None:
            return {**data, "visibility": note_visibility(data.get("action"))}
        return data


class Rating(BaseModel):
    score: int = Field(ge=1, le=5)
    comment: str | None = None
    at: datetime
    by: str | None = None  # the rating resident's account; every follower of a master rates it

    @property
    def positive(self) -> bool:
        return self.score >= 4


class Location(BaseModel):
    lat: float
    lon: float
    address: str | None = None
    ward_code: str


class SlaClock(BaseModel):
    """One SLA clock (verify or resolve) in Vietnamese working hours; paused while the city
    waits on the resident."""

    budget_hours: float
    started_at: datetime
    due_at: datetime
    paused_at: datetime | None = None
    stopped_at: datetime | None = None
    warned_at: datetime | None = None  # 80 % raised
    escalated_at: datetime | None = None  # 100 % raised

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None


class SlaState(BaseModel):
    verify: SlaClock | None = None
    resolve: SlaClock | None = None

    def clocks(self) -> list[tuple[str, SlaClock]]:
        return [(name, c) for name, c in (("verify", self.verify), ("resolve", self.resolve)) if c]


class Report(BaseModel):
    report_id: str
    # Open311 "batch" services hand out a token instead of the id at submission.
    token: str | None = None
    service_code: str
    description: str | None = None
    location: Location
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    photos: list[Photo] = Field(default_factory=list)
    media_url: str | None = None
    reporter: Reporter = Field(default_factory=Reporter)
    channel: str
    status: ReportStatus = ReportStatus.RECEIVED
    status_notes: str | None = None
    agency_responsible: str
    requested_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    expected_at: datetime | None = None
    history: list[HistoryEntry] = Field(default_factory=list)
    rating: Rating | None = None
    # Optimistic-locking version; also the CloudEvents sequence of the report's events.
    version: int = 0
    # -- workflow (issue 4) --------------------------------------------------------------
    unit: str | None = None  # the unit the report is routed (proposed) or assigned to
    assignee: str | None = None  # who in that unit works on it (a staff username); staff only
    transfers: int = 0  # re-routings from one unit to another
    reopened: int = 0
    sla: SlaState | None = None
    after_photos: list[Photo] = Field(default_factory=list)
    resolution_note: str | None = None
    rejection_reason: str | None = None
    ratings: list[Rating] = Field(default_factory=list)  # one per rating resident
    followers: list[str] = Field(default_factory=list)  # reporters of duplicates merged in
    merged: list[str] = Field(default_factory=list)  # ids of the duplicates merged in
    merged_into: str | None = None
    waiting_on_resident: bool = False
    withdrawn_by_reporter: bool = False

    @property
    def owners(self) -> list[str]:
        """Residents who follow (and may rate) the report: its reporter, then merged reporters."""
        first = [self.reporter.account_id] if self.reporter.account_id else []
        return list(dict.fromkeys([*first, *self.followers]))


class ReportDraft(BaseModel):
    """What an intake channel hands the service after parsing its own wire format."""

    service_code: str
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    description: str | None = None
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    photo_keys: list[str] = Field(default_factory=list)
    media_url: str | None = None
    reporter: Reporter = Field(default_factory=Reporter)
    channel: str = "open311"


class Page(BaseModel):
    items: list[Report]
    next_token: str | None = None
    total: int | None = None  # how many match in all, when the listing counts them


class Notification(BaseModel):
    """One item of an in-app inbox."""

    recipient: str
    notification_id: str  # sorts by time: <Vietnam time, digits only>_<event id>
    report_id: str | None = None  # what it is about: a report, or (the operators' desk) a camera incident
    incident_id: str | None = None
    task_id: str | None = None  # a provincial directive's task (units' and leaders' desks)
    kind: str
    title: Text
    body: Text | None = None  # only what the title does not say already (a note, a question)
    status: ReportStatus | None = None
    created_at: datetime
    due_at: datetime | None = None  # SLA warnings: the clock's due time, shown in the reader's format
    read: bool = False


class Delivery(BaseModel):
    """A message sent outside the app (SMS, push), kept for the delivery log."""

    delivery_id: str
    at: datetime
    channel: str
    to: str
    text: str
    report_id: str
