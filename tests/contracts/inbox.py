"""The NotificationInbox contract, one suite for the in-memory fake and the DynamoDB adapter.

A tier's test module subclasses ``InboxContract`` and provides ``inbox``, an empty inbox
(tests/unit/field_reporting/test_port_contracts_in_memory.py: the fake;
tests/integration/field_reporting/test_port_contracts_adapters.py: DynamoDB on moto).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fakes import MONDAY_9AM
from ioc_core.field_reporting.models import Delivery, Notification, Text
from ioc_core.field_reporting.ports import NotificationInbox
from ioc_core.shared.errors import ValidationFailed

DESK = "unit:QLDT"


class StoreClock:
    """When the inbox stamps an item as stored: moved by the test (mark-all-read's cut-off)."""

    def __init__(self) -> None:
        self.at = MONDAY_9AM

    def __call__(self) -> datetime:
        return self.at

    def tick(self, minutes: int = 1) -> datetime:
        self.at += timedelta(minutes=minutes)
        return self.at


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
        assert inbox.unread(DESK) == 3 and inbox.unread("role:operator") == 1  # counted once
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

    @pytest.fixture
    def clock(self) -> StoreClock:
        return StoreClock()

    def test_reading_one_marks_it_read_for_its_recipient_only(self, inbox: NotificationInbox) -> None:
        inbox.add([note(1), note(2), note(1, recipient="role:operator")])
        assert inbox.unread(DESK) == 2
        assert inbox.mark_read(DESK, note(1).notification_id) is True
        assert inbox.mark_read(DESK, note(1).notification_id) is False  # a retry changes nothing
        assert inbox.unread(DESK) == 1
        assert inbox.unread("role:operator") == 1
        assert [i.read for i in inbox.page(DESK, 10, None)[0]] == [False, True]
        assert inbox.page(DESK, 10, None)[0][1] == note(1, read=True)
        assert inbox.mark_read(DESK, "2026-01-01T00:00:00+07:00#nothing") is None
        assert inbox.mark_read("account:other", note(2).notification_id) is None  # not theirs

    def test_the_unread_come_newest_first_in_pages_of_their_own(self, inbox: NotificationInbox) -> None:
        inbox.add([note(n, read=n % 3 == 0) for n in range(1, 10)])
        inbox.add([note(20, recipient="account:other")])
        inbox.mark_read(DESK, note(8).notification_id)
        assert inbox.unread(DESK) == 5
        items, token = inbox.page(DESK, 3, None, unread_only=True)
        assert [i.notification_id for i in items] == [note(n).notification_id for n in (7, 5, 4)]
        assert not any(i.read for i in items) and token is not None
        rest, token = inbox.page(DESK, 3, token, unread_only=True)
        assert [i.notification_id for i in rest] == [note(n).notification_id for n in (2, 1)]
        assert token is None
        assert inbox.page("account:nobody", 3, None, unread_only=True) == ([], None)

    def test_all_read_marks_what_was_stored_until_the_cutoff(
        self, inbox: NotificationInbox, clock: StoreClock
    ) -> None:
        inbox.add([note(n, read=n == 2) for n in range(1, 6)])
        inbox.add([note(1, recipient="role:operator")])
        cutoff = clock.tick()
        clock.tick()
        inbox.add([note(0)])  # stored after the cut-off, though its event is older
        assert inbox.mark_all_read(DESK, cutoff) == 4
        assert inbox.unread(DESK) == 1
        assert [i.notification_id for i in inbox.page(DESK, 10, None, unread_only=True)[0]] == [
            note(0).notification_id
        ]
        assert inbox.unread("role:operator") == 1  # another desk's stays as it was
        assert inbox.mark_all_read(DESK, cutoff) == 0  # a retry changes nothing
        assert inbox.mark_all_read(DESK, clock.tick()) == 1
        assert inbox.unread(DESK) == 0 and inbox.mark_read(DESK, note(3).notification_id) is False

    def test_all_read_reaches_past_one_batch(self, inbox: NotificationInbox, clock: StoreClock) -> None:
        inbox.add([note(n) for n in range(250)])
        assert inbox.unread(DESK) == 250
        assert inbox.mark_all_read(DESK, clock.tick()) == 250
        assert inbox.unread(DESK) == 0
        assert not any(i.read is False for i in inbox.page(DESK, 100, None)[0])

    def test_a_delivery_is_logged_once_and_listed_newest_first(self, inbox: NotificationInbox) -> None:
        assert inbox.log_delivery(delivery(1)) is True
        assert inbox.log_delivery(delivery(3)) is True
        assert inbox.log_delivery(delivery(2)) is True
        assert inbox.log_delivery(delivery(1)) is False  # do not send again
        assert inbox.deliveries(10) == [delivery(3), delivery(2), delivery(1)]
        assert inbox.deliveries(2) == [delivery(3), delivery(2)]
