"""The deliveries' repositories in DynamoDB (PynamoDB). Each item holds its model as JSON
(``document``) beside the keys its indexes need:

- ``integration_subscriptions``: one item per subscription; the forwarders' failure markers are
  attributes of their own, updated without the version (any forwarder, any moment).
- ``integration_deliveries``: one item per (subscription, event), its id the pair, so a second
  copy of an event adds nothing; ``by_lane`` (subscription#entity, stream position) orders an
  entity's deliveries, ``by_due`` (a sparse index: only pending deliveries with a time) is what
  the sweep polls, ``by_subscription`` (subscription, status#position) lists parked and held ones.
- ``integration_attempts``: the delivery log, newest first per subscription, kept 30 days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.models import Model

from ioc_core.integration.deliveries.models import Attempt, Delivery, DeliveryStatus, Subscription
from ioc_core.integration.deliveries.ports import Claim, Claimed, Page, Stale
from ioc_core.integration.deliveries.resources import ATTEMPTS, DELIVERIES, SUBSCRIPTIONS
from ioc_core.platform.dynamo import UNBOUND, cancelled_items, decode_token, encode_token, gsi, transaction
from ioc_core.platform.idempotency import IdempotencyItem
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent

DUE = "due"  # the one partition of the due index: a city's deliveries fit it many times over
LOG_RETENTION = timedelta(days=30)
DELIVERED_RETENTION = timedelta(days=30)  # parked and pending ones stay until handled


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


BY_KIND = "subscription"
ByCreation = gsi("by_creation", "kind", "created_key")


class SubscriptionItem(Model):
    class Meta:
        table_name = UNBOUND

    subscription_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute(default=BY_KIND)  # one partition of the index that lists them all
    created_key = UnicodeAttribute()  # UTC time#id
    by_creation = ByCreation()
    version = NumberAttribute()
    document = UnicodeAttribute()
    failing_since = UTCDateTimeAttribute(null=True)
    last_success_at = UTCDateTimeAttribute(null=True)

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionItem:
        return cls(
            subscription_id=subscription.subscription_id, version=subscription.version, kind=BY_KIND,
            created_key=f"{_utc(subscription.created_at)}#{subscription.subscription_id}",
            document=subscription.model_dump_json(exclude={"failing_since", "last_success_at"}),
            failing_since=subscription.failing_since, last_success_at=subscription.last_success_at,
        )  # fmt: skip

    def to_model(self) -> Subscription:
        found = Subscription.model_validate_json(self.document)
        return found.model_copy(
            update={"failing_since": self.failing_since, "last_success_at": self.last_success_at}
        )


class DynamoSubscriptions:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get(self, subscription_id: str) -> Subscription | None:
        try:
            return SubscriptionItem.get(subscription_id, consistent_read=True).to_model()
        except SubscriptionItem.DoesNotExist:
            return None

    def all(self) -> list[Subscription]:
        # Dozens of partners, one index partition: a query (no function may scan a table).
        return [item.to_model() for item in SubscriptionItem.by_creation.query(BY_KIND)]

    def save(
        self,
        subscription: Subscription,
        events: list[CloudEvent] | Any,
        expected_version: int,
        claim: Claim | None = None,
    ) -> None:
        item = SubscriptionItem.of(subscription)
        condition = (
            SubscriptionItem.subscription_id.does_not_exist()
            if expected_version == 0
            else SubscriptionItem.version == expected_version
        )
        try:
            with transaction(self.settings) as tx:
                tx.save(item, condition=condition)
                if claim is not None:
                    tx.save(
                        IdempotencyItem.claim(claim.key, subscription.subscription_id, claim.fingerprint),
                        condition=IdempotencyItem.key.does_not_exist(),
                    )
                stage_events(tx, list(events))
        except TransactWriteError as error:
            failed = cancelled_items(error)
            if claim is not None and 1 in failed:
                stored = self.find_claim(claim.key) or (subscription.subscription_id, claim.fingerprint)
                raise Claimed(*stored) from error
            if 0 in failed:
                raise Stale(subscription.subscription_id) from error
            raise

    def find_claim(self, key: str) -> tuple[str, str] | None:
        try:
            found = IdempotencyItem.get(key, consistent_read=True)
        except IdempotencyItem.DoesNotExist:
            return None
        return found.result_id, found.fingerprint

    def delete(self, subscription_id: str, events: list[CloudEvent] | Any) -> None:
        with transaction(self.settings) as tx:
            tx.delete(SubscriptionItem(subscription_id=subscription_id))
            stage_events(tx, list(events))

    def mark_success(self, subscription_id: str, at: datetime) -> None:
        try:
            SubscriptionItem(subscription_id=subscription_id).update(
                actions=[SubscriptionItem.last_success_at.set(at), SubscriptionItem.failing_since.remove()],
                condition=SubscriptionItem.subscription_id.exists(),
            )
        except Exception as error:  # deleted meanwhile: nothing to mark
            if "ConditionalCheckFailed" not in str(error):
                raise

    def mark_failure(self, subscription_id: str, at: datetime) -> datetime:
        item = SubscriptionItem(subscription_id=subscription_id)
        try:
            item.update(
                actions=[SubscriptionItem.failing_since.set(SubscriptionItem.failing_since | at)],
                condition=SubscriptionItem.subscription_id.exists(),
            )
        except Exception as error:
            if "ConditionalCheckFailed" not in str(error):
                raise
            return at
        return item.failing_since or at


ByLane = gsi("by_lane", "lane", "position")
ByDue = gsi("by_due", "due_shard", "due_key")
BySubscription = gsi("by_subscription", "subscription_id", "state_key")


class DeliveryItem(Model):
    class Meta:
        table_name = UNBOUND

    delivery_id = UnicodeAttribute(hash_key=True)
    subscription_id = UnicodeAttribute()
    lane = UnicodeAttribute()
    position = UnicodeAttribute()
    state_key = UnicodeAttribute()  # status#position#event id
    due_shard = UnicodeAttribute(null=True)  # set only while due: the index is sparse
    due_key = UnicodeAttribute(null=True)  # UTC time#delivery id
    status = UnicodeAttribute()
    version = NumberAttribute()
    document = UnicodeAttribute()
    expires_at = TTLAttribute(null=True)

    by_lane = ByLane()
    by_due = ByDue()
    by_subscription = BySubscription()

    @classmethod
    def of(cls, d: Delivery) -> DeliveryItem:
        due = d.status is DeliveryStatus.PENDING and d.due_at is not None
        delivered = d.status is DeliveryStatus.DELIVERED and d.delivered_at is not None
        return cls(
            delivery_id=d.delivery_id, subscription_id=d.subscription_id, lane=d.lane, position=d.position,
            state_key=f"{d.status.value}#{d.position}#{d.event_id}",
            due_shard=DUE if due else None,
            due_key=f"{_utc(d.due_at)}#{d.delivery_id}" if due and d.due_at else None,
            status=d.status.value, version=d.version, document=d.model_dump_json(),
            expires_at=(d.delivered_at + DELIVERED_RETENTION) if delivered and d.delivered_at else None,
        )  # fmt: skip

    def to_model(self) -> Delivery:
        return Delivery.model_validate_json(self.document)


def _page_token(last: dict[str, Any] | None) -> str | None:
    return encode_token(last) if last else None


class DynamoDeliveries:
    def add(self, delivery: Delivery) -> bool:
        try:
            DeliveryItem.of(delivery).save(condition=DeliveryItem.delivery_id.does_not_exist())
        except PutError as error:
            if "ConditionalCheckFailed" in str(error.cause_response_code or error):
                return False
            raise
        return True

    def get(self, delivery_id: str) -> Delivery | None:
        try:
            return DeliveryItem.get(delivery_id, consistent_read=True).to_model()
        except DeliveryItem.DoesNotExist:
            return None

    def save(self, delivery: Delivery, expected_version: int) -> None:
        try:
            DeliveryItem.of(delivery).save(condition=DeliveryItem.version == expected_version)
        except PutError as error:
            if "ConditionalCheckFailed" in str(error.cause_response_code or error):
                raise Stale(delivery.delivery_id) from error
            raise

    def discard(self, delivery_id: str) -> None:
        DeliveryItem(delivery_id=delivery_id).delete()

    def earlier_pending(self, subscription_id: str, entity: str, position: str) -> Delivery | None:
        lane = f"{subscription_id}#{entity}"
        found = DeliveryItem.by_lane.query(
            lane,
            DeliveryItem.position < position,
            filter_condition=DeliveryItem.status == DeliveryStatus.PENDING.value,
        )
        first = next(iter(found), None)
        return first.to_model() if first is not None else None

    def next_pending(self, subscription_id: str, entity: str, position: str) -> Delivery | None:
        lane = f"{subscription_id}#{entity}"
        found = DeliveryItem.by_lane.query(
            lane,
            DeliveryItem.position > position,
            filter_condition=DeliveryItem.status == DeliveryStatus.PENDING.value,
        )
        first = next(iter(found), None)
        return first.to_model() if first is not None else None

    def due(self, until: datetime, limit: int) -> list[Delivery]:
        found = DeliveryItem.by_due.query(DUE, DeliveryItem.due_key <= f"{_utc(until)}#~", limit=limit)
        return [item.to_model() for item in found]

    def of_subscription(
        self, subscription_id: str, status: DeliveryStatus, limit: int, token: str | None = None
    ) -> Page[Delivery]:
        found = DeliveryItem.by_subscription.query(
            subscription_id, DeliveryItem.state_key.startswith(f"{status.value}#"), limit=limit,
            last_evaluated_key=decode_token(token) if token else None,
        )  # fmt: skip
        items = [item.to_model() for item in found]
        return Page(items, _page_token(found.last_evaluated_key) if len(items) == limit else None)


class AttemptItem(Model):
    class Meta:
        table_name = UNBOUND

    subscription_id = UnicodeAttribute(hash_key=True)
    attempt_key = UnicodeAttribute(range_key=True)  # UTC time#event id#attempt
    document = UnicodeAttribute()
    expires_at = TTLAttribute()


class DynamoAttempts:
    def add(self, attempt: Attempt) -> None:
        AttemptItem(
            subscription_id=attempt.subscription_id,
            attempt_key=f"{_utc(attempt.at)}#{attempt.event_id}#{attempt.attempt:03d}",
            document=attempt.model_dump_json(),
            expires_at=attempt.at + LOG_RETENTION,
        ).save()

    def of_subscription(self, subscription_id: str, limit: int, token: str | None = None) -> Page[Attempt]:
        found = AttemptItem.query(
            subscription_id, scan_index_forward=False, limit=limit,
            last_evaluated_key=decode_token(token) if token else None,
        )  # fmt: skip
        items = [Attempt.model_validate_json(item.document) for item in found]
        return Page(items, _page_token(found.last_evaluated_key) if len(items) == limit else None)


MODELS: tuple[tuple[type[Model], str], ...] = (
    (SubscriptionItem, SUBSCRIPTIONS),
    (DeliveryItem, DELIVERIES),
    (AttemptItem, ATTEMPTS),
)
