"""Subscriptions, deliveries and their attempts. Pydantic, no I/O."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

SUBSCRIPTION_ID_PATTERN = r"^sub_[a-z0-9]{20}$"
MAX_TYPES = 50
MAX_WARDS = 50
RESPONSE_HEAD_BYTES = 256  # what the delivery log keeps of a partner's answer


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # by an administrator; deliveries wait, none is lost
    DISABLED = "disabled"  # by the system (410 Gone, failing for days); see ``disabled_reason``


class DisabledReason(StrEnum):
    GONE = "gone"  # the endpoint answered 410
    FAILING = "failing"  # no success for FAILING_DAYS


class SigningSecret(BaseModel):
    """A ``whsec_<base64>`` secret; after a rotation the old one signs too until ``expires_at``."""

    value: str
    created_at: datetime
    expires_at: datetime | None = None


class Subscription(BaseModel):
    subscription_id: str = Field(pattern=SUBSCRIPTION_ID_PATTERN)
    url: str
    # Short event types (``field_reporting.report.submitted``); empty: every type.
    types: list[str] = Field(default_factory=list, max_length=MAX_TYPES)
    # Ward codes the event's ``data.ward`` must be one of; empty: every ward (and none).
    wards: list[str] = Field(default_factory=list, max_length=MAX_WARDS)
    description: str = ""
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    disabled_reason: DisabledReason | None = None
    disabled_at: datetime | None = None
    # Newest first; the first signs alone outside a rotation.
    secrets: list[SigningSecret] = Field(min_length=1)
    created_at: datetime
    created_by: str
    updated_at: datetime
    last_success_at: datetime | None = None
    # The first failure since the last success: how long the endpoint has been failing.
    failing_since: datetime | None = None
    version: int = 1

    def signing_secrets(self, at: datetime) -> list[str]:
        return [s.value for s in self.secrets if s.expires_at is None or s.expires_at > at]

    def takes(self, short_type: str, ward: str | None) -> bool:
        if self.types and short_type not in self.types:
            return False
        return not self.wards or ward in self.wards


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting its turn, due, or between attempts
    DELIVERED = "delivered"
    PARKED = "parked"  # failed after the last attempt: visible, redriven by hand


class Delivery(BaseModel):
    """One event for one subscription. Its id is (subscription, event id): a second copy of
    the event (the stream is at least once) finds it there and adds nothing."""

    subscription_id: str
    event_id: str
    event_type: str  # short
    # The entity (the event's partition key): one delivery in flight per (subscription, entity).
    entity: str
    # Orders a lane's deliveries: the stream's sequence number, zero-padded.
    position: str
    body: str  # the CloudEvent, structured JSON, as signed and sent
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    # When the next attempt may go; None: held (an earlier one of its entity goes first, or the
    # subscription is paused or disabled).
    due_at: datetime | None = None
    # A forwarder that took it sends until this time; another one leaves it alone meanwhile.
    leased_until: datetime | None = None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    # A redriven delivery went out again by an administrator's hand (or ``ioc integration redrive``).
    redriven: int = 0
    version: int = 1

    @property
    def delivery_id(self) -> str:
        return delivery_id(self.subscription_id, self.event_id)

    @property
    def lane(self) -> str:
        return f"{self.subscription_id}#{self.entity}"


def delivery_id(subscription_id: str, event_id: str) -> str:
    return f"{subscription_id}#{event_id}"


class Attempt(BaseModel):
    """One try of one delivery, as the delivery log shows it."""

    subscription_id: str
    event_id: str
    event_type: str
    attempt: int  # 1 for the first try
    at: datetime
    status_code: int | None  # None: no answer (refused, timed out)
    latency_ms: int
    response_head: str = ""  # the answer's first bytes, decoded leniently
    error: str | None = None
    outcome: str  # delivered, retry, parked, disabled
