"""The in-app inboxes people read: a staff desk's (operators, a unit, the leaders) and a
resident's. A page of one (every notification or only the unread), how many are unread, and
marking one or all of them read.

Whose inbox is derived from the caller, never sent by them: someone else's notification is
simply not in the caller's inbox (404), whatever its id.
"""

from __future__ import annotations

from dataclasses import dataclass

from ioc_core.field_reporting.models import Notification
from ioc_core.field_reporting.notifications import account, unit_desk
from ioc_core.field_reporting.permissions import INBOX_READ
from ioc_core.field_reporting.ports import NotificationInbox
from ioc_core.field_reporting.workflow_service import Caller
from ioc_core.shared.clock import Clock
from ioc_core.shared.errors import NotFound

MAX_PAGE = 100


@dataclass(frozen=True)
class InboxPage:
    items: list[Notification]
    next_token: str | None
    unread: int


@dataclass(frozen=True)
class Marked:
    """What a mark-read call changed, and how many stay unread (ones that arrived meanwhile)."""

    marked: int
    unread: int


def staff_desk(who: Caller) -> str:
    """The inbox a staff member reads: their role's desk, or their unit's for a unit's staff."""
    reach = who.reach(INBOX_READ)
    if not reach.city and reach.units:
        return unit_desk(min(reach.units))
    return f"role:{who.role}"


def resident_inbox(who: Caller) -> str:
    return account(who.principal.sub)


@dataclass
class InboxService:
    inbox: NotificationInbox
    clock: Clock

    def page(self, recipient: str, limit: int, token: str | None, unread_only: bool = False) -> InboxPage:
        items, next_token = self.inbox.page(recipient, min(limit, MAX_PAGE), token, unread_only)
        return InboxPage(items, next_token, self.inbox.unread(recipient))

    def unread(self, recipient: str) -> int:
        return self.inbox.unread(recipient)

    def mark_read(self, recipient: str, notification_id: str) -> Marked:
        """Idempotent: marking a read notification again changes nothing (``marked`` 0)."""
        changed = self.inbox.mark_read(recipient, notification_id)
        if changed is None:
            raise NotFound(f"Không có thông báo này / No notification '{notification_id[:80]}'.")
        return Marked(int(changed), self.inbox.unread(recipient))

    def mark_all_read(self, recipient: str) -> Marked:
        """Everything stored until now: a notification arriving while this runs stays unread
        and is counted in ``unread``; a second call marks nothing."""
        cutoff = self.clock.now()
        return Marked(self.inbox.mark_all_read(recipient, cutoff), self.inbox.unread(recipient))
