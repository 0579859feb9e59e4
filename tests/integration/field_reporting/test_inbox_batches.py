"""Mark-all-read on DynamoDB (moto): a desk of thousands is marked in transactions of 100,
never item by item, and items marked by someone else meanwhile neither fail it nor count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.inbox import DESK, note
from ioc_core.field_reporting.adapters import notifications as adapter
from ioc_core.field_reporting.adapters.notifications import DynamoInbox, NotificationItem
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def inbox(stack: Settings) -> DynamoInbox:
    return DynamoInbox(stack)


def test_a_large_inbox_is_marked_in_transactions_of_a_hundred(
    inbox: DynamoInbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox.add([note(n) for n in range(250)])
    transactions: list[Any] = []
    real = adapter.transaction

    def counted(settings: Settings) -> Any:
        transactions.append(settings)
        return real(settings)

    def one_by_one(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an item marked on its own")

    monkeypatch.setattr(adapter, "transaction", counted)
    monkeypatch.setattr(NotificationItem, "update", one_by_one)
    assert inbox.mark_all_read(DESK, datetime.now(UTC)) == 250
    assert len(transactions) == 3
    assert inbox.unread(DESK) == 0


def test_items_read_meanwhile_are_skipped_and_the_rest_marked(
    inbox: DynamoInbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox.add([note(n) for n in range(10)])
    real = NotificationItem.unread.query

    def then_someone_reads_two(*args: Any, **kwargs: Any) -> Iterator[NotificationItem]:
        found = list(real(*args, **kwargs))
        assert inbox.mark_read(DESK, note(3).notification_id) is True
        assert inbox.mark_read(DESK, note(7).notification_id) is True
        return iter(found)

    monkeypatch.setattr(NotificationItem.unread, "query", then_someone_reads_two)
    assert inbox.mark_all_read(DESK, datetime.now(UTC)) == 8
    assert inbox.unread(DESK) == 0


def test_items_for_many_inboxes_are_added_and_counted_within_a_transactions_limit(inbox: DynamoInbox) -> None:
    # 240 items for 120 inboxes: each transaction holds its items and one count per inbox.
    assert inbox.add([note(n, recipient=f"account:AC-{n % 120}") for n in range(240)]) == 240
    assert {inbox.unread(f"account:AC-{k}") for k in range(120)} == {2}
    assert inbox.add([note(n, recipient=f"account:AC-{n % 120}") for n in range(250)]) == 10  # item by item
    assert inbox.unread("account:AC-0") == 3 and inbox.unread("account:AC-10") == 2
