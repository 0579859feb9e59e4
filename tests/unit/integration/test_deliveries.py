"""The deliveries' rules on in-memory fakes: the retry schedule and its jitter, Retry-After,
order per entity, 410, parking, failing for days, rotation, redrive, the fan-out's filters and
its idempotency, and the URL rules."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
from delivery_fakes import T0, InMemoryDeliveries, World
from webhooks import verified

from ioc_core.integration.deliveries import events
from ioc_core.integration.deliveries.endpoints import check_url
from ioc_core.integration.deliveries.forwarder import FAILING_DAYS, Outcome
from ioc_core.integration.deliveries.models import (
    Delivery,
    DeliveryStatus,
    DisabledReason,
    SubscriptionStatus,
)
from ioc_core.integration.deliveries.ports import Answer, SendFailed
from ioc_core.integration.deliveries.schedule import ATTEMPTS, JITTER, SCHEDULE, next_wait, retry_after
from ioc_core.integration.deliveries.service import ROTATION_OVERLAP, NewSubscription
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.unit
URL = "https://province.example.vn/hooks/city"


def report_event(report: str, kind: str = "submitted", ward: str = "22945") -> CloudEvent:
    return CloudEvent.new(
        f"field_reporting.report.{kind}", subsystem="field_reporting", subject=report, at=T0,
        data={"report_id": report, "ward_code": ward},
    )  # fmt: skip


class ScriptedSender:
    """Answers from a script per call (an int status, an Answer, or an exception), then 200."""

    def __init__(self, script: list[object] | None = None, per_entity: dict[str, list[object]] | None = None):
        self.script = list(script or [])
        self.per_entity = {k: list(v) for k, v in (per_entity or {}).items()}
        self.calls: list[tuple[str, dict[str, str], bytes]] = []

    def post(self, url: str, headers: dict[str, str], body: bytes, timeout: float) -> Answer:
        self.calls.append((url, headers, body))
        entity = CloudEvent.from_json(body).partitionkey or ""
        queue = self.per_entity.get(entity, self.script)
        step = queue.pop(0) if queue else 200
        if isinstance(step, Exception):
            raise step
        return step if isinstance(step, Answer) else Answer(int(step))  # type: ignore[call-overload]

    def subjects(self) -> list[str]:
        return [CloudEvent.from_json(body).subject or "" for _, _, body in self.calls]


verify = verified  # Standard Webhooks by hand (tests/webhooks.py): any one signature of the list


def subscribe(world: World, **kw: object) -> tuple[str, str]:
    created = world.service.create(NewSubscription(url=URL, **kw), by="quantri")  # type: ignore[arg-type]
    return created.subscription.subscription_id, created.secret


# -- the schedule ---------------------------------------------------------------------------


def test_the_schedule_is_svix_s_eight_attempts_over_about_27_hours() -> None:
    assert ATTEMPTS == 8
    assert SCHEDULE[0] == timedelta(0) and SCHEDULE[1] == timedelta(seconds=5)
    assert timedelta(hours=27) < sum(SCHEDULE, timedelta()) < timedelta(hours=28)


@pytest.mark.parametrize("failed", range(1, ATTEMPTS))
def test_each_wait_is_jittered_within_ten_percent_of_the_schedule(failed: int) -> None:
    rng = random.Random(failed)
    waits = [next_wait(failed, rng) for _ in range(500)]
    assert all(w is not None for w in waits)
    low, high = SCHEDULE[failed] * (1 - JITTER), SCHEDULE[failed] * (1 + JITTER)
    assert all(low <= w <= high for w in waits if w is not None)
    assert len({w for w in waits}) > 400  # spread, not one moment


def test_after_the_last_attempt_no_wait_is_left() -> None:
    assert next_wait(ATTEMPTS, random.Random(1)) is None


def test_retry_after_is_read_in_seconds_or_as_a_date_and_only_on_429_and_503() -> None:
    now = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert retry_after(429, "120", now) == timedelta(seconds=120)
    assert retry_after(503, "Fri, 04 Dec 2026 02:10:00 GMT", now) == timedelta(minutes=10)
    assert retry_after(500, "120", now) is None
    assert retry_after(429, "soon", now) is None
    wait = next_wait(1, random.Random(1), retry_after=timedelta(minutes=3))
    assert wait == timedelta(minutes=3)  # longer than the schedule's 5 s: the partner's wins


# -- sending ----------------------------------------------------------------------------------


def test_a_delivery_carries_the_standard_webhooks_headers_and_the_cloudevent() -> None:
    sender = ScriptedSender()
    world = World(sender)
    _, secret = subscribe(world)
    event = report_event("PT-1")
    world.publish(event)
    world.run()
    [(url, headers, body)] = sender.calls
    assert url == URL and body == event.to_json().encode()
    assert headers["webhook-id"] == event.id
    assert headers["content-type"].startswith("application/cloudevents+json")
    assert abs(int(headers["webhook-timestamp"]) - int(T0.timestamp())) <= 1  # UTC seconds, not +07:00
    assert verify(secret, headers, body)


def test_a_failing_endpoint_is_tried_on_the_schedule_then_the_delivery_is_parked() -> None:
    sender = ScriptedSender([500] * ATTEMPTS)
    world = World(sender)
    sub, _ = subscribe(world)
    world.publish(report_event("PT-1"))
    world.run()
    log = list(reversed(world.attempts.of_subscription(sub, 50).items))
    assert [a.attempt for a in log] == list(range(1, ATTEMPTS + 1))
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(log)]
    for gap, scheduled in zip(gaps, SCHEDULE[1:], strict=True):
        assert scheduled * (1 - JITTER) <= gap <= scheduled * (1 + JITTER)
    assert log[-1].outcome == "parked"
    [parked] = world.deliveries.of_subscription(sub, DeliveryStatus.PARKED, 10).items
    assert parked.attempts == ATTEMPTS and parked.last_status == 500
    ids = {h["webhook-id"] for _, h, _ in sender.calls}
    assert len(ids) == 1  # the same id on every retry


def test_retry_after_on_429_is_honoured() -> None:
    sender = ScriptedSender([Answer(429, {"retry-after": "600"}), 200])
    world = World(sender)
    sub, _ = subscribe(world)
    world.publish(report_event("PT-1"))
    world.run()
    first, second = reversed(world.attempts.of_subscription(sub, 10).items)
    assert first.status_code == 429 and second.status_code == 200
    assert second.at - first.at >= timedelta(seconds=600)


def test_a_410_disables_the_subscription_and_tells_the_administrators() -> None:
    sender = ScriptedSender([410])
    world = World(sender)
    sub, _ = subscribe(world)
    world.publish(report_event("PT-1"), report_event("PT-2"))
    world.run()
    stored = world.subscriptions.get(sub)
    assert stored is not None and stored.status is SubscriptionStatus.DISABLED
    assert stored.disabled_reason is DisabledReason.GONE
    assert [e.short_type for e in world.subscriptions.outbox][-1] == events.DISABLED
    assert len(sender.calls) == 1  # nothing more goes to a gone endpoint
    world.publish(report_event("PT-3"))
    assert world.deliveries.of_subscription(sub, DeliveryStatus.PENDING, 10).items[-1].event_id != "PT-3"
    # Enabled again by an administrator: what waited goes, nothing was lost.
    world.service.resume(sub)
    world.run()
    assert sorted(sender.subjects()[1:]) == ["PT-1", "PT-2"]


def test_one_delivery_in_flight_per_entity_others_go_on_and_order_holds() -> None:
    # PT-1's first event fails three times; PT-2's events go through meanwhile.
    sender = ScriptedSender(per_entity={"PT-1": [500, 500, SendFailed("refused")]})
    world = World(sender)
    subscribe(world)
    world.publish(
        report_event("PT-1"),
        report_event("PT-2"),
        report_event("PT-1", "resolved"),
        report_event("PT-2", "resolved"),
    )
    world.run()
    delivered = [
        (CloudEvent.from_json(b).subject, CloudEvent.from_json(b).short_type) for _, h, b in sender.calls
    ]
    pt2 = [d for d in delivered if d[0] == "PT-2"]
    assert pt2 == [("PT-2", "field_reporting.report.submitted"), ("PT-2", "field_reporting.report.resolved")]
    assert delivered.index(pt2[-1]) < 3  # both PT-2 events went before PT-1's retries ended
    pt1 = [d for d in delivered if d[0] == "PT-1"]
    assert pt1 == [("PT-1", "field_reporting.report.submitted")] * 4 + [
        ("PT-1", "field_reporting.report.resolved")
    ]


class LaggingLanes(InMemoryDeliveries):
    """A lane index a moment stale (DynamoDB's indexes are eventually consistent): it answers
    ``stale`` once as still pending, after it was delivered."""

    def __init__(self) -> None:
        super().__init__()
        self.stale: Delivery | None = None

    def earlier_pending(self, subscription_id: str, entity: str, position: str) -> Delivery | None:
        if self.stale is not None:
            stale, self.stale = self.stale, None
            return stale
        return super().earlier_pending(subscription_id, entity, position)


def test_a_waiting_delivery_is_not_stranded_when_a_stale_index_hides_its_turn() -> None:
    lanes = LaggingLanes()
    sender = ScriptedSender()
    world = World(sender, deliveries=lanes)
    subscribe(world)
    world.publish(report_event("PT-1"), report_event("PT-1", "resolved"))
    woken = world.wakeups.take_due(world.clock.now())
    first, second = sorted(woken, key=lambda d: lanes.items[d].position)  # in stream order
    before = world.deliveries.get(first)
    assert world.forwarder.forward(first).outcome is Outcome.DELIVERED  # and moved the second on
    lanes.stale = before  # ...which now reads the first as still pending
    assert world.forwarder.forward(second).outcome is Outcome.WAITING
    world.run()
    assert [CloudEvent.from_json(b).short_type for _, _, b in sender.calls] == [
        "field_reporting.report.submitted",
        "field_reporting.report.resolved",
    ]


def test_a_parked_delivery_lets_its_entity_s_later_events_proceed_and_is_redriven() -> None:
    sender = ScriptedSender(per_entity={"PT-1": [500] * ATTEMPTS})
    world = World(sender)
    sub, _ = subscribe(world)
    world.publish(report_event("PT-1"), report_event("PT-1", "resolved"))
    world.run()
    assert sender.subjects().count("PT-1") == ATTEMPTS + 1
    assert CloudEvent.from_json(sender.calls[-1][2]).short_type == "field_reporting.report.resolved"
    assert len(world.deliveries.of_subscription(sub, DeliveryStatus.PARKED, 10).items) == 1
    world.clock.advance(timedelta(hours=1))
    assert world.service.redrive(sub) == 1
    world.run()
    assert world.deliveries.of_subscription(sub, DeliveryStatus.PARKED, 10).items == []
    assert world.attempts.of_subscription(sub, 1).items[0].outcome == "delivered"
    assert [e.short_type for e in world.subscriptions.outbox][-1] == events.REDRIVEN


def test_an_endpoint_failing_for_days_is_disabled_with_an_event() -> None:
    sender = ScriptedSender([SendFailed("refused")] * 1000)
    world = World(sender)
    sub, _ = subscribe(world)
    for day in range(7):
        world.publish(report_event(f"PT-{day}"))
        world.run(until=timedelta(days=1))
        world.clock.advance(timedelta(days=1) - timedelta(seconds=1))
    stored = world.subscriptions.get(sub)
    assert stored is not None and stored.status is SubscriptionStatus.DISABLED
    assert stored.disabled_reason is DisabledReason.FAILING
    assert stored.disabled_at is not None and stored.failing_since is not None
    assert stored.disabled_at - stored.failing_since >= FAILING_DAYS
    assert events.DISABLED in [e.short_type for e in world.subscriptions.outbox]


def test_a_success_resets_the_failing_clock() -> None:
    sender = ScriptedSender([500, 200])
    world = World(sender)
    sub, _ = subscribe(world)
    world.publish(report_event("PT-1"))
    world.run()
    stored = world.subscriptions.get(sub)
    assert stored is not None and stored.failing_since is None and stored.last_success_at is not None


def test_a_rotated_secret_signs_beside_the_old_one_until_the_overlap_ends() -> None:
    sender = ScriptedSender()
    world = World(sender)
    sub, old = subscribe(world)
    new = world.service.rotate(sub).secret
    world.publish(report_event("PT-1"))
    world.run()
    _, headers, body = sender.calls[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify(old, headers, body) and verify(new, headers, body)
    world.clock.advance(ROTATION_OVERLAP + timedelta(seconds=1))
    world.publish(report_event("PT-2"))
    world.run()
    _, headers, body = sender.calls[-1]
    assert verify(new, headers, body) and not verify(old, headers, body)


def test_a_paused_subscription_keeps_its_deliveries_and_sends_them_on_resume() -> None:
    sender = ScriptedSender()
    world = World(sender)
    sub, _ = subscribe(world)
    world.service.pause(sub)
    world.publish(report_event("PT-1"), report_event("PT-1", "resolved"))
    world.run()
    assert sender.calls == []
    world.service.resume(sub)
    world.run()
    assert [CloudEvent.from_json(b).short_type for _, _, b in sender.calls] == [
        "field_reporting.report.submitted",
        "field_reporting.report.resolved",
    ]


def test_deleting_a_subscription_discards_what_it_had_not_delivered() -> None:
    sender = ScriptedSender(per_entity={"PT-1": [500] * ATTEMPTS})
    world = World(sender)
    sub, _ = subscribe(world)
    world.publish(report_event("PT-1"), report_event("PT-2"))
    world.run()
    world.service.pause(sub)
    world.publish(report_event("PT-3"))
    world.service.delete(sub)
    assert world.subscriptions.get(sub) is None
    assert [
        d.event_id for d in world.deliveries.items.values() if d.status is not DeliveryStatus.DELIVERED
    ] == []
    assert [e.short_type for e in world.subscriptions.outbox][-1] == events.DELETED


# -- the fan-out ------------------------------------------------------------------------------


def test_the_fan_out_writes_one_delivery_per_matching_subscription_once() -> None:
    world = World(ScriptedSender())
    everything, _ = subscribe(world)
    resolved_only, _ = subscribe(world, types=("field_reporting.report.resolved",))
    other_ward, _ = subscribe(world, wards=("99999",))
    event, resolved = report_event("PT-1"), report_event("PT-1", "resolved")
    world.publish(event, resolved)
    world.publish(event)  # the stream hands it over again (at least once)
    by_subscription = {
        s: len(world.deliveries.of_subscription(s, DeliveryStatus.PENDING, 10).items)
        for s in (everything, resolved_only, other_ward)
    }
    assert by_subscription == {everything: 2, resolved_only: 1, other_ward: 0}


def test_a_retried_creation_with_its_key_answers_the_first_subscription() -> None:
    world = World(ScriptedSender())
    request = NewSubscription(url=URL, types=("field_reporting.report.submitted",))
    first = world.service.create(request, by="admin:quantri", idempotency_key="onboard-1")
    again = world.service.create(request, by="admin:quantri", idempotency_key="onboard-1")
    assert (again.subscription, again.secret, again.replayed) == (first.subscription, first.secret, True)
    assert len(world.subscriptions.items) == 1
    other_caller = world.service.create(request, by="admin:khac", idempotency_key="onboard-1")
    assert other_caller.subscription.subscription_id != first.subscription.subscription_id
    with pytest.raises(Conflict):
        world.service.create(NewSubscription(url=URL), by="admin:quantri", idempotency_key="onboard-1")
    world.service.rotate(first.subscription.subscription_id)
    with pytest.raises(Conflict):  # the first secret is no longer the one: nothing to show again
        world.service.create(request, by="admin:quantri", idempotency_key="onboard-1")


def test_an_unknown_event_type_is_refused_naming_the_field() -> None:
    world = World(ScriptedSender())
    with pytest.raises(ValidationFailed) as refused:
        subscribe(world, types=("field_reporting.report.exploded",))
    assert refused.value.problems[0].field == "types"


# -- URL rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://province.example.vn/hooks",
        "ftp://province.example.vn/",
        "https://user:pw@province.example.vn/",
        "https:///nohost",
        "not a url",
        "http://127.0.0.1:9/hook",  # loopback outside development
    ],
)
def test_urls_that_are_not_https_are_refused(url: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_url(url, allow_loopback=False, resolver=None)
    assert refused.value.problems[0].field == "url"


def test_loopback_over_http_is_allowed_in_development_only() -> None:
    assert check_url("http://127.0.0.1:8123/hook", allow_loopback=True, resolver=None)
    assert check_url("http://localhost:8123/hook", allow_loopback=True, resolver=None)
    with pytest.raises(ValidationFailed):
        check_url("http://10.0.0.5/hook", allow_loopback=True, resolver=None)


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "192.168.1.10", "172.16.0.1", "169.254.169.254", "127.0.0.1", "::1", "fe80::1"]
)
def test_in_aws_a_host_resolving_to_a_private_address_is_refused(address: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_url("https://partner.example.vn/", allow_loopback=False, resolver=lambda host, port: [address])
    assert refused.value.problems[0].field == "url"
    assert address in refused.value.problems[0].message


def test_in_aws_a_public_address_is_accepted() -> None:
    assert check_url(
        "https://partner.example.vn/", allow_loopback=False, resolver=lambda h, p: ["203.113.1.1"]
    )


def test_a_forward_that_finds_the_delivery_not_due_does_nothing() -> None:
    sender = ScriptedSender([500])
    world = World(sender)
    subscribe(world)
    world.publish(report_event("PT-1"))
    [delivery_id] = world.wakeups.take_due(world.clock.now())
    assert world.forwarder.forward(delivery_id).outcome is Outcome.RETRY
    assert world.forwarder.forward(delivery_id).outcome is Outcome.SKIPPED  # its retry is 5 s away
    assert len(sender.calls) == 1
