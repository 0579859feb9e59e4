"""The event stream into deliveries: one per subscription that takes the event, written once
whatever how often the stream hands the event over, and the forwarder woken for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ioc_core.integration.deliveries.models import Delivery, SubscriptionStatus
from ioc_core.integration.deliveries.ports import DeliveryRepository, SubscriptionRepository, Wakeups
from ioc_core.shared.clock import Clock
from ioc_core.shared.cloudevents import CloudEvent

POSITION_DIGITS = 64  # Kinesis sequence numbers have up to 56 digits; padded they sort as numbers


def position(sequence_number: str) -> str:
    return sequence_number.zfill(POSITION_DIGITS)


@dataclass(frozen=True)
class FannedOut:
    events: int
    written: int
    duplicates: int


class FanOut:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        deliveries: DeliveryRepository,
        wakeups: Wakeups,
        clock: Clock,
    ) -> None:
        self.subscriptions, self.deliveries, self.wakeups, self.clock = (
            subscriptions,
            deliveries,
            wakeups,
            clock,
        )

    def accept(self, records: Sequence[tuple[str, CloudEvent]]) -> FannedOut:
        """``records``: (stream position, event), in stream order. A paused subscription's
        deliveries are written and held; a disabled one takes nothing."""
        listening = [s for s in self.subscriptions.all() if s.status is not SubscriptionStatus.DISABLED]
        now = self.clock.now()
        written, duplicates = 0, 0
        woken: list[tuple[str, datetime]] = []
        for at, event in records:
            ward = event.data.get("ward_code")
            for subscription in listening:
                if not subscription.takes(event.short_type, ward if isinstance(ward, str) else None):
                    continue
                active = subscription.status is SubscriptionStatus.ACTIVE
                delivery = Delivery(
                    subscription_id=subscription.subscription_id, event_id=event.id,
                    event_type=event.short_type,
                    entity=event.partitionkey or event.subject or event.id, position=position(at),
                    body=event.to_json(), due_at=now if active else None, created_at=now, updated_at=now,
                )  # fmt: skip
                if not self.deliveries.add(delivery):
                    duplicates += 1
                    continue
                written += 1
                if active:
                    woken.append((delivery.delivery_id, now))
        if woken:
            self.wakeups.wake(woken)
        return FannedOut(len(records), written, duplicates)
