"""In-memory fakes of the Field Reporting ports, for unit tests that touch no network.

They keep the adapters' contracts: atomic add with idempotency claim and outbox, optimistic
versions, newest-first pages behind opaque tokens, photos read back by their first 32 bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ioc_core.admin_units import default_registry
from ioc_core.field_reporting import search
from ioc_core.field_reporting.catalogue import Catalogue, default_catalogue
from ioc_core.field_reporting.models import (
    Delivery,
    HistoryEntry,
    Location,
    Notification,
    Page,
    Report,
    ReportStatus,
)
from ioc_core.field_reporting.ports import (
    IdempotencyClaim,
    IdempotencyConflict,
    ReportQuery,
    StoredObject,
    UnitMember,
    VersionConflict,
)
from ioc_core.field_reporting.saved_filters import SavedFilter
from ioc_core.field_reporting.search import SearchDoc
from ioc_core.field_reporting.service import IntakeService
from ioc_core.identity.config import IdentityConfig
from ioc_core.platform.audit.models import AuditEntry
from ioc_core.platform.audit.service import AuditPage, AuditQuery
from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import ValidationFailed

HEAD_BYTES = 32
MONDAY_9AM = datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)
BAD_TOKEN = "The page token is not one this API issued."


class InMemoryReportRepository:
    """ReportRepository in dicts; stored reports are copies, as a real store would hold."""

    def __init__(self) -> None:
        self.reports: dict[str, Report] = {}
        self.claims: dict[str, tuple[str, str]] = {}
        self.outbox: list[CloudEvent] = []
        self.follows: dict[str, dict[str, datetime]] = {}  # account → report id → when followed
        # Runs once at the start of the next add(): "another request" landing first.
        self.before_add: Callable[[], None] | None = None

    def add(self, report: Report, events: list[CloudEvent], claim: IdempotencyClaim | None = None) -> None:
        if self.before_add is not None:
            interleaved, self.before_add = self.before_add, None
            interleaved()
        if claim is not None and claim.key in self.claims:
            stored_id, stored_fingerprint = self.claims[claim.key]
            raise IdempotencyConflict(stored_id, stored_fingerprint)
        if report.report_id in self.reports:
            raise VersionConflict(f"report id {report.report_id} exists")
        self._store(report, events)
        if claim is not None:
            self.claims[claim.key] = (report.report_id, claim.fingerprint)

    def save(self, report: Report, events: list[CloudEvent], expected_version: int) -> None:
        current = self.reports.get(report.report_id)
        if current is None or current.version != expected_version:
            raise VersionConflict(report.report_id)
        self._store(report, events)

    def save_many(self, changes: list[tuple[Report, list[CloudEvent], int]]) -> None:
        for report, _, expected_version in changes:  # all or nothing, as one transaction
            current = self.reports.get(report.report_id)
            if current is None or current.version != expected_version:
                raise VersionConflict(report.report_id)
        for report, events, _ in changes:
            self._store(report, events)

    def follow(self, report: Report, account_id: str, at: datetime, expected_version: int) -> None:
        self.save(report, [], expected_version)
        self.follows.setdefault(account_id, {})[report.report_id] = at

    def followed(self, account_id: str, limit: int) -> list[Report]:
        mine = self.follows.get(account_id, {})
        latest = sorted(mine, key=lambda r: (mine[r], r), reverse=True)[:limit]
        return [self.reports[r].model_copy(deep=True) for r in latest if r in self.reports]

    def import_reports(self, histories: list[tuple[Report, list[CloudEvent]]]) -> int:
        created = 0
        for report, events in histories:
            if report.report_id not in self.reports:
                self._store(report, events)
                created += 1
        return created

    def get(self, report_id: str) -> Report | None:
        found = self.reports.get(report_id)
        return found.model_copy(deep=True) if found else None

    def find_by_token(self, token: str) -> Report | None:
        found = next((r for r in self.reports.values() if r.token == token), None)
        return found.model_copy(deep=True) if found else None

    def find_claim(self, key: str) -> tuple[str, str] | None:
        return self.claims.get(key)

    def query(self, query: ReportQuery) -> Page:
        if query.report_ids:  # as the adapter: a batch get, other filters ignored
            found = [self.reports[i] for i in dict.fromkeys(query.report_ids) if i in self.reports]
            return Page(items=[r.model_copy(deep=True) for r in _newest_first(found)[: query.limit]])
        keyed = (
            query.ward_code
            or query.reporter_id
            or query.unit_code
            or query.by_status
            or (len(query.service_codes) == 1 and not query.start)
        )
        if not keyed and (query.start is None or query.end is None):
            raise ValidationFailed("a time window is required to list reports")
        matching = _newest_first([r for r in self.reports.values() if _matches(r, query)])
        if query.token:
            cursor = _decode(query.token)
            matching = [r for r in matching if _sort_key(r) < cursor]
        page = matching[: query.limit]
        more = len(matching) > query.limit
        return Page(
            items=[r.model_copy(deep=True) for r in page],
            next_token=_encode(_sort_key(page[-1])) if more and page else None,
        )

    def count(self, query: ReportQuery) -> int:
        if query.report_ids:
            return len({i for i in query.report_ids if i in self.reports})
        return len(self.query(replace(query, token=None, limit=len(self.reports) + 1)).items)

    def _store(self, report: Report, events: list[CloudEvent]) -> None:
        self.reports[report.report_id] = report.model_copy(deep=True)
        self.outbox.extend(events)


class InMemorySearchIndex:
    """SearchIndex in dicts: docs by report id, postings by term, as the adapter keeps them."""

    def __init__(self) -> None:
        self.stored: dict[str, SearchDoc] = {}
        self.posted: dict[str, set[str]] = {}

    def postings(self, term: str, limit: int) -> set[str]:
        return set(sorted(self.posted.get(term, set()))[:limit])

    def docs(self, report_ids: Sequence[str]) -> list[SearchDoc]:
        return [self.stored[i].model_copy(deep=True) for i in dict.fromkeys(report_ids) if i in self.stored]

    def put(self, docs: Sequence[SearchDoc]) -> int:
        written = 0
        for doc in search.newest(docs).values():
            old = self.stored.get(doc.report_id)
            if not search.supersedes(doc, old):
                continue
            added, removed = search.changes(old, doc)
            for term in added:
                self.posted.setdefault(term, set()).add(doc.report_id)
            for term in removed:
                self.posted.get(term, set()).discard(doc.report_id)
            self.stored[doc.report_id] = doc.model_copy(deep=True)
            written += 1
        return written


class InMemoryPhotoStore:
    """PhotoStore in a dict of key → (bytes, declared content type)."""

    def __init__(self, base_url: str = "https://ioc.test") -> None:
        self.base_url = base_url
        self.objects: dict[str, tuple[bytes, str]] = {}

    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, object]:
        return {
            "url": f"{self.base_url}/uploads",
            "fields": {"key": key, "Content-Type": content_type},
            "expires_in": 900,
            "max_bytes": max_bytes,
        }

    def stat(self, key: str) -> StoredObject | None:
        found = self.objects.get(key)
        if found is None:
            return None
        data, content_type = found
        return StoredObject(key=key, size=len(data), content_type=content_type, head=data[:HEAD_BYTES])

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = (data, content_type)

    def read(self, key: str) -> bytes | None:
        found = self.objects.get(key)
        return found[0] if found else None

    def download_url(self, key: str, expires: int = 300) -> str:
        return f"{self.base_url}/download/{key}"

    def public_url(self, key: str) -> str:
        return f"{self.base_url}/api/v1/photos/{key.rpartition('/')[2]}"


@dataclass
class IntakeWorld:
    """The intake service on the fakes, with the real ward registry and catalogue (pure data)."""

    clock: FixedClock = field(default_factory=lambda: FixedClock(MONDAY_9AM))
    repo: InMemoryReportRepository = field(default_factory=InMemoryReportRepository)
    photos: InMemoryPhotoStore = field(default_factory=InMemoryPhotoStore)
    catalogue: Catalogue = field(default_factory=default_catalogue)

    @property
    def intake(self) -> IntakeService:
        return IntakeService(self.repo, self.photos, default_registry(), self.catalogue, self.clock)


def new_report(
    report_id: str = "PT-TEST0001",
    *,
    service_code: str = "street_light_out",
    ward_code: str = "22918",
    at: datetime = MONDAY_9AM,
) -> Report:
    """A just-received report as intake stores it, for tests that start after intake."""
    return Report(
        report_id=report_id,
        service_code=service_code,
        location=Location(lat=10.97, lon=108.2715, ward_code=ward_code),
        channel="test",
        agency_responsible="CSCC",
        requested_at=at,
        updated_at=at,
        history=[HistoryEntry(at=at, status=ReportStatus.RECEIVED, actor="channel:test")],
        version=1,
    )


def _matches(report: Report, query: ReportQuery) -> bool:
    return (
        (query.ward_code is None or report.location.ward_code == query.ward_code)
        and (query.reporter_id is None or report.reporter.account_id == query.reporter_id)
        and (query.unit_code is None or _assigned_to(report, query.unit_code))
        and (query.assignee is None or report.assignee == query.assignee)
        and (not query.service_codes or report.service_code in query.service_codes)
        and (not query.statuses or report.status in query.statuses)
        and (query.start is None or report.requested_at >= query.start)
        and (query.end is None or report.requested_at <= query.end)
    )


def _assigned_to(report: Report, unit: str) -> bool:
    return report.unit == unit and any(h.status is ReportStatus.ASSIGNED for h in report.history)


def _sort_key(report: Report) -> tuple[datetime, str]:
    return report.requested_at, report.report_id


def _newest_first(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=_sort_key, reverse=True)


def _encode(key: tuple[datetime, str]) -> str:
    raw = json.dumps([key[0].isoformat(), key[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> tuple[datetime, str]:
    try:
        at, report_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return datetime.fromisoformat(at), str(report_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(BAD_TOKEN) from exc


class InMemoryInbox:
    """NotificationInbox in dicts, idempotent by (recipient, id) like the adapter; ``clock``
    stamps when each item was stored (what mark-all-read's cut-off compares)."""

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.items: dict[tuple[str, str], Notification] = {}
        self.stored: dict[tuple[str, str], datetime] = {}
        self.delivered: dict[str, Delivery] = {}
        self.clock = clock

    def add(self, items: list[Notification]) -> int:
        new = {
            (n.recipient, n.notification_id): n
            for n in items
            if (n.recipient, n.notification_id) not in self.items
        }
        self.items.update(new)
        self.stored.update({key: self.clock() for key in new})
        return len(new)

    def page(
        self, recipient: str, limit: int, token: str | None, unread_only: bool = False
    ) -> tuple[list[Notification], str | None]:
        """Newest first (ids sort by time), ``limit`` at a time behind an opaque token."""
        mine = sorted(
            (n for (r, _), n in self.items.items() if r == recipient and not (unread_only and n.read)),
            key=lambda n: n.notification_id,
            reverse=True,
        )
        if token:
            after = _decode_id(token)
            mine = [n for n in mine if n.notification_id < after]
        page = mine[:limit]
        more = len(mine) > limit
        return page, _encode_id(page[-1].notification_id) if more else None

    def mark_read(self, recipient: str, notification_id: str) -> bool | None:
        found = self.items.get((recipient, notification_id))
        if found is None:
            return None
        self.items[(recipient, notification_id)] = found.model_copy(update={"read": True})
        return not found.read

    def mark_all_read(self, recipient: str, stored_until: datetime) -> int:
        due = [
            key
            for key, n in self.items.items()
            if key[0] == recipient and not n.read and self.stored[key] <= stored_until
        ]
        for key in due:
            self.items[key] = self.items[key].model_copy(update={"read": True})
        return len(due)

    def unread(self, recipient: str) -> int:
        return sum(1 for (r, _), n in self.items.items() if r == recipient and not n.read)

    def log_delivery(self, delivery: Delivery) -> bool:
        if delivery.delivery_id in self.delivered:
            return False
        self.delivered[delivery.delivery_id] = delivery
        return True

    def deliveries(self, limit: int) -> list[Delivery]:
        """Newest first, as the adapter reads its log (delivery ids sort by time)."""
        return sorted(self.delivered.values(), key=lambda d: d.delivery_id, reverse=True)[:limit]


def _encode_id(notification_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": notification_id}).encode()).decode().rstrip("=")


def _decode_id(token: str) -> str:
    try:
        return str(json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["after"])
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        raise ValidationFailed(BAD_TOKEN) from exc


class RecordingSender:
    channel = "sms"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        self.sent.append((to, text))


class PhoneResidents:
    """The dev IdP's resident directory in tests: an account id from the phone's last digits."""

    def find_or_register(self, phone: str) -> tuple[str, str | None]:
        return f"AC-{phone[-4:]}", None


def dev_idp_config(issuer: str = "http://127.0.0.1:8000/api/v1/auth") -> IdentityConfig:
    return IdentityConfig(issuer, ("ioc-local-web",), None, True)


class InMemoryStaffDirectory:
    """Identity's staff directory as a dict: username → (name, groups); with the state the
    identity provider keeps besides (disabled accounts, temporary passwords, authenticators)."""

    def __init__(self, accounts: dict[str, tuple[str, list[str]]] | None = None) -> None:
        self.users = {u: (n, set(g)) for u, (n, g) in (accounts or {}).items()}
        self.disabled: set[str] = set()
        self.temporary: dict[str, str] = {}  # username → the temporary password not yet changed
        self.contacts: dict[str, tuple[str | None, str | None]] = {}
        self.mfa_resets: list[str] = []
        self.signed_out: list[str] = []

    def accounts(self) -> list[Any]:
        return [self._account(u) for u in sorted(self.users)]

    def account(self, username: str) -> Any:
        return self._account(username) if username in self.users else None

    def members(self, group: str) -> list[Any]:
        from ioc_core.identity.staff import GroupMember

        return [
            GroupMember(u, n, u not in self.disabled)
            for u, (n, groups) in sorted(self.users.items())
            if group in groups
        ]

    def replace_groups(self, username: str, add: Any, remove: Any) -> None:
        groups = self.users[username][1]
        groups |= set(add)
        groups -= set(remove)

    def create(self, account: Any, temporary_password: str) -> None:
        from ioc_core.shared.errors import Conflict

        if account.username in self.users:
            raise Conflict(f"'{account.username}' exists")
        self.users[account.username] = (account.name, set())
        self.temporary[account.username] = temporary_password
        self.contacts[account.username] = (account.email, account.phone)

    def set_enabled(self, username: str, enabled: bool) -> None:
        if enabled:
            self.disabled.discard(username)
        else:
            self.disabled.add(username)
            self.signed_out.append(username)

    def reset_mfa(self, username: str) -> None:
        self.mfa_resets.append(username)

    def set_temporary_password(self, username: str, temporary_password: str) -> None:
        self.temporary[username] = temporary_password
        self.signed_out.append(username)

    def _account(self, username: str) -> Any:
        from ioc_core.identity.staff import StaffAccount, grants_of
        from ioc_core.platform.access import policy

        name, groups = self.users[username]
        return StaffAccount(
            username,
            name,
            grants_of(groups, policy()),
            enabled=username not in self.disabled,
            must_change_password=username in self.temporary,
        )


class InMemoryAuditLog:
    """The audit log's port in memory: the contract (tests/contracts/audit_log.py) holds it to
    what DynamoDB does, paging included (an offset token)."""

    def __init__(self) -> None:
        self.entries: dict[str, AuditEntry] = {}

    def record(self, entries: list[AuditEntry]) -> int:
        self.entries.update((e.entry_id, e) for e in entries)
        return len(entries)

    def search(self, query: AuditQuery) -> AuditPage:
        found = sorted(
            (e for e in self.entries.values() if query.matches(e)), key=lambda e: e.sort_key, reverse=True
        )
        start = int(query.token or 0)
        end = start + query.limit
        return AuditPage(found[start:end], str(end) if end < len(found) else None)


class InMemorySavedFilters:
    """Saved queue filters by owner and name (tests/contracts/saved_filters.py holds it to the
    DynamoDB adapter)."""

    def __init__(self) -> None:
        self.kept: dict[str, dict[str, SavedFilter]] = {}

    def list(self, owner: str) -> list[SavedFilter]:
        return list(self.kept.get(owner, {}).values())

    def put(self, owner: str, saved: SavedFilter) -> None:
        self.kept.setdefault(owner, {})[saved.name] = saved

    def delete(self, owner: str, name: str) -> bool:
        return self.kept.get(owner, {}).pop(name, None) is not None


class InMemoryUnitStaff:
    """Who works in each unit: unit → [(username, name)] (the identity adapter's answer)."""

    def __init__(self, units: dict[str, list[tuple[str, str]]] | None = None) -> None:
        self.units = units or {}
        self.asked: list[str] = []

    def members(self, unit: str) -> list[UnitMember]:
        self.asked.append(unit)
        return [UnitMember(u, n) for u, n in self.units.get(unit, [])]
