"""In-memory fakes of the deliveries' ports, keeping the adapters' contracts (tests/contracts/
deliveries.py): optimistic versions, (subscription, event) written once, lanes in stream order,
the due index, newest-first attempts; and a clock the tests move, a wake-up list the tests run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from ioc_core.integration.deliveries.models import Attempt, Delivery, DeliveryStatus, Subscription
from ioc_core.integration.deliveries.ports import Claim, Claimed, Page, Stale
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.cloudevents import CloudEvent

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=VN_TZ)


class SteppingClock:
    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        self.at += by


class InMemorySubscriptions:
    def __init__(self) -> None:
        self.items: dict[str, Subscription] = {}
        self.outbox: list[CloudEvent] = []
        self.claims: dict[str, tuple[str, str]] = {}

    def get(self, subscription_id: str) -> Subscription | None:
        found = self.items.get(subscription_id)
        return found.model_copy(deep=True) if found else None

    def all(self) -> list[Subscription]:
        return sorted((s.model_copy(deep=True) for s in self.items.values()), key=lambda s: s.created_at)

    def save(
        self,
        subscription: Subscription,
        events: Sequence[CloudEvent],
        expected_version: int,
        claim: Claim | None = None,
    ) -> None:
        stored = self.items.get(subscription.subscription_id)
        if (stored is None) != (expected_version == 0) or (stored and stored.version != expected_version):
            raise Stale(subscription.subscription_id)
        if claim is not None and claim.key in self.claims:
            raise Claimed(*self.claims[claim.key])
        if claim is not None:
            self.claims[claim.key] = (subscription.subscription_id, claim.fingerprint)
        self.items[subscription.subscription_id] = subscription.model_copy(deep=True)
        self.outbox.extend(events)

    def find_claim(self, key: str) -> tuple[str, str] | None:
        return self.claims.get(key)

    def delete(self, subscription_id: str, events: Sequence[CloudEvent]) -> None:
        if self.items.pop(subscription_id, None) is not None:
            self.outbox.extend(events)

    def mark_success(self, subscription_id: str, at: datetime) -> None:
        if subscription_id in self.items:
            self.items[subscription_id] = self.items[subscription_id].model_copy(
                update={"last_success_at": at, "failing_since": None}
            )

    def mark_failure(self, subscription_id: str, at: datetime) -> datetime:
        stored = self.items.get(subscription_id)
        if stored is None:
            return at
        if stored.failing_since is None:
            self.items[subscription_id] = stored.model_copy(update={"failing_since": at})
            return at
        return stored.failing_since


class InMemoryDeliveries:
    def __init__(self) -> None:
        self.items: dict[str, Delivery] = {}

    def add(self, delivery: Delivery) -> bool:
        if delivery.delivery_id in self.items:
            return False
        self.items[delivery.delivery_id] = delivery.model_copy(deep=True)
        return True

    def get(self, delivery_id: str) -> Delivery | None:
        found = self.items.get(delivery_id)
        return found.model_copy(deep=True) if found else None

    def save(self, delivery: Delivery, expected_version: int) -> None:
        stored = self.items.get(delivery.delivery_id)
        if stored is None or stored.version != expected_version:
            raise Stale(delivery.delivery_id)
        self.items[delivery.delivery_id] = delivery.model_copy(deep=True)

    def discard(self, delivery_id: str) -> None:
        self.items.pop(delivery_id, None)

    def _lane(self, subscription_id: str, entity: str) -> list[Delivery]:
        lane = [d for d in self.items.values() if d.subscription_id == subscription_id and d.entity == entity]
        return sorted(lane, key=lambda d: d.position)

    def earlier_pending(self, subscription_id: str, entity: str, position: str) -> Delivery | None:
        before = [
            d
            for d in self._lane(subscription_id, entity)
            if d.position < position and d.status is DeliveryStatus.PENDING
        ]
        return before[0].model_copy(deep=True) if before else None

    def next_pending(self, subscription_id: str, entity: str, position: str) -> Delivery | None:
        after = [
            d
            for d in self._lane(subscription_id, entity)
            if d.position > position and d.status is DeliveryStatus.PENDING
        ]
        return after[0].model_copy(deep=True) if after else None

    def due(self, until: datetime, limit: int) -> list[Delivery]:
        due = [
            d
            for d in self.items.values()
            if d.status is DeliveryStatus.PENDING and d.due_at and d.due_at <= until
        ]
        return [d.model_copy(deep=True) for d in sorted(due, key=lambda d: (d.due_at, d.delivery_id))[:limit]]

    def of_subscription(
        self, subscription_id: str, status: DeliveryStatus, limit: int, token: str | None = None
    ) -> Page[Delivery]:
        found = sorted(
            (d for d in self.items.values() if d.subscription_id == subscription_id and d.status is status),
            key=lambda d: (d.position, d.event_id),
        )
        start = int(token or 0)
        chunk = found[start : start + limit]
        more = start + limit < len(found)
        return Page([d.model_copy(deep=True) for d in chunk], str(start + limit) if more else None)


class InMemoryAttempts:
    def __init__(self) -> None:
        self.items: list[Attempt] = []

    def add(self, attempt: Attempt) -> None:
        self.items.append(attempt.model_copy(deep=True))

    def of_subscription(self, subscription_id: str, limit: int, token: str | None = None) -> Page[Attempt]:
        found = sorted(
            (a for a in self.items if a.subscription_id == subscription_id),
            key=lambda a: (a.at, a.event_id, a.attempt),
            reverse=True,
        )
        start = int(token or 0)
        more = start + limit < len(found)
        return Page(found[start : start + limit], str(start + limit) if more else None)


class RecordedWakeups:
    """Wake-ups the test runs when the clock reaches them (the queue and the sweep, together)."""

    def __init__(self) -> None:
        self.pending: list[tuple[datetime, str]] = []

    def wake(self, delivery_ids: Sequence[tuple[str, datetime]]) -> None:
        self.pending.extend((at, delivery_id) for delivery_id, at in delivery_ids)

    def take_due(self, now: datetime) -> list[str]:
        due = sorted(w for w in self.pending if w[0] <= now)
        self.pending = [w for w in self.pending if w[0] > now]
        return [delivery_id for _, delivery_id in due]

    def next_at(self) -> datetime | None:
        return min((at for at, _ in self.pending), default=None)


class World:
    """The deliveries wired on the fakes: events in, the forwarder run by the wake-ups as the
    clock reaches them (what the queue's delays and the sweep do), time jumping to the next."""

    def __init__(
        self,
        sender: object,
        *,
        types: frozenset[str] = frozenset(),
        seed: int = 7,
        deliveries: InMemoryDeliveries | None = None,
    ) -> None:
        import random

        from ioc_core.integration.deliveries.fanout import FanOut
        from ioc_core.integration.deliveries.forwarder import Forwarder
        from ioc_core.integration.deliveries.service import SubscriptionService

        self.clock = SteppingClock()
        self.subscriptions = InMemorySubscriptions()
        self.deliveries = deliveries or InMemoryDeliveries()
        self.attempts = InMemoryAttempts()
        self.wakeups = RecordedWakeups()
        self.service = SubscriptionService(
            self.subscriptions, self.deliveries, self.wakeups, self.clock,
            known_types=types or frozenset(f"field_reporting.report.{v}" for v in ("submitted", "resolved")),
            allow_loopback=True, resolver=None,
        )  # fmt: skip
        self.fanout = FanOut(self.subscriptions, self.deliveries, self.wakeups, self.clock)
        self.forwarder = Forwarder(
            self.subscriptions, self.deliveries, self.attempts, sender, self.wakeups, self.clock,  # type: ignore[arg-type]
            rng=random.Random(seed),
        )  # fmt: skip
        self.sequence = 0

    def publish(self, *events: CloudEvent) -> None:
        records = []
        for event in events:
            self.sequence += 1
            records.append((str(self.sequence), event))
        self.fanout.accept(records)

    def run(self, until: timedelta = timedelta(days=3)) -> int:
        """Forward what is due, moving the clock to the next wake-up, until none is left within
        ``until`` from now; the forwards run."""
        end = self.clock.now() + until
        runs = 0
        while True:
            for delivery_id in self.wakeups.take_due(self.clock.now()):
                self.forwarder.forward(delivery_id)
                runs += 1
            following = self.wakeups.next_at()
            if following is None or following > end:
                return runs
            if following > self.clock.now():
                self.clock.at = following
