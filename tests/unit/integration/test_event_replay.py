"""Replay on fakes: an archived range sent again to one subscription alone, marked (replayid in
the signed body, a webhook-id of its own, the event's id and sequence unchanged), in order per
entity, each event once however often the request is handed over; the range rules are 400s."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import pytest
from delivery_fakes import T0, World
from test_deliveries import ScriptedSender, report_event, subscribe, verify

from ioc_core.integration.deliveries.models import SubscriptionStatus
from ioc_core.integration.replay import REQUESTED, Replayer, ReplayRequest, ReplayService
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.unit


class ListArchive:
    def __init__(self, events: list[CloudEvent]) -> None:
        self.stored = events
        self.asked: list[tuple[datetime, datetime]] = []

    def events(self, start: datetime, end: datetime) -> Iterable[CloudEvent]:
        self.asked.append((start, end))
        return [e for e in self.stored if start <= datetime.fromisoformat(e.time) < end]


class Requests:
    def __init__(self) -> None:
        self.stored: list[tuple[ReplayRequest, list[CloudEvent]]] = []

    def add(self, request: ReplayRequest, events: list[CloudEvent]) -> None:  # type: ignore[override]
        self.stored.append((request, list(events)))


def archived(n: int, report: str, kind: str = "submitted") -> CloudEvent:
    event = report_event(report, kind)
    return CloudEvent.model_validate(
        {
            **event.model_dump(exclude_none=True),
            "time": (T0 - timedelta(hours=5) + timedelta(minutes=n)).isoformat(),
        }
    )


def world_with(
    archive: list[CloudEvent], **subscription: object
) -> tuple[World, ReplayService, Replayer, str, str]:
    world = World(ScriptedSender())
    sub, secret = subscribe(world, **subscription)
    requests = Requests()
    service = ReplayService(world.subscriptions, requests, world.clock)  # type: ignore[arg-type]
    replayer = Replayer(
        ListArchive(archive), world.subscriptions, world.deliveries, world.wakeups, world.clock
    )
    world.requests = requests  # type: ignore[attr-defined]
    return world, service, replayer, sub, secret


def test_a_replay_sends_the_range_again_to_that_subscription_marked_and_in_order() -> None:
    history = [
        archived(1, "PT-1"),
        archived(2, "PT-2"),
        archived(3, "PT-1", "resolved"),
        archived(50, "PT-3"),
    ]
    world, service, replayer, sub, secret = world_with(history)
    request = service.request(
        sub, T0 - timedelta(hours=6), T0 - timedelta(hours=5) + timedelta(minutes=10), "quantri"
    )
    (stored, [event]) = world.requests.stored[0]  # type: ignore[attr-defined]
    assert stored == request and event.short_type == REQUESTED and "quantri" not in event.to_json()
    done = replayer.run(event)
    assert (done.read, done.queued) == (3, 3)  # PT-3 lies outside the range
    assert replayer.run(event).queued == 0  # the request handed over again: each once
    world.run()
    sender = world.forwarder.sender
    assert sorted(sender.subjects()) == ["PT-1", "PT-1", "PT-2"]  # type: ignore[attr-defined]
    kinds = [CloudEvent.from_json(b).short_type for _, _, b in sender.calls if b"PT-1" in b]  # type: ignore[attr-defined]
    assert kinds == ["field_reporting.report.submitted", "field_reporting.report.resolved"]  # its order
    by_id = {e.id: e for e in history}
    for _, headers, body in sender.calls:  # type: ignore[attr-defined]
        sent = CloudEvent.from_json(body)
        original = by_id[sent.id]
        assert sent.model_extra and sent.model_extra["replayid"] == request.replay_id
        assert (sent.id, sent.sequence) == (original.id, original.sequence)  # the original's
        assert headers["webhook-id"] == f"{request.replay_id}.{original.id}" and verify(secret, headers, body)


def test_a_replay_takes_only_what_the_subscription_takes_and_nothing_when_it_is_disabled() -> None:
    history = [archived(1, "PT-1"), archived(2, "PT-2", "resolved")]
    world, service, replayer, sub, _ = world_with(history, types=("field_reporting.report.resolved",))
    request = service.request(sub, T0 - timedelta(hours=6), T0, "quantri")
    (_, [event]) = world.requests.stored[0]  # type: ignore[attr-defined]
    assert replayer.run(event).queued == 1
    stored = world.subscriptions.items[sub]
    world.subscriptions.items[sub] = stored.model_copy(update={"status": SubscriptionStatus.DISABLED})
    other = CloudEvent.model_validate(
        {**event.model_dump(), "id": "again", "data": {**event.data, "replay_id": "rpl_" + "x" * 16}}
    )
    assert replayer.run(other).queued == 0
    assert request.subscription_id == sub


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (timedelta(hours=-1), timedelta(hours=-2), "to"),  # ends before it starts
        (timedelta(hours=-1), timedelta(hours=1), "to"),  # in the future
        (timedelta(days=-91), timedelta(days=-90, hours=23), "from"),  # past the archive's 90 days
        (timedelta(days=-40), timedelta(days=-1), "to"),  # more than a month at once
    ],
)
def test_a_range_outside_the_rules_is_a_400_naming_the_field(
    start: timedelta, end: timedelta, field: str
) -> None:
    world, service, _, sub, _ = world_with([])
    with pytest.raises(ValidationFailed) as refused:
        service.request(sub, T0 + start, T0 + end, "quantri")
    assert field in [p.field for p in refused.value.problems]
    assert world.requests.stored == []  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        service.request("sub_" + "0" * 20, T0 - timedelta(hours=2), T0 - timedelta(hours=1), "quantri")
