"""The /api/v1/integration/subscriptions contract: the administrators' subscriptions for the
province's systems (where the city's events go, signed), each one's delivery log, its parked
deliveries and their redrive. A subscription's secret is in the reply that creates or rotates
it and in no other (``no-store``, as every signed-in reply)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ioc_core.integration.deliveries.models import (
    MAX_TYPES,
    MAX_WARDS,
    SUBSCRIPTION_ID_PATTERN,
    Attempt,
    Delivery,
    Subscription,
)
from ioc_core.integration.permissions import SUBSCRIPTIONS_MANAGE
from ioc_core.platform.api.routes import PREFIX, Method, Operation, Reply, RouteTable, needs
from ioc_core.platform.api.wire import WireReply, WireRequest
from ioc_core.shared.clock import iso

CURSOR = r"^[A-Za-z0-9_-]{1,2048}$"
SHORT_TYPE = r"^[a-z_]+\.[a-z_]+\.[a-z_]+$"
WARD = r"^[0-9]{5}$"


class NewSubscriptionBody(WireRequest):
    url: str = Field(min_length=1, max_length=2000, description="https (loopback http in development)")
    types: list[str] = Field(
        default_factory=list, max_length=MAX_TYPES, description="Short event types; none: all"
    )
    wards: list[str] = Field(default_factory=list, max_length=MAX_WARDS, description="Ward codes; none: all")
    description: str = Field(default="", max_length=500)


class PageQuery(WireRequest):
    model_config = WireRequest.model_config | {"strict": False}
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, pattern=CURSOR)


class SecretView(WireReply):
    created_at: str
    expires_at: str | None


class SubscriptionView(WireReply):
    id: str
    url: str
    types: list[str]
    wards: list[str]
    description: str
    status: str
    disabled_reason: str | None
    disabled_at: str | None
    created_at: str
    created_by: str
    updated_at: str
    last_success_at: str | None
    failing_since: str | None
    secrets: list[SecretView] = Field(
        description="When each signing secret was made and when it stops; never the value"
    )

    @classmethod
    def of(cls, s: Subscription) -> SubscriptionView:
        return cls(
            id=s.subscription_id, url=s.url, types=s.types, wards=s.wards, description=s.description,
            status=s.status.value, disabled_reason=s.disabled_reason.value if s.disabled_reason else None,
            disabled_at=_when(s.disabled_at), created_at=iso(s.created_at), created_by=s.created_by,
            updated_at=iso(s.updated_at), last_success_at=_when(s.last_success_at),
            failing_since=_when(s.failing_since),
            secrets=[SecretView(created_at=iso(k.created_at), expires_at=_when(k.expires_at))
                     for k in s.secrets],
        )  # fmt: skip


class SubscriptionList(WireReply):
    items: list[SubscriptionView]


class SubscriptionWithSecret(WireReply):
    subscription: SubscriptionView
    secret: str = Field(description="whsec_<base64>: shown in this reply only")


class AttemptView(WireReply):
    event_id: str
    event_type: str
    attempt: int
    at: str
    status_code: int | None
    latency_ms: int
    response_head: str
    error: str | None
    outcome: str

    @classmethod
    def of(cls, a: Attempt) -> AttemptView:
        return cls(
            event_id=a.event_id, event_type=a.event_type, attempt=a.attempt, at=iso(a.at),
            status_code=a.status_code,
            latency_ms=a.latency_ms, response_head=a.response_head, error=a.error, outcome=a.outcome,
        )  # fmt: skip


class AttemptList(WireReply):
    items: list[AttemptView]
    next_cursor: str | None


class ParkedView(WireReply):
    event_id: str
    event_type: str
    entity: str
    attempts: int
    last_status: int | None
    last_error: str | None
    parked_at: str
    redriven: int

    @classmethod
    def of(cls, d: Delivery) -> ParkedView:
        return cls(
            event_id=d.event_id, event_type=d.event_type, entity=d.entity, attempts=d.attempts,
            last_status=d.last_status, last_error=d.last_error, parked_at=iso(d.updated_at),
            redriven=d.redriven,
        )  # fmt: skip


class ParkedList(WireReply):
    items: list[ParkedView]
    next_cursor: str | None


class Redriven(WireReply):
    redriven: int


class ReplayBody(WireRequest):
    from_: datetime = Field(
        alias="from", strict=False, description="Start of the range (its events' own time), ISO 8601"
    )
    to: datetime = Field(strict=False, description="End of the range, excluded; not in the future")


class ReplayView(WireReply):
    replay_id: str
    subscription_id: str
    from_: str = Field(serialization_alias="from")
    to: str
    status: str = Field(description="queued: the replayer reads the archive and sends them, marked replayid")


def _when(at: datetime | None) -> str | None:
    return iso(at) if at is not None else None


MANAGE = needs(SUBSCRIPTIONS_MANAGE, "the city's administrators")
_ID = {"subscription_id": SUBSCRIPTION_ID_PATTERN}
_ONE = "/integration/subscriptions/{subscription_id}"
_CHANGE = (400, 401, 403, 404, 409, 413, 415)
_READ_ONE = (400, 401, 403, 404)
_TAG = "subscriptions"


def _one(method: Method, path: str, op_id: str, summary: str, reply: Reply, **kw: object) -> Operation:
    status = 204 if method == "DELETE" else 200
    errors = _READ_ONE if method in ("GET", "DELETE") else _CHANGE
    return Operation(
        method, f"{_ONE}{path}", op_id, summary, _TAG, {status: reply}, errors=errors, path_params=_ID,
        access=MANAGE, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


_VIEW = Reply("The subscription", SubscriptionView)
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/integration/subscriptions", "listSubscriptions", "Every subscription", _TAG,
              {200: Reply("Subscriptions", SubscriptionList)}, errors=(401, 403), access=MANAGE),
    Operation("POST", "/integration/subscriptions", "createSubscription",
              "Register a subscription (its signing secret is shown once)", _TAG,
              {201: Reply("The subscription and its secret", SubscriptionWithSecret),
               200: Reply("A retry (its Idempotency-Key): the same subscription", SubscriptionWithSecret)},
              errors=(400, 401, 403, 409, 413, 415), body=NewSubscriptionBody, idempotency_key=True,
              access=MANAGE),
    _one("GET", "", "getSubscription", "One subscription", _VIEW),
    _one("DELETE", "", "deleteSubscription", "Delete a subscription", Reply("Deleted", media_type=None)),
    _one("POST", "/pause", "pauseSubscription", "Pause: deliveries wait, none is lost", _VIEW),
    _one("POST", "/resume", "resumeSubscription", "Resume a paused or disabled one", _VIEW),
    _one("POST", "/rotate-secret", "rotateSubscriptionSecret",
         "A new secret, shown once; the old one signs too for 48 hours",
         Reply("The subscription and its new secret", SubscriptionWithSecret)),
    _one("GET", "/attempts", "listDeliveryAttempts", "The delivery log, newest first",
         Reply("Attempts", AttemptList), query=PageQuery),
    _one("GET", "/parked", "listParkedDeliveries", "Deliveries that failed every attempt",
         Reply("Parked deliveries", ParkedList), query=PageQuery),
    _one("POST", "/redrive", "redriveSubscription", "Send every parked delivery again",
         Reply("How many went again", Redriven)),
    Operation("POST", f"{_ONE}/replays", "replaySubscription",
              "Send the archived events of a time range again to this subscription alone, marked"
              " as a replay (nothing inside the city runs again)", _TAG,
              {202: Reply("The replay, queued", ReplayView)}, errors=_CHANGE, body=ReplayBody,
              path_params=_ID, access=MANAGE),
)  # fmt: skip
TABLE = RouteTable(f"{PREFIX}/integration/subscriptions", OPERATIONS)
