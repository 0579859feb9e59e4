"""The deliveries' repositories, one contract for the in-memory fakes and the PynamoDB adapters.

A tier's module subclasses ``DeliveryStoresContract`` and provides ``stores``: a
(subscriptions, deliveries, attempts) triple of empty repositories, and ``outbox``: the short
types of the events the subscriptions' repository stored. tests/unit/integration/
test_delivery_contracts.py runs it on the fakes, tests/integration/integration/
test_delivery_adapters.py on moto.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from ioc_core.integration.deliveries import events
from ioc_core.integration.deliveries.models import (
    Attempt,
    Delivery,
    DeliveryStatus,
    SigningSecret,
    Subscription,
)
from ioc_core.integration.deliveries.ports import (
    AttemptLog,
    Claim,
    Claimed,
    DeliveryRepository,
    Stale,
    SubscriptionRepository,
)
from ioc_core.shared.clock import VN_TZ

Stores = tuple[SubscriptionRepository, DeliveryRepository, AttemptLog]
Outbox = Callable[[], list[str]]
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=VN_TZ)


def subscription(n: int = 1, **kw: Any) -> Subscription:
    fields: dict[str, Any] = {
        "subscription_id": f"sub_{n:020d}",
        "url": "https://province.example.vn/hooks",
        "types": ["field_reporting.report.submitted"],
        "secrets": [SigningSecret(value="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", created_at=T0)],
        "created_at": T0 + timedelta(minutes=n),
        "created_by": "quantri",
        "updated_at": T0,
    }
    return Subscription.model_validate(fields | kw)


def delivery(event: str, entity: str = "PT-1", position: int = 1, sub: int = 1, **kw: Any) -> Delivery:
    fields: dict[str, Any] = {
        "subscription_id": f"sub_{sub:020d}",
        "event_id": event,
        "event_type": "field_reporting.report.submitted",
        "entity": entity,
        "position": f"{position:064d}",
        "body": f'{{"id": "{event}"}}',
        "due_at": T0,
        "created_at": T0,
        "updated_at": T0,
    }
    return Delivery.model_validate(fields | kw)


def moved(d: Delivery, **update: Any) -> Delivery:
    return d.model_copy(update={**update, "version": d.version + 1})


class DeliveryStoresContract:
    # -- subscriptions -------------------------------------------------------------------
    def test_a_subscription_is_stored_with_its_event_and_read_back_whole(
        self, stores: Stores, outbox: Outbox
    ) -> None:
        subs, _, _ = stores
        created = subscription()
        subs.save(created, [events.subscription_event(events.CREATED, created, T0)], 0)
        assert subs.get(created.subscription_id) == created
        assert outbox() == [events.CREATED]
        assert subs.get("sub_" + "9" * 20) is None

    def test_a_stale_version_or_a_taken_id_changes_nothing(self, stores: Stores, outbox: Outbox) -> None:
        subs, _, _ = stores
        created = subscription()
        subs.save(created, [], 0)
        with pytest.raises(Stale):
            subs.save(created, [events.subscription_event(events.CREATED, created, T0)], 0)
        with pytest.raises(Stale):
            subs.save(created.model_copy(update={"version": 3, "description": "x"}), [], 2)
        subs.save(created.model_copy(update={"version": 2, "description": "y"}), [], 1)
        stored = subs.get(created.subscription_id)
        assert stored is not None and stored.description == "y" and stored.version == 2
        assert outbox() == []

    def test_a_retry_key_is_claimed_with_the_new_subscription_once(
        self, stores: Stores, outbox: Outbox
    ) -> None:
        subs, _, _ = stores
        first = subscription(1)
        subs.save(
            first, [events.subscription_event(events.CREATED, first, T0)], 0, Claim("k:quantri:1", "f1")
        )
        assert subs.find_claim("k:quantri:1") == (first.subscription_id, "f1")
        assert subs.find_claim("k:quantri:2") is None
        second = subscription(2)
        with pytest.raises(Claimed) as claimed:
            subs.save(
                second, [events.subscription_event(events.CREATED, second, T0)], 0, Claim("k:quantri:1", "f2")
            )
        assert (claimed.value.result_id, claimed.value.fingerprint) == (first.subscription_id, "f1")
        assert subs.get(second.subscription_id) is None and outbox() == [events.CREATED]

    def test_all_lists_every_subscription_oldest_first_and_delete_removes_one(
        self, stores: Stores, outbox: Outbox
    ) -> None:
        subs, _, _ = stores
        for n in (2, 1, 3):
            subs.save(subscription(n), [], 0)
        assert [s.subscription_id for s in subs.all()] == [subscription(n).subscription_id for n in (1, 2, 3)]
        gone = subscription(2)
        subs.delete(gone.subscription_id, [events.subscription_event(events.DELETED, gone, T0)])
        assert subs.get(gone.subscription_id) is None and len(subs.all()) == 2
        assert outbox() == [events.DELETED]

    def test_failures_keep_their_first_moment_until_a_success(self, stores: Stores) -> None:
        subs, _, _ = stores
        created = subscription()
        subs.save(created, [], 0)
        assert subs.mark_failure(created.subscription_id, T0) == T0
        assert subs.mark_failure(created.subscription_id, T0 + timedelta(hours=1)) == T0
        subs.mark_success(created.subscription_id, T0 + timedelta(hours=2))
        stored = subs.get(created.subscription_id)
        assert stored is not None and stored.failing_since is None
        assert stored.last_success_at == T0 + timedelta(hours=2)
        later = T0 + timedelta(hours=3)
        assert subs.mark_failure(created.subscription_id, later) == later
        # A versioned save writes the markers it carries (resuming clears the failing clock).
        current = subs.get(created.subscription_id)
        assert current is not None and current.failing_since == later
        subs.save(current.model_copy(update={"version": 2, "failing_since": None}), [], 1)
        again = subs.get(created.subscription_id)
        assert again is not None and again.failing_since is None and again.last_success_at is not None

    # -- deliveries ----------------------------------------------------------------------
    def test_a_delivery_is_added_once_and_read_back_whole(self, stores: Stores) -> None:
        _, deliveries, _ = stores
        first = delivery("e1")
        assert deliveries.add(first) is True
        assert deliveries.add(first.model_copy(update={"body": "other"})) is False
        assert deliveries.get(first.delivery_id) == first

    def test_a_delivery_is_saved_over_its_version_only(self, stores: Stores) -> None:
        _, deliveries, _ = stores
        first = delivery("e1")
        deliveries.add(first)
        leased = moved(first, leased_until=T0 + timedelta(minutes=1))
        deliveries.save(leased, 1)
        with pytest.raises(Stale):
            deliveries.save(moved(first, due_at=None), 1)
        assert deliveries.get(first.delivery_id) == leased
        deliveries.discard(first.delivery_id)
        assert deliveries.get(first.delivery_id) is None

    def test_a_lane_is_read_in_stream_order_by_subscription_and_entity(self, stores: Stores) -> None:
        _, deliveries, _ = stores
        for n, (entity, sub) in enumerate([("PT-1", 1), ("PT-2", 1), ("PT-1", 2), ("PT-1", 1), ("PT-1", 1)]):
            deliveries.add(delivery(f"e{n}", entity, position=n + 1, sub=sub))
        sub1 = subscription(1).subscription_id
        head = deliveries.earlier_pending(sub1, "PT-1", f"{4:064d}")
        assert head is not None and head.event_id == "e0"
        assert deliveries.earlier_pending(sub1, "PT-1", f"{1:064d}") is None
        assert deliveries.earlier_pending(sub1, "PT-2", f"{2:064d}") is None
        following = deliveries.next_pending(sub1, "PT-1", f"{1:064d}")
        assert following is not None and following.event_id == "e3"
        done = deliveries.get(following.delivery_id)
        assert done is not None
        deliveries.save(moved(done, status=DeliveryStatus.DELIVERED, due_at=None), done.version)
        following = deliveries.next_pending(sub1, "PT-1", f"{1:064d}")
        assert following is not None and following.event_id == "e4"
        still = deliveries.earlier_pending(sub1, "PT-1", f"{5:064d}")
        assert still is not None and still.event_id == "e0"  # the first pending one
        assert deliveries.next_pending(sub1, "PT-1", f"{5:064d}") is None

    def test_the_due_index_holds_pending_deliveries_with_a_time_earliest_first(self, stores: Stores) -> None:
        _, deliveries, _ = stores
        deliveries.add(delivery("late", position=1, due_at=T0 + timedelta(hours=2)))
        deliveries.add(delivery("soon", position=2, due_at=T0 + timedelta(minutes=1)))
        deliveries.add(delivery("held", position=3, due_at=None))
        done = delivery("done", position=4, status=DeliveryStatus.DELIVERED, due_at=None)
        deliveries.add(done)
        assert [d.event_id for d in deliveries.due(T0 + timedelta(hours=3), 10)] == ["soon", "late"]
        assert [d.event_id for d in deliveries.due(T0 + timedelta(minutes=5), 10)] == ["soon"]
        soon = deliveries.get(delivery("soon").delivery_id)
        assert soon is not None
        deliveries.save(moved(soon, status=DeliveryStatus.PARKED, due_at=None), soon.version)
        assert [d.event_id for d in deliveries.due(T0 + timedelta(hours=3), 10)] == ["late"]

    def test_a_subscription_s_deliveries_are_listed_by_status_in_pages(self, stores: Stores) -> None:
        _, deliveries, _ = stores
        for n in range(5):
            deliveries.add(
                delivery(f"p{n}", f"PT-{n}", position=n + 1, status=DeliveryStatus.PARKED, due_at=None)
            )
        deliveries.add(delivery("x", position=9))
        deliveries.add(delivery("other", position=10, sub=2, status=DeliveryStatus.PARKED, due_at=None))
        sub1 = subscription(1).subscription_id
        first = deliveries.of_subscription(sub1, DeliveryStatus.PARKED, 3)
        assert [d.event_id for d in first.items] == ["p0", "p1", "p2"] and first.next_token
        second = deliveries.of_subscription(sub1, DeliveryStatus.PARKED, 3, first.next_token)
        assert [d.event_id for d in second.items] == ["p3", "p4"]
        assert [d.event_id for d in deliveries.of_subscription(sub1, DeliveryStatus.PENDING, 10).items] == [
            "x"
        ]

    # -- attempts ------------------------------------------------------------------------
    def test_attempts_are_listed_newest_first_per_subscription(self, stores: Stores) -> None:
        _, _, attempts = stores
        for n in range(4):
            attempts.add(
                Attempt(
                    subscription_id=subscription(1).subscription_id, event_id="e1",
                    event_type="field_reporting.report.submitted", attempt=n + 1,
                    at=T0 + timedelta(seconds=n),
                    status_code=500 if n < 3 else 200, latency_ms=12, response_head="oops", outcome="retry",
                )
            )  # fmt: skip
        sub1 = subscription(1).subscription_id
        page = attempts.of_subscription(sub1, 3)
        assert [a.attempt for a in page.items] == [4, 3, 2] and page.next_token
        rest = attempts.of_subscription(sub1, 3, page.next_token)
        assert [a.attempt for a in rest.items] == [1]
        assert page.items[0].status_code == 200 and page.items[0].at == T0 + timedelta(seconds=3)
        assert attempts.of_subscription(subscription(2).subscription_id, 3).items == []
