"""Sending deliveries: one in flight per (subscription, entity), in stream order; other
entities go on while one is retried. Each attempt is logged; a failure is tried again on the
schedule (``schedule.py``), a 410 disables the subscription, and after the last attempt the
delivery is parked (visible, redriven by hand) and the entity's next delivery goes. An endpoint
that has failed for ``FAILING_DAYS`` is disabled, and its event tells the administrators."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ioc_core.integration.deliveries import events, signing
from ioc_core.integration.deliveries.models import (
    RESPONSE_HEAD_BYTES,
    Attempt,
    Delivery,
    DeliveryStatus,
    DisabledReason,
    Subscription,
    SubscriptionStatus,
)
from ioc_core.integration.deliveries.ports import (
    AttemptLog,
    DeliveryRepository,
    Sender,
    SendFailed,
    Stale,
    SubscriptionRepository,
    Wakeups,
)
from ioc_core.integration.deliveries.schedule import next_wait, retry_after
from ioc_core.shared.clock import Clock

FAILING_DAYS = timedelta(days=5)  # as Svix: an endpoint failing this long is disabled
TIMEOUT_SECONDS = 10.0
LEASE = timedelta(seconds=60)  # longer than a send's timeout: a crashed forwarder's lease runs out
EARLY = timedelta(seconds=1)  # a queue's delay is not exact: this early still counts as due
# A waiting delivery looks again this long after its head's next try.
RECHECK_AFTER = timedelta(seconds=2)
# A healthy endpoint's last success is written at most this often (not once per delivery).
SUCCESS_MARKED_EVERY = timedelta(seconds=60)
WORKERS = 8  # sends in flight at once in one invocation
SWEEP_AHEAD = timedelta(seconds=60)  # the sweep runs every minute: it queues the next minute's


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    PARKED = "parked"
    DISABLED = "disabled"
    WAITING = "waiting"  # an earlier delivery of its entity goes first
    HELD = "held"  # the subscription is paused or disabled
    SKIPPED = "skipped"  # not pending, not due yet, or another forwarder has it


@dataclass(frozen=True)
class Sent:
    outcome: Outcome
    status_code: int | None = None


class Forwarder:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        deliveries: DeliveryRepository,
        attempts: AttemptLog,
        sender: Sender,
        wakeups: Wakeups,
        clock: Clock,
        rng: random.Random | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.subscriptions, self.deliveries, self.attempts = subscriptions, deliveries, attempts
        self.sender, self.wakeups, self.clock = sender, wakeups, clock
        self.rng = rng or random.Random()
        self.timeout = timeout
        self._executor: ThreadPoolExecutor | None = None

    def forward(self, delivery_id: str, known: Mapping[str, Subscription] | None = None) -> Sent:
        """Try one delivery if it is due and its turn; a Stale read (it changed meanwhile) is
        read again, as the wake-up that made it change will have its own turn. ``known``: the
        subscriptions as the invocation read them once."""
        for _ in range(3):
            try:
                return self._forward(delivery_id, known or {})
            except Stale:
                continue
        return Sent(Outcome.SKIPPED)

    def forward_many(self, delivery_ids: Sequence[str], workers: int = WORKERS) -> dict[str, Sent]:
        """One invocation's batch, sent side by side (each is one entity's turn, so no two of them
        can be in order with each other); a delivery that raised is left out (the queue retries)."""
        unique = list(dict.fromkeys(delivery_ids))
        if len(unique) <= 1 or workers <= 1:
            return {d: self.forward(d) for d in unique}
        # Read once for the batch (a pause lands on the next invocation, seconds later).
        known = {s.subscription_id: s for s in self.subscriptions.all()}
        pool = self._pool(workers)
        futures = {d: pool.submit(self.forward, d, known) for d in unique}
        wait(futures.values())
        return {d: f.result() for d, f in futures.items() if f.exception() is None}

    def _pool(self, workers: int) -> ThreadPoolExecutor:
        # Kept for the life of the process (a warm Lambda's next invocations): each worker keeps
        # its kept-alive connections to the endpoints.
        if self._executor is None or self._executor._max_workers != workers:
            self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ioc-forward")
        return self._executor

    def sweep(self) -> int:
        """Queue what falls due in the next minute (waits longer than the queue's delay, and
        deliveries whose forwarder died): the scheduled job's work."""
        now = self.clock.now()
        due = self.deliveries.due(now + SWEEP_AHEAD, limit=1000)
        if due:
            self.wakeups.wake([(d.delivery_id, d.due_at or now) for d in due])
        return len(due)

    def _forward(self, delivery_id: str, known: Mapping[str, Subscription]) -> Sent:
        now = self.clock.now()
        delivery = self.deliveries.get(delivery_id)
        if delivery is None or delivery.status is not DeliveryStatus.PENDING:
            return Sent(Outcome.SKIPPED)
        if delivery.due_at is None or delivery.due_at > now + EARLY:
            return Sent(Outcome.SKIPPED)
        if delivery.leased_until is not None and delivery.leased_until > now:
            return Sent(Outcome.SKIPPED)
        subscription = known.get(delivery.subscription_id) or self.subscriptions.get(delivery.subscription_id)
        if subscription is None:
            self.deliveries.discard(delivery_id)
            return Sent(Outcome.SKIPPED)
        if subscription.status is not SubscriptionStatus.ACTIVE:
            self._update(delivery, now, due_at=None)
            return Sent(Outcome.HELD)
        head = self.deliveries.earlier_pending(delivery.subscription_id, delivery.entity, delivery.position)
        if head is not None:
            # Waits for the earlier one: when that is delivered or parked it moves this one on. In
            # case that move is missed (an index read a moment stale), it looks again when the
            # earlier one's next try is due: once per try, not once a minute.
            again = max(head.leased_until or now, head.due_at or now, now) + RECHECK_AFTER
            self._update(delivery, now, due_at=again)
            self.wakeups.wake([(delivery.delivery_id, again)])
            return Sent(Outcome.WAITING)
        leased = self._update(delivery, now, leased_until=now + LEASE)
        return self._send(leased, subscription)

    def _send(self, delivery: Delivery, subscription: Subscription) -> Sent:
        now = self.clock.now()
        headers = signing.headers(delivery.event_id, now, delivery.body, subscription.signing_secrets(now))
        started = time.perf_counter()
        status: int | None = None
        error: str | None = None
        head = b""
        wait_hint = None
        try:
            answer = self.sender.post(subscription.url, headers, delivery.body.encode("utf-8"), self.timeout)
            status, head = answer.status, answer.head[:RESPONSE_HEAD_BYTES]
            wait_hint = retry_after(status, answer.headers.get("retry-after"), now)
        except SendFailed as failure:
            error = str(failure)[:200] or type(failure).__name__
        latency_ms = int((time.perf_counter() - started) * 1000)
        number = delivery.attempts + 1
        if status is not None and 200 <= status < 300:
            outcome = self._delivered(delivery, subscription, status)
        elif status == 410:
            outcome = self._gone(delivery, subscription, number)
        else:
            outcome = self._failed(delivery, subscription, number, status, error, wait_hint)
        self.attempts.add(
            Attempt(
                subscription_id=delivery.subscription_id, event_id=delivery.event_id,
                event_type=delivery.event_type,
                attempt=number, at=now, status_code=status, latency_ms=latency_ms,
                response_head=head.decode("utf-8", errors="replace"), error=error, outcome=outcome.value,
            )
        )  # fmt: skip
        return Sent(outcome, status)

    def _delivered(self, delivery: Delivery, subscription: Subscription, status: int) -> Outcome:
        now = self.clock.now()
        done = self._update(
            delivery, now, status=DeliveryStatus.DELIVERED, attempts=delivery.attempts + 1, due_at=None,
            leased_until=None, delivered_at=now, last_status=status, last_error=None,
        )  # fmt: skip
        last = subscription.last_success_at
        if subscription.failing_since is not None or last is None or now - last >= SUCCESS_MARKED_EVERY:
            self.subscriptions.mark_success(delivery.subscription_id, now)
        self._next_in_lane(done)
        return Outcome.DELIVERED

    def _gone(self, delivery: Delivery, subscription: Subscription, number: int) -> Outcome:
        now = self.clock.now()
        self._update(delivery, now, attempts=number, due_at=None, leased_until=None, last_status=410)
        self._disable(subscription, DisabledReason.GONE)
        return Outcome.DISABLED

    def _failed(
        self,
        delivery: Delivery,
        subscription: Subscription,
        number: int,
        status: int | None,
        error: str | None,
        wait_hint: timedelta | None,
    ) -> Outcome:
        now = self.clock.now()
        wait = next_wait(number, self.rng, wait_hint)
        failing_since = self.subscriptions.mark_failure(delivery.subscription_id, now)
        if wait is None:
            parked = self._update(
                delivery, now, status=DeliveryStatus.PARKED, attempts=number, due_at=None, leased_until=None,
                last_status=status, last_error=error,
            )  # fmt: skip
            self._next_in_lane(parked)  # the entity's later events go on (the parked one is redriven by hand)
            outcome = Outcome.PARKED
        else:
            self._update(
                delivery, now, attempts=number, due_at=now + wait, leased_until=None, last_status=status,
                last_error=error,
            )  # fmt: skip
            self.wakeups.wake([(delivery.delivery_id, now + wait)])
            outcome = Outcome.RETRY
        if now - failing_since >= FAILING_DAYS:
            self._disable(subscription, DisabledReason.FAILING)
        return outcome

    def _disable(self, subscription: Subscription, reason: DisabledReason) -> None:
        for _ in range(3):
            current = self.subscriptions.get(subscription.subscription_id)
            if current is None or current.status is SubscriptionStatus.DISABLED:
                return
            now = self.clock.now()
            disabled = current.model_copy(
                update={
                    "status": SubscriptionStatus.DISABLED, "disabled_reason": reason, "disabled_at": now,
                    "updated_at": now, "version": current.version + 1,
                }
            )  # fmt: skip
            try:
                self.subscriptions.save(
                    disabled, [events.subscription_event(events.DISABLED, disabled, now)], current.version
                )
                return
            except Stale:
                continue

    def _next_in_lane(self, finished: Delivery) -> None:
        following = self.deliveries.next_pending(finished.subscription_id, finished.entity, finished.position)
        now = self.clock.now()
        if following is None or (following.leased_until is not None and following.leased_until > now):
            return
        # Written even when it is due already: a forwarder that read it before this one finished
        # and is about to hold it finds it changed (Stale), reads again and sends it.
        try:
            self._update(following, now, due_at=now)
        except Stale:
            return  # it moved meanwhile: whoever moved it woke it
        self.wakeups.wake([(following.delivery_id, now)])

    def _update(self, delivery: Delivery, now: datetime, **changes: object) -> Delivery:
        changed = delivery.model_copy(update={**changes, "updated_at": now, "version": delivery.version + 1})
        self.deliveries.save(changed, delivery.version)
        return changed
