"""Subscriptions: registered, paused and resumed, their secret rotated, deleted; their parked
deliveries redriven. The secret is answered once, at creation or rotation, and never read back
by any route."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ioc_core.integration.deliveries import events
from ioc_core.integration.deliveries.endpoints import Resolver, check_url
from ioc_core.integration.deliveries.models import (
    DeliveryStatus,
    SigningSecret,
    Subscription,
    SubscriptionStatus,
)
from ioc_core.integration.deliveries.ports import (
    Claim,
    Claimed,
    DeliveryRepository,
    Stale,
    SubscriptionRepository,
    Wakeups,
)
from ioc_core.integration.deliveries.signing import new_secret
from ioc_core.shared.clock import Clock
from ioc_core.shared.errors import Conflict, FieldProblem, NotFound, ValidationFailed

# After a rotation the old secret signs too (both signatures sent) for this long: the partner
# swaps its verifier meanwhile (Standard Webhooks; TabaPay's 48 hours).
ROTATION_OVERLAP = timedelta(hours=48)
REDRIVE_PAGE = 100
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class NewSubscription:
    url: str
    types: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    description: str = ""


def _fingerprint(request: NewSubscription) -> str:
    fields = [
        request.url.strip(),
        sorted(set(request.types)),
        sorted(set(request.wards)),
        request.description.strip(),
    ]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


@dataclass(frozen=True)
class Created:
    subscription: Subscription
    secret: str  # shown once
    replayed: bool = False  # a retry's answer (its Idempotency-Key made it before)


class SubscriptionService:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        deliveries: DeliveryRepository,
        wakeups: Wakeups,
        clock: Clock,
        *,
        known_types: frozenset[str],
        allow_loopback: bool,
        resolver: Resolver | None,
    ) -> None:
        self.subscriptions, self.deliveries, self.wakeups, self.clock = (
            subscriptions,
            deliveries,
            wakeups,
            clock,
        )
        self.known_types = known_types
        self.allow_loopback, self.resolver = allow_loopback, resolver

    def create(self, request: NewSubscription, by: str, idempotency_key: str | None = None) -> Created:
        """A new subscription and its secret. A retry with the same Idempotency-Key (the same
        caller, the same request) answers the subscription it made, with its secret while that
        is still the only one; the same key with another request is a 409."""
        claim = (
            Claim(f"integration.subscriptions:{by}:{idempotency_key}", _fingerprint(request))
            if idempotency_key
            else None
        )
        if claim is not None and (replayed := self._replay(claim)) is not None:
            return replayed
        url = check_url(request.url.strip(), allow_loopback=self.allow_loopback, resolver=self.resolver)
        unknown = [t for t in request.types if t not in self.known_types]
        if unknown:
            raise ValidationFailed(
                f"Loại sự kiện không có / No such event type: {', '.join(unknown)}",
                problems=[FieldProblem("types", f"unknown: {', '.join(unknown)}")],
            )
        now = self.clock.now()
        secret = new_secret()
        subscription = Subscription(
            subscription_id="sub_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(20)),
            url=url, types=sorted(set(request.types)), wards=sorted(set(request.wards)),
            description=request.description.strip(), secrets=[SigningSecret(value=secret, created_at=now)],
            created_at=now, created_by=by, updated_at=now,
        )  # fmt: skip
        try:
            self.subscriptions.save(
                subscription, [events.subscription_event(events.CREATED, subscription, now)], 0, claim
            )
        except Claimed as raced:  # the same retry, twice at once: the first one's answer
            replayed = self._replay(claim) if claim is not None else None
            if replayed is None:
                raise Conflict(
                    "Yêu cầu đang được lưu / The request with this key is still being stored."
                ) from raced
            return replayed
        return Created(subscription, secret)

    def _replay(self, claim: Claim) -> Created | None:
        found = self.subscriptions.find_claim(claim.key)
        if found is None:
            return None
        subscription_id, fingerprint = found
        if fingerprint != claim.fingerprint:
            raise Conflict(
                "Idempotency-Key đã dùng cho yêu cầu khác"
                " / This Idempotency-Key was used for another subscription."
            )
        made = self.get(subscription_id)
        if len(made.secrets) != 1:
            raise Conflict(
                "Khóa ký đã đổi; hãy đổi khóa lần nữa"
                " / Its secret was rotated since: rotate it to see a new one."
            )
        return Created(made, made.secrets[0].value, replayed=True)

    def get(self, subscription_id: str) -> Subscription:
        found = self.subscriptions.get(subscription_id)
        if found is None:
            raise NotFound(f"Không có đăng ký {subscription_id} / No subscription {subscription_id}.")
        return found

    def all(self) -> list[Subscription]:
        return self.subscriptions.all()

    def pause(self, subscription_id: str) -> Subscription:
        current = self.get(subscription_id)
        if current.status is SubscriptionStatus.PAUSED:
            return current
        return self._change(current, events.PAUSED, status=SubscriptionStatus.PAUSED)

    def resume(self, subscription_id: str) -> Subscription:
        """Active again (from paused, or disabled once the partner fixed its endpoint); what waited
        goes now, each entity's first delivery first."""
        current = self.get(subscription_id)
        if current.status is SubscriptionStatus.ACTIVE:
            return current
        resumed = self._change(
            current, events.RESUMED, status=SubscriptionStatus.ACTIVE, disabled_reason=None, disabled_at=None,
            failing_since=None,
        )  # fmt: skip
        self._wake_held(subscription_id)
        return resumed

    def rotate(self, subscription_id: str) -> Created:
        current = self.get(subscription_id)
        now = self.clock.now()
        secret = new_secret()
        kept = [s.model_copy(update={"expires_at": now + ROTATION_OVERLAP}) for s in current.secrets[:1]]
        changed = self._change(
            current, events.SECRET_ROTATED, secrets=[SigningSecret(value=secret, created_at=now), *kept]
        )
        return Created(changed, secret)

    def delete(self, subscription_id: str) -> None:
        """The subscription and what it had not delivered (delivered ones expire by themselves)."""
        current = self.get(subscription_id)
        now = self.clock.now()
        self.subscriptions.delete(subscription_id, [events.subscription_event(events.DELETED, current, now)])
        for status in (DeliveryStatus.PENDING, DeliveryStatus.PARKED):
            while True:  # each page is discarded, so the next one starts at the front again
                page = self.deliveries.of_subscription(subscription_id, status, REDRIVE_PAGE)
                for left in page.items:
                    self.deliveries.discard(left.delivery_id)
                if page.next_token is None:
                    break

    def redrive(self, subscription_id: str) -> int:
        """Every parked delivery goes again from its first attempt; how many."""
        subscription = self.get(subscription_id)
        now = self.clock.now()
        moved: list[tuple[str, datetime]] = []
        token: str | None = None
        while True:
            page = self.deliveries.of_subscription(
                subscription_id, DeliveryStatus.PARKED, REDRIVE_PAGE, token
            )
            for parked in page.items:
                again = parked.model_copy(
                    update={
                        "status": DeliveryStatus.PENDING, "attempts": 0, "due_at": now, "leased_until": None,
                        "redriven": parked.redriven + 1, "updated_at": now, "version": parked.version + 1,
                    }
                )  # fmt: skip
                self.deliveries.save(again, parked.version)
                moved.append((again.delivery_id, now))
            token = page.next_token
            if token is None:
                break
        if moved:
            self.wakeups.wake(moved)
            self.subscriptions.save(
                subscription.model_copy(update={"version": subscription.version + 1, "updated_at": now}),
                [events.subscription_event(events.REDRIVEN, subscription, now, redriven=len(moved))],
                subscription.version,
            )
        return len(moved)

    def _wake_held(self, subscription_id: str) -> None:
        now = self.clock.now()
        woken: list[tuple[str, datetime]] = []
        token: str | None = None
        while True:
            page = self.deliveries.of_subscription(
                subscription_id, DeliveryStatus.PENDING, REDRIVE_PAGE, token
            )
            for held in page.items:
                if held.due_at is None:
                    self.deliveries.save(
                        held.model_copy(
                            update={"due_at": now, "updated_at": now, "version": held.version + 1}
                        ),
                        held.version,
                    )
                    woken.append((held.delivery_id, now))
            token = page.next_token
            if token is None:
                break
        if woken:
            self.wakeups.wake(woken)

    def _change(self, current: Subscription, short: str, **update: object) -> Subscription:
        now = self.clock.now()
        changed = current.model_copy(update={**update, "updated_at": now, "version": current.version + 1})
        try:
            self.subscriptions.save(
                changed, [events.subscription_event(short, changed, now)], current.version
            )
        except Stale as error:
            raise Conflict(
                "Đăng ký vừa thay đổi, thử lại / The subscription just changed: try again."
            ) from error
        return changed
