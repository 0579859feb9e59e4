"""Adapters of notifications: DynamoDB inboxes and delivery log, SNS for SMS and push in
AWS, and the local log sender (the message is written to the console log, never sent)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import boto3
from pynamodb.attributes import BooleanAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from ioc_core.field_reporting.models import Delivery, Notification
from ioc_core.platform.dynamo import UNBOUND, commit_each_once, decode_token, encode_token, transaction
from ioc_core.settings import Settings

RETENTION = timedelta(days=180)
TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems
DELIVERY_LOG = "delivery#log"
log = logging.getLogger("ioc.notifications")


class NotificationItem(Model):
    class Meta:
        table_name = UNBOUND

    recipient = UnicodeAttribute(hash_key=True)
    notification_id = UnicodeAttribute(range_key=True)
    read = BooleanAttribute(default=False)
    document = UnicodeAttribute()
    expires_at = TTLAttribute()


def _conditional_put(item: NotificationItem) -> bool:
    try:
        item.save(condition=NotificationItem.notification_id.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


class DynamoInbox:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def add(self, items: list[Notification]) -> int:
        """In transactions of up to 100, each item on condition it is new (a redelivered event
        never marks a read item unread); a chunk that meets one stored already goes item by item."""
        rows = [
            NotificationItem(
                recipient=note.recipient,
                notification_id=note.notification_id,
                read=note.read,
                document=note.model_dump_json(),
                expires_at=note.created_at + RETENTION,
            )
            for note in {(n.recipient, n.notification_id): n for n in items}.values()
        ]
        chunks = [rows[i : i + TRANSACTION_ITEMS] for i in range(0, len(rows), TRANSACTION_ITEMS)]
        return commit_each_once(chunks, self._commit)

    def _commit(self, chunk: list[NotificationItem]) -> None:
        with transaction(self.settings) as tx:
            for row in chunk:
                tx.save(row, condition=NotificationItem.notification_id.does_not_exist())

    def page(self, recipient: str, limit: int, token: str | None) -> tuple[list[Notification], str | None]:
        start = decode_token(token).get("k") if token else None
        results = NotificationItem.query(
            recipient, scan_index_forward=False, limit=limit, last_evaluated_key=start, page_size=limit
        )
        items = [_notification(i) for i in results]
        last = results.last_evaluated_key
        return items, encode_token({"k": last}) if last and len(items) >= limit else None

    def mark_read(self, recipient: str, notification_id: str) -> Notification | None:
        try:
            item = NotificationItem.get(recipient, notification_id)
        except NotificationItem.DoesNotExist:
            return None
        item.update(actions=[NotificationItem.read.set(True)])
        return _notification(item)

    def unread(self, recipient: str) -> int:
        # Counted by DynamoDB (Select=COUNT): a desk's inbox holds thousands of items, and
        # reading them all back took seconds on every inbox page.
        return int(NotificationItem.count(recipient, filter_condition=NotificationItem.read == False))  # noqa: E712

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
