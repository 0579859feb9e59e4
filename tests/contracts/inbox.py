"""The NotificationInbox contract, one suite for the in-memory fake and the DynamoDB adapter.

A tier's test module subclasses ``InboxContract`` and provides ``inbox``, an empty inbox
(tests/unit/field_reporting/test_port_contracts_in_memory.py: the fake;
tests/integration/field_reporting/test_port_contracts_adapters.py: DynamoDB on moto).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakes import MONDAY_9AM
from ioc_core.field_reporting.models import Delivery, Notification, Text
from ioc_core.field_reporting.ports import NotificationInbox
from ioc_core.shared.errors import ValidationFailed

DESK = "unit:QLDT"


def note(n: int, recipient: str = DESK, read: bool = False) -> Notification:
    at = MONDAY_9AM + timedelta(minutes=n)
    return Notification(
        recipient=recipient,
        notification_id=f"{at.isoformat()}#ev-{n}",  # sorts by time, as the service makes them
        report_id=f"PT-{n:08d}",
        kind="status",
        title=Text(vi=f"Phản ánh {n}", en=f"Report {n}"),
        body=Text(vi="Đã tiếp nhận", en="Received"),
        created_at=at,
        read=read,
    )


def delivery(n: int) -> Delivery:
    at = MONDAY_9AM + timedelta(minutes=n)
    sms = {"channel": "sms", "to": "+84912000111", "text": "Đã tiếp nhận", "report_id": "PT-1"}
    return Delivery(delivery_id=f"{at.isoformat()}#sms-{n}", at=at, **sms)


def walk(inbox: NotificationInbox, recipient: str, limit: int) -> list[list[int]]:
    pages: list[list[int]] = []
    token = None
    while True:
        items, token = inbox.page(recipient, limit, token)
        assert len(items) <= limit
        pages.append([int(i.notification_id.rpartition("-")[2]) for i in items])
        if token is None:
            return pages
        assert len(pages) < 20, "pages never end"


class InboxContract:
    def test_adding_again_adds_nothing(self, inbox: NotificationInbox) -> None:
        assert inbox.add([note(1), note(2), note(1, recipient="role:operator")]) == 3
        assert inbox.add([note(1), note(3)]) == 1
        assert [i.notification_id for i in inbox.page(DESK, 10, None)[0]] == [
            note(3).notification_id,
            note(2).notification_id,
            note(1).notification_id,
        ]

    def test_an_inbox_is_newest_first_in_pages(self, inbox: NotificationInbox) -> None:
        inbox.add([note(n) for n in range(1, 8)])
        inbox.add([note(9, recipient="account:other")])
        assert walk(inbox, DESK, 10) == [[7, 6, 5, 4, 3, 2, 1]]
        pages = walk(inbox, DESK, 3)
        assert [n for page in pages for n in page] == [7, 6, 5, 4, 3, 2, 1]
        assert pages[:3] == [[7, 6, 5], [4, 3, 2], [1]]
        assert walk(inbox, "account:nobody", 3) == [[]]
        with pytest.raises(ValidationFailed):
            inbox.page(DESK, 3, "not-a-token")

    def test_reading_one_marks_it_read_for_its_recipient_only(self, inbox: NotificationInbox) -> None:
        inbox.add([note(1), note(2), note(1, recipient="role:operator")])
        assert inbox.unread(DESK) == 2
        marked = inbox.mark_read(DESK, note(1).notification_id)
        assert marked == note(1, read=True)
        assert inbox.unread(DESK) == 1
        assert inbox.unread("role:operator") == 1
        assert [i.read for i in inbox.page(DESK, 10, None)[0]] == [False, True]
        assert inbox.mark_read(DESK, "2026-01-01T00:00:00+07:00#nothing") is None

    def test_a_delivery_is_logged_once_and_listed_newest_first(self, inbox: NotificationInbox) -> None:
        assert inbox.log_delivery(delivery(1)) is True
        assert inbox.log_delivery(delivery(3)) is True
        assert inbox.log_delivery(delivery(2)) is True
        assert inbox.log_delivery(delivery(1)) is False  # do not send again
        assert inbox.deliveries(10) == [delivery(3), delivery(2), delivery(1)]
        assert inbox.deliveries(2) == [delivery(3), delivery(2)]
