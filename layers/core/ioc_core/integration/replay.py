"""Replay: the archived events of a time range sent again to one subscription, and to it alone.

An administrator asks for it (API, console, ``ioc integration replay``); the request is stored
with its event ``integration.replay.requested``, and the replayer consumer reads the archive
(gzipped JSON lines by hour) and queues one delivery per archived event the subscription takes.
Nothing goes back on the event stream, so nothing inside the city happens a second time.

A replayed delivery is marked: the CloudEvent carries the extension ``replayid`` (under the
signature) and its ``webhook-id`` is ``<replay id>.<event id>``, so a receiver that
de-duplicates by webhook-id takes it, while the event's own ``id`` and ``sequence`` stay
those of the original (a receiver applying last-writer-wins by sequence changes nothing it
holds already). Its deliveries keep their own lanes, in archive order per entity, beside the
live ones.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel

from ioc_core.integration.deliveries.models import Delivery, SubscriptionStatus
from ioc_core.integration.deliveries.ports import DeliveryRepository, SubscriptionRepository, Wakeups
from ioc_core.integration.event_log import RETENTION
from ioc_core.shared.clock import Clock, iso
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.datetimes import parse_datetime
from ioc_core.shared.errors import FieldProblem, NotFound, ValidationFailed

SUBSYSTEM = "integration"
REQUESTED = "integration.replay.requested"
EMITS = (REQUESTED,)
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
MAX_SPAN = timedelta(days=31)  # a month at a time: one job reads at most ~750 hourly objects


class ReplayRequest(BaseModel):
    replay_id: str
    subscription_id: str
    start: datetime
    end: datetime
    requested_at: datetime
    requested_by: str  # the administrator (kept on the request, never in its event)


class ArchiveReader(Protocol):
    def events(self, start: datetime, end: datetime) -> Iterable[CloudEvent]:
        """The archived events whose ``time`` is in [start, end), in the archive's order."""


class ReplayStore(Protocol):
    def add(self, request: ReplayRequest, events: Sequence[CloudEvent]) -> None:
        """The request and its event, in one transaction."""


@dataclass(frozen=True)
class Replayed:
    replay_id: str
    read: int
    queued: int


def requested(request: ReplayRequest) -> CloudEvent:
    return CloudEvent.new(
        REQUESTED,
        subsystem=SUBSYSTEM,
        subject=f"replay/{request.replay_id}",
        at=request.requested_at,
        sequence=1,
        data={
            "replay_id": request.replay_id,
            "subscription_id": request.subscription_id,
            "start": iso(request.start),
            "end": iso(request.end),
        },
    )


def marked(event: CloudEvent, replay_id: str) -> CloudEvent:
    """The event as a replay sends it: the original with the ``replayid`` extension."""
    return CloudEvent.model_validate({**event.model_dump(exclude_none=True), "replayid": replay_id})


class ReplayService:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        store: ReplayStore,
        clock: Clock,
    ) -> None:
        self.subscriptions, self.store, self.clock = subscriptions, store, clock

    def request(self, subscription_id: str, start: datetime, end: datetime, by: str) -> ReplayRequest:
        if self.subscriptions.get(subscription_id) is None:
            raise NotFound(f"Không có đăng ký này / No subscription {subscription_id[:40]}.")
        now = self.clock.now()
        wrong = []
        if end <= start:
            wrong.append(FieldProblem("to", "after from"))
        if end > now:
            wrong.append(FieldProblem("to", "not in the future"))
        if start < now - RETENTION:
            wrong.append(FieldProblem("from", f"within the last {RETENTION.days} days"))
        if end - start > MAX_SPAN:
            wrong.append(FieldProblem("to", f"at most {MAX_SPAN.days} days after from: ask in parts"))
        if wrong:
            raise ValidationFailed(
                f"Khoảng thời gian không hợp lệ / The range must lie in the last {RETENTION.days} days, end"
                f" after it starts, not in the future, and span at most {MAX_SPAN.days} days.",
                problems=wrong,
            )
        replay_id = "rpl_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(16))
        request = ReplayRequest(
            replay_id=replay_id, subscription_id=subscription_id, start=start, end=end, requested_at=now,
            requested_by=by,
        )  # fmt: skip
        self.store.add(request, [requested(request)])
        return request


class Replayer:
    """The consumer's work: the archive's events of the range → the subscription's deliveries."""

    def __init__(
        self,
        archive: ArchiveReader,
        subscriptions: SubscriptionRepository,
        deliveries: DeliveryRepository,
        wakeups: Wakeups,
        clock: Clock,
    ) -> None:
        self.archive, self.subscriptions, self.deliveries = archive, subscriptions, deliveries
        self.wakeups, self.clock = wakeups, clock

    def run(self, event: CloudEvent) -> Replayed:
        data = event.data
        replay_id, subscription_id = str(data["replay_id"]), str(data["subscription_id"])
        subscription = self.subscriptions.get(subscription_id)
        if subscription is None or subscription.status is SubscriptionStatus.DISABLED:
            return Replayed(replay_id, 0, 0)  # deleted or disabled since: nothing to send
        active = subscription.status is SubscriptionStatus.ACTIVE
        now = self.clock.now()
        read = queued = 0
        woken: list[tuple[str, datetime]] = []
        for n, original in enumerate(
            self.archive.events(parse_datetime(data["start"]), parse_datetime(data["end"]))
        ):
            read += 1
            ward = original.data.get("ward_code")
            if not subscription.takes(original.short_type, ward if isinstance(ward, str) else None):
                continue
            entity = original.partitionkey or original.subject or original.id
            delivery = Delivery(
                subscription_id=subscription_id, event_id=f"{replay_id}.{original.id}",
                event_type=original.short_type, entity=f"{replay_id}:{entity}", position=f"{n:064d}",
                body=marked(original, replay_id).to_json(), due_at=now if active else None,
                created_at=now, updated_at=now,
            )  # fmt: skip
            if self.deliveries.add(delivery):  # a request run twice queues each event once
                queued += 1
                if active:
                    woken.append((delivery.delivery_id, now))
        if woken:
            self.wakeups.wake(woken)
        return Replayed(replay_id, read, queued)
