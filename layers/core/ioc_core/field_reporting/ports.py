"""Ports of Field Reporting: what the domain needs from the outside world."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from ioc_core.field_reporting.models import Delivery, Notification, Page, Report, ReportStatus
from ioc_core.shared.cloudevents import CloudEvent

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ioc_core.field_reporting.saved_filters import SavedFilter
    from ioc_core.field_reporting.search import SearchDoc


@dataclass(frozen=True)
class IdempotencyClaim:
    """A client's retry key and a fingerprint of what it sent with it."""

    key: str
    fingerprint: str


@dataclass(frozen=True)
class ReportQuery:
    report_ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[ReportStatus, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    ward_code: str | None = None
    reporter_id: str | None = None
    limit: int = 50
    token: str | None = None
    # Workflow queues: the unit a report is assigned to (a sparse index).
    unit_code: str | None = None
    assignee: str | None = None  # a filter on the unit's queue: who works on it

    @property
    def by_status(self) -> bool:
        """Statuses without a time window are read from the status index (queues)."""
        return bool(self.statuses) and self.start is None and self.end is None


class IdempotencyConflict(Exception):
    """The key was used before; ``report_id`` is what it created."""

    def __init__(self, report_id: str, fingerprint: str) -> None:
        super().__init__(report_id)
        self.report_id = report_id
        self.fingerprint = fingerprint


class VersionConflict(Exception):
    """Someone else changed the report since it was read."""


class ReportRepository(Protocol):
    def add(self, report: Report, events: list[CloudEvent], claim: IdempotencyClaim | None = None) -> None:
        """Store a new report, its events (outbox) and the idempotency claim atomically.
        Raises IdempotencyConflict if the claim's key exists."""

    def save(self, report: Report, events: list[CloudEvent], expected_version: int) -> None:
        """Store a changed report with its events atomically; VersionConflict if stale."""

    def save_many(self, changes: list[tuple[Report, list[CloudEvent], int]]) -> None:
        """Several changed reports and their events in one transaction (a merge)."""

    def follow(self, report: Report, account_id: str, at: datetime, expected_version: int) -> None:
        """Store the report (``account_id`` now among its followers) and the account's follow
        of it (``at``) atomically; VersionConflict if stale. ``followed`` lists the follows."""

    def followed(self, account_id: str, limit: int) -> list[Report]:
        """The reports the account follows (not those it sent), the latest followed first."""

    def import_reports(self, histories: list[tuple[Report, list[CloudEvent]]]) -> int:
        """Store whole report histories (imports, demo data); existing ids are skipped.
        Returns how many were new."""

    def get(self, report_id: str) -> Report | None: ...

    def find_by_token(self, token: str) -> Report | None:
        """The report an Open311 batch token stands for."""

    def find_claim(self, key: str) -> tuple[str, str] | None:
        """(report_id, fingerprint) stored for an idempotency key."""

    def query(self, query: ReportQuery) -> Page: ...

    def count(self, query: ReportQuery) -> int:
        """How many reports ``query`` matches in all pages (its limit and token aside)."""


class SearchIndex(Protocol):
    """The search projection: a doc per report and a posting per (term, report)."""

    def postings(self, term: str, limit: int) -> set[str]:
        """Ids of reports holding ``term`` (at most ``limit`` of them)."""

    def docs(self, report_ids: Sequence[str]) -> list[SearchDoc]:
        """The stored docs of those reports that have one, in no particular order."""

    def put(self, docs: Sequence[SearchDoc]) -> int:
        """Store docs and bring their postings in line with their terms. A doc older (by
        version) than the one stored is skipped, so replays and late events change nothing.
        Returns how many docs were written."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str
    head: bytes = field(repr=False)


class PhotoStore(Protocol):
    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, object]:
        """Fields and URL for a browser/phone to POST the file straight to storage."""

    def stat(self, key: str) -> StoredObject | None:
        """Size, type and first bytes of an object, or None if it does not exist."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str) -> bytes | None:
        """The whole object, or None."""

    def public_url(self, key: str) -> str: ...

    def download_url(self, key: str, expires: int = 300) -> str: ...


class NotificationInbox(Protocol):
    """In-app inboxes by recipient (``account:<id>``, ``unit:<code>``, ``role:<role>``)."""

    def add(self, items: list[Notification]) -> int:
        """Store new notifications; ones already stored (same recipient and id) are skipped."""

    def page(
        self, recipient: str, limit: int, token: str | None, unread_only: bool = False
    ) -> tuple[list[Notification], str | None]:
        """Newest first, ``limit`` at a time behind an opaque token; only unread ones if told."""

    def mark_read(self, recipient: str, notification_id: str) -> bool | None:
        """True if it was unread and is read now, False if it was read already, None if the
        recipient has no such notification."""

    def mark_all_read(self, recipient: str, stored_until: datetime) -> int:
        """Mark read every unread notification stored up to ``stored_until`` (later ones stay
        unread, whatever their event's time); how many this call marked."""

    def unread(self, recipient: str) -> int: ...

    def log_delivery(self, delivery: Delivery) -> bool:
        """Record a message sent outside the app; False if recorded before (do not send again)."""

    def deliveries(self, limit: int) -> list[Delivery]: ...


class MessageSender(Protocol):
    """SMS or push outside the app (SNS in AWS; a log line locally)."""

    channel: str

    def send(self, to: str, text: str) -> None: ...


class SavedFilterStore(Protocol):
    """Each staff member's saved queue filters, by owner (the account's id) and name."""

    def list(self, owner: str) -> list[SavedFilter]:
        """Every one the owner keeps (a few dozen at most), in no particular order."""

    def put(self, owner: str, saved: SavedFilter) -> None:
        """Create, or replace the one of the same name."""

    def delete(self, owner: str, name: str) -> bool:
        """Forget it; False when the owner kept none of that name."""


@dataclass(frozen=True)
class UnitMember:
    username: str
    name: str


class UnitStaff(Protocol):
    """Who works in a unit, as the staff directory (identity's) knows it: Field Reporting asks
    here and never reads identity's directory or tables itself."""

    def members(self, unit: str) -> list[UnitMember]:
        """The unit's active staff accounts (enabled, holding the unit's staff role)."""
