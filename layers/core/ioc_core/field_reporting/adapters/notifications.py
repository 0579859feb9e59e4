"""Adapters of notifications: DynamoDB inboxes and delivery log, SNS for SMS and push in
AWS, and the local log sender (the message is written to the console log, never sent)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.field_reporting.models import Delivery, Notification
from ioc_core.platform.dynamo import (
    UNBOUND,
    cancelled_items,
    commit_each_once,
    decode_token,
    encode_token,
    transaction,
)
from ioc_core.settings import Settings
from ioc_core.shared.errors import ValidationFailed

RETENTION = timedelta(days=180)
TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems
DELIVERY_LOG = "delivery#log"
COUNT = "count"
log = logging.getLogger("ioc.notifications")


class UnreadIndex(GlobalSecondaryIndex["NotificationItem"]):
    """Sparse: only unread items carry ``unread_for`` (their recipient). Counting a desk's
    unread, listing them and marking them all read read these and nothing else."""

    class Meta:
        index_name = "unread"
        projection = AllProjection()

    unread_for = UnicodeAttribute(hash_key=True)
    notification_id = UnicodeAttribute(range_key=True)


class NotificationItem(Model):
    class Meta:
        table_name = UNBOUND

    recipient = UnicodeAttribute(hash_key=True)
    notification_id = UnicodeAttribute(range_key=True)
    read = BooleanAttribute(default=False)
    unread_for = UnicodeAttribute(null=True)  # the recipient while unread, removed once read
    stored_at = UnicodeAttribute(null=True)  # UTC, fixed width: when it reached the inbox
    document = UnicodeAttribute()
    expires_at = TTLAttribute()
    unread = UnreadIndex()


class UnreadCounter(Model):
    """How many of an inbox's items are unread, in the same table (``count#<recipient>``):
    kept by the transactions that add and mark items, read with one GetItem. The console
    polls it and every page shows it, where a count over the index read every unread item.

    An unread item that expires (after 180 days) stays in the count."""

    class Meta:
        table_name = UNBOUND

    recipient = UnicodeAttribute(hash_key=True)
    notification_id = UnicodeAttribute(range_key=True)
    unread = NumberAttribute(default=0)


def _counter(recipient: str) -> UnreadCounter:
    return UnreadCounter(f"{COUNT}#{recipient}", COUNT)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _still_unread() -> Condition:
    return NotificationItem.unread_for.exists()


def _stored_until(cutoff: str) -> Condition:
    return NotificationItem.stored_at.does_not_exist() | (NotificationItem.stored_at <= cutoff)


_MARK_READ = (NotificationItem.read.set(True), NotificationItem.unread_for.remove())


def _conditional_put(item: NotificationItem) -> bool:
    try:
        item.save(condition=NotificationItem.notification_id.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


class DynamoInbox:
    def __init__(self, settings: Settings, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.settings = settings
        self.clock = clock

    def add(self, items: list[Notification]) -> int:
        """In transactions of up to 100, each item on condition it is new (a redelivered event
        never marks a read item unread); a chunk that meets one stored already goes item by item."""
        stored_at = _stamp(self.clock())
        rows = [
            NotificationItem(
                recipient=note.recipient,
                notification_id=note.notification_id,
                read=note.read,
                unread_for=None if note.read else note.recipient,
                stored_at=stored_at,
                document=note.model_dump_json(),
                expires_at=note.created_at + RETENTION,
            )
            for note in {(n.recipient, n.notification_id): n for n in items}.values()
        ]
        return commit_each_once(_chunks(rows), self._commit)

    def _commit(self, chunk: list[NotificationItem]) -> None:
        with transaction(self.settings) as tx:
            for row in chunk:
                tx.save(row, condition=NotificationItem.notification_id.does_not_exist())
            for recipient, added in Counter(r.unread_for for r in chunk if r.unread_for).items():
                tx.update(_counter(recipient), actions=[UnreadCounter.unread.add(added)])

    def page(
        self, recipient: str, limit: int, token: str | None, unread_only: bool = False
    ) -> tuple[list[Notification], str | None]:
        start = _start(token, unread_only)
        source = NotificationItem.unread if unread_only else NotificationItem
        results = source.query(
            recipient, scan_index_forward=False, limit=limit, last_evaluated_key=start, page_size=limit
        )
        items = [_notification(i) for i in results]
        last = results.last_evaluated_key
        more = last and len(items) >= limit
        return items, encode_token({"k": last, "u": unread_only}) if more else None

    def mark_read(self, recipient: str, notification_id: str) -> bool | None:
        """One transaction (the item on condition it is unread, and its inbox's count); only
        when it finds nothing to mark, a read tells a read notification (False) from none (None)."""
        if self._mark_read(recipient, [notification_id], None):
            return True
        try:
            NotificationItem.get(recipient, notification_id, attributes_to_get=["notification_id"])
        except NotificationItem.DoesNotExist:
            return None
        return False

    def mark_all_read(self, recipient: str, stored_until: datetime) -> int:
        """The unread keys from the sparse index, then transactions of 100 conditional updates
        (read, and stored by the cut-off). Items another call marked meanwhile fail their
        condition: the rest of their transaction is sent again without them."""
        cutoff = _stamp(stored_until)
        found = NotificationItem.unread.query(
            recipient,
            filter_condition=_stored_until(cutoff),
            attributes_to_get=["recipient", "notification_id"],
            page_size=1000,
        )
        ids = [item.notification_id for item in found]
        step = TRANSACTION_ITEMS - 1  # and the inbox's count
        chunks = [ids[i : i + step] for i in range(0, len(ids), step)]
        return sum(self._mark_read(recipient, chunk, cutoff) for chunk in chunks)

    def _mark_read(self, recipient: str, ids: list[str], cutoff: str | None) -> int:
        condition = _still_unread() & _stored_until(cutoff) if cutoff else _still_unread()
        while ids:
            try:
                with transaction(self.settings) as tx:
                    for notification_id in ids:
                        item = NotificationItem(recipient, notification_id)
                        tx.update(item, actions=list(_MARK_READ), condition=condition)
                    tx.update(_counter(recipient), actions=[UnreadCounter.unread.add(-len(ids))])
                return len(ids)
            except TransactWriteError as error:
                refused = set(cancelled_items(error))
                if not refused:
                    raise
                ids = [n for i, n in enumerate(ids) if i not in refused]
        return 0

    def unread(self, recipient: str) -> int:
        try:
            counter = UnreadCounter.get(f"{COUNT}#{recipient}", COUNT)
        except UnreadCounter.DoesNotExist:
            return 0
        return max(0, int(counter.unread))

    def log_delivery(self, delivery: Delivery) -> bool:
        item = NotificationItem(
            recipient=DELIVERY_LOG,
            notification_id=delivery.delivery_id,
            read=True,
            document=delivery.model_dump_json(),
            expires_at=delivery.at + RETENTION,
        )
        return _conditional_put(item)

    def deliveries(self, limit: int) -> list[Delivery]:
        found = NotificationItem.query(DELIVERY_LOG, scan_index_forward=False, limit=limit)
        return [Delivery.model_validate_json(i.document) for i in found]


def _chunks(rows: list[NotificationItem]) -> list[list[NotificationItem]]:
    """Transactions of at most 100 actions: the items, and one count per recipient among them."""
    chunks: list[list[NotificationItem]] = []
    chunk: list[NotificationItem] = []
    counted: set[str] = set()
    for row in rows:
        recipient = row.unread_for
        if (
            len(chunk) + len(counted) + 1 + int(bool(recipient) and recipient not in counted)
            > TRANSACTION_ITEMS
        ):
            chunks.append(chunk)
            chunk, counted = [], set()
        chunk.append(row)
        if recipient:
            counted.add(recipient)
    return [*chunks, chunk] if chunk else chunks


def _start(token: str | None, unread_only: bool) -> dict[str, Any] | None:
    if not token:
        return None
    state = decode_token(token)
    if bool(state.get("u")) != unread_only or not isinstance(state.get("k"), dict):
        raise ValidationFailed("The page token is not one this API issued.")
    return dict(state["k"])


def _notification(item: NotificationItem) -> Notification:
    note = Notification.model_validate_json(item.document)
    return note.model_copy(update={"read": bool(item.read)})


class LogSender:
    """Locally: nothing is sent; the message is a console log line, and its row in the delivery
    log says channel "log" so that the console can tell logged messages from sent ones."""

    channel = "log"

    def send(self, to: str, text: str) -> None:
        log.warning("[notify] logged instead of sent, to %s: %s", to, text)


class SnsSmsSender:
    """AWS: a transactional SMS through SNS (the city's sender ID is set on the account)."""

    channel = "sms"

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.client = client or boto3.client("sns", region_name=settings.region)

    def send(self, to: str, text: str) -> None:
        self.client.publish(
            PhoneNumber=to,
            Message=text,
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
        )


class SnsPushSender:
    """AWS: a push to a device registered as an SNS platform endpoint (its ARN is ``to``)."""

    channel = "push"

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.client = client or boto3.client("sns", region_name=settings.region)

    def send(self, to: str, text: str) -> None:
        self.client.publish(TargetArn=to, Message=text)
