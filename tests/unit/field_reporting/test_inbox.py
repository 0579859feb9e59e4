"""The inbox use cases on the in-memory fake: whose inbox a caller reads, pages with the
unread count, marking one or all read (idempotent, own items only, a cut-off for all)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.inbox import StoreClock, note
from fakes import MONDAY_9AM, InMemoryInbox
from ioc_core.field_reporting.inbox import MAX_PAGE, InboxService, Marked, resident_inbox, staff_desk
from ioc_core.field_reporting.permissions import INBOX_READ, OWN_REPORTS
from ioc_core.field_reporting.workflow_service import Caller
from ioc_core.identity.principal import Principal
from ioc_core.platform.access import Grant
from ioc_core.shared.clock import FixedClock
from ioc_core.shared.errors import NotFound

pytestmark = pytest.mark.unit
DESK = "unit:QLDT"


def staff(role: str, scope: str | None = None) -> Caller:
    return Caller(Principal(f"{role}-1", frozenset({Grant(role, scope)})), role, INBOX_READ)


@pytest.fixture
def stored() -> StoreClock:
    return StoreClock()


@pytest.fixture
def inbox(stored: StoreClock) -> InMemoryInbox:
    return InMemoryInbox(stored)


@pytest.fixture
def service(inbox: InMemoryInbox) -> InboxService:
    return InboxService(inbox, FixedClock(MONDAY_9AM + timedelta(minutes=30)))


def test_each_caller_reads_their_own_desk() -> None:
    assert staff_desk(staff("operator")) == "role:operator"
    assert staff_desk(staff("leader")) == "role:leader"
    assert staff_desk(staff("unit_staff", "QLDT")) == "unit:QLDT"
    resident = Caller(Principal("AC-7", frozenset({Grant("resident")})), "resident", OWN_REPORTS)
    assert resident_inbox(resident) == "account:AC-7"


def test_a_page_says_how_many_are_unread_and_is_never_too_long(
    service: InboxService, inbox: InMemoryInbox
) -> None:
    inbox.add([note(n, read=n < 3) for n in range(120)])
    page = service.page(DESK, 500, None)
    assert len(page.items) == MAX_PAGE and page.next_token is not None
    assert page.unread == 117
    unread = service.page(DESK, 10, None, unread_only=True)
    assert len(unread.items) == 10 and not any(n.read for n in unread.items)


def test_marking_one_read_is_idempotent_and_only_for_its_own_inbox(
    service: InboxService, inbox: InMemoryInbox
) -> None:
    inbox.add([note(1), note(2), note(1, recipient="role:operator")])
    first = note(1).notification_id
    assert service.mark_read(DESK, first) == Marked(marked=1, unread=1)
    assert service.mark_read(DESK, first) == Marked(marked=0, unread=1)  # a retry changes nothing
    with pytest.raises(NotFound):
        service.mark_read("account:AC-9", first)  # someone else's id: not in their inbox
    with pytest.raises(NotFound):
        service.mark_read(DESK, "20260101T000000000000_nothing")
    assert inbox.unread("role:operator") == 1


def test_all_read_stops_at_the_cut_off_and_reports_what_arrived_after(
    service: InboxService, inbox: InMemoryInbox, stored: StoreClock
) -> None:
    inbox.add([note(n) for n in range(1, 6)])
    inbox.add([note(1, recipient="role:operator")])
    stored.tick(45)  # past the service's clock: arrives while mark-all runs
    inbox.add([note(9)])
    assert service.mark_all_read(DESK) == Marked(marked=5, unread=1)
    assert service.mark_all_read(DESK) == Marked(marked=0, unread=1)
    assert [n.notification_id for n in service.page(DESK, 10, None, unread_only=True).items] == [
        note(9).notification_id
    ]
    assert inbox.unread("role:operator") == 1
