"""Ports of the deliveries: where subscriptions, deliveries and attempts are kept, how a
delivery is sent, and how the forwarder is woken when one is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from ioc_core.integration.deliveries.models import Attempt, Delivery, DeliveryStatus, Subscription
from ioc_core.shared.cloudevents import CloudEvent


class Stale(Exception):
    """It changed since it was read (or its id is taken): read again."""


@dataclass(frozen=True)
class Claim:
    """A client's retry key (Idempotency-Key, namespaced by its caller) and a fingerprint of
    what it sent with it."""

    key: str
    fingerprint: str


class Claimed(Exception):
    """The key was used before; ``result_id`` is what it created."""

    def __init__(self, result_id: str, fingerprint: str) -> None:
        super().__init__(result_id)
        self.result_id, self.fingerprint = result_id, fingerprint


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_token: str | None = None


class SubscriptionRepository(Protocol):
    def get(self, subscription_id: str) -> Subscription | None: ...

    def all(self) -> list[Subscription]:
        """Every subscription (a city has dozens of partners at most), oldest first."""

    def save(
        self,
        subscription: Subscription,
        events: Sequence[CloudEvent],
        expected_version: int,
        claim: Claim | None = None,
    ) -> None:
        """With its events (and a new one's retry key) in one transaction; ``expected_version``
        0: a new one. Stale otherwise; Claimed when the key was used already."""

    def find_claim(self, key: str) -> tuple[str, str] | None:
        """(subscription id, fingerprint) a retry key created, if any."""

    def delete(self, subscription_id: str, events: Sequence[CloudEvent]) -> None: ...

    def mark_success(self, subscription_id: str, at: datetime) -> None:
        """The endpoint answered 2xx: it is failing no longer (no version check: any forwarder)."""

    def mark_failure(self, subscription_id: str, at: datetime) -> datetime:
        """Keep the first failure since the last success; answer it."""


class DeliveryRepository(Protocol):
    def add(self, delivery: Delivery) -> bool:
        """Store a new delivery; False (and nothing changes) when (subscription, event) is there."""

    def get(self, delivery_id: str) -> Delivery | None: ...

    def save(self, delivery: Delivery, expected_version: int) -> None:
        """Write it over ``expected_version`` (it carries the next one); Stale otherwise."""

    def discard(self, delivery_id: str) -> None: ...

    def earlier_pending(self, subscription_id: str, entity: str, position: str) -> Delivery | None:
        """The first pending delivery of the same (subscription, entity) before ``position``."""

    def next_pending(self, subscription_id: str, entity: str, position: str) -> Delivery | None:
        """The first pending delivery of the same (subscription, entity) after ``position``."""

    def due(self, until: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries due at or before ``until``, the earliest first."""

    def of_subscription(
        self, subscription_id: str, status: DeliveryStatus, limit: int, token: str | None = None
    ) -> Page[Delivery]:
        """A subscription's deliveries in ``status``, in stream order."""


class AttemptLog(Protocol):
    def add(self, attempt: Attempt) -> None: ...

    def of_subscription(self, subscription_id: str, limit: int, token: str | None = None) -> Page[Attempt]:
        """Newest first."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case
    head: bytes = b""


class SendFailed(Exception):
    """No HTTP answer: refused, reset, timed out, or a refused address."""


class Sender(Protocol):
    def post(self, url: str, headers: dict[str, str], body: bytes, timeout: float) -> Answer: ...


class Wakeups(Protocol):
    def wake(self, delivery_ids: Sequence[tuple[str, datetime]]) -> None:
        """Have the forwarder look at each delivery at (about) its time. Waits up to the queue's
        maximum delay go on the queue; longer ones are found on the due index by the sweep."""
