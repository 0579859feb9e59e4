"""The sandbox the demo history is lived in: the real intake and workflow services, the real
router, SLA engine and SLA job, on a clock the generator moves by hand.

Reports live in memory while their history is made; ``seed`` then stores each whole history
(the report and its events, in order) at once, which keeps `ioc dev` quick. What the history
holds is exactly what the services did: nothing is written by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ioc_core.admin_units.registry import AdminUnitRegistry
from ioc_core.field_reporting import jobs, sla
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.models import Page, Report
from ioc_core.field_reporting.permissions import OWN_REPORTS, UNIT_STAFF
from ioc_core.field_reporting.ports import (
    IdempotencyClaim,
    ReportQuery,
    StoredObject,
    VersionConflict,
)
from ioc_core.field_reporting.routing import Router, routing_data
from ioc_core.field_reporting.service import UPLOAD_PREFIX, IntakeService
from ioc_core.field_reporting.workflow_service import Caller, WorkflowService
from ioc_core.identity.principal import RESIDENT, Principal
from ioc_core.platform.access import Grant
from ioc_core.shared.clock import FixedClock
from ioc_core.shared.cloudevents import CloudEvent

# The SLA job's schedule (platform/resources.py: rate(5 minutes)).
SLA_JOB_EVERY = timedelta(minutes=5)
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


class MemoryReports:
    """A ReportRepository in a dict that keeps every report's events in order."""

    def __init__(self) -> None:
        self.reports: dict[str, Report] = {}
        self.events: dict[str, list[CloudEvent]] = {}
        self.follows: dict[str, dict[str, datetime]] = {}

    def add(self, report: Report, events: list[CloudEvent], claim: IdempotencyClaim | None = None) -> None:
        if report.report_id in self.reports:
            raise VersionConflict(f"report id {report.report_id} exists")
        self.reports[report.report_id] = report
        self.events[report.report_id] = list(events)

    def save(self, report: Report, events: list[CloudEvent], expected_version: int) -> None:
        self.save_many([(report, events, expected_version)])

    def save_many(self, changes: list[tuple[Report, list[CloudEvent], int]]) -> None:
        for report, _, expected in changes:
            current = self.reports.get(report.report_id)
            if current is None or current.version != expected:
                raise VersionConflict(report.report_id)
        for report, events, _ in changes:  # reports are immutable: no copies needed
            self.reports[report.report_id] = report
            self.events[report.report_id].extend(events)

    def follow(self, report: Report, account_id: str, at: datetime, expected_version: int) -> None:
        self.save(report, [], expected_version)
        self.follows.setdefault(account_id, {})[report.report_id] = at

    def followed(self, account_id: str, limit: int) -> list[Report]:
        mine = self.follows.get(account_id, {})
        return [self.reports[r] for r in sorted(mine, key=mine.__getitem__, reverse=True)[:limit]]

    def import_reports(self, histories: list[tuple[Report, list[CloudEvent]]]) -> int:
        raise RuntimeError("the demo world makes histories; it does not import them")

    def get(self, report_id: str) -> Report | None:
        return self.reports.get(report_id)

    def find_by_token(self, token: str) -> Report | None:
        return next((r for r in self.reports.values() if r.token == token), None)

    def find_claim(self, key: str) -> tuple[str, str] | None:
        return None

    def query(self, query: ReportQuery) -> Page:
        found = [r for r in self.reports.values() if _matches(r, query)]
        found.sort(key=lambda r: r.requested_at, reverse=True)
        return Page(items=found[: query.limit])

    def count(self, query: ReportQuery) -> int:
        return sum(_matches(r, query) for r in self.reports.values())

    def histories(self) -> list[tuple[Report, list[CloudEvent]]]:
        return [(report, self.events[report_id]) for report_id, report in self.reports.items()]


def _matches(report: Report, query: ReportQuery) -> bool:
    return (
        (not query.statuses or report.status in query.statuses)
        and (not query.service_codes or report.service_code in query.service_codes)
        and (query.start is None or report.requested_at >= query.start)
        and (query.end is None or report.requested_at <= query.end)
        and (query.ward_code is None or report.location.ward_code == query.ward_code)
        and (query.unit_code is None or report.unit == query.unit_code)
    )


class DemoPhotos:
    """The after-photos units attach to resolutions: a few pictures ``seed`` uploads once."""

    def __init__(self, count: int) -> None:
        images = [after_photo(n) for n in range(count)]
        # Named by content, as intake names an uploaded photo: the photo route serves those ids.
        self.keys = [f"{UPLOAD_PREFIX}{hashlib.sha256(image).hexdigest()[:32]}" for image in images]
        self.sizes = {key: len(image) for key, image in zip(self.keys, images, strict=True)}

    def stat(self, key: str) -> StoredObject | None:
        size = self.sizes.get(key)
        return StoredObject(key, size, "image/png", PNG_HEAD) if size is not None else None

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"the demo history does not use the photo store's {name}")


def after_photo(n: int) -> bytes:
    """A small PNG "after" picture: a clean street in one of a few colours."""
    import struct
    import zlib

    colours = ((96, 160, 96), (120, 120, 130), (80, 140, 190), (170, 150, 110), (110, 170, 150))
    r, g, b = colours[n % len(colours)]
    width, height = 64, 48
    rows = b"".join(
        b"\x00" + bytes((r, g, b) if y < height * 2 // 3 else (r // 2, g // 2, b // 2)) * width
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_HEAD + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class TodayWards:
    """The registry on today's map: two years of history are shown in today's wards, the ones
    the console's map, filters and per-ward figures know (Phan Thiet's wards merged in 2025)."""

    def __init__(self, registry: AdminUnitRegistry, today: date) -> None:
        self.registry = registry
        self.today = today

    def locate(self, lat: float, lon: float, on: date | None = None) -> Any:
        return self.registry.locate(lat, lon, self.today)

    def find_named(self, text: str, on: date | None = None) -> Any:
        return self.registry.find_named(text, self.today)

    def representative_point(self, code: str) -> tuple[float, float] | None:
        return self.registry.representative_point(code)

    def active_on(self, day: date) -> Iterable[Any]:
        return self.registry.active_on(self.today)


@dataclass
class DemoWorld:
    catalogue: Catalogue
    registry: AdminUnitRegistry
    now: datetime
    photos: int = 5
    next_id: str = ""
    repo: MemoryReports = field(default_factory=MemoryReports)

    def __post_init__(self) -> None:
        self.clock = FixedClock(self.now)
        self.calendar = sla.default_calendar()
        wards = TodayWards(self.registry, self.now.date())
        self.router = Router(self.catalogue, wards, routing_data(), self.now.date())
        self.after_photos = DemoPhotos(self.photos)
        self.intake = IntakeService(
            self.repo, self.after_photos, wards, self.catalogue, self.clock, self.router,
            self.calendar, new_id=lambda: self.next_id,
        )  # fmt: skip
        self.workflow = WorkflowService(
            self.repo, self.after_photos, self.catalogue, self.router, self.calendar, self.clock
        )
        self._marks: dict[tuple[str, datetime, float], datetime] = {}
        self.operator = Caller(
            Principal(sub="demo-operator", grants=frozenset({Grant("operator")}), username="dieuhanh"),
            "operator",
        )

    def at(self, moment: datetime) -> DemoWorld:
        """Move the clock (the services read it)."""
        self.clock.at = moment
        return self

    def staff(self, unit: str) -> Caller:
        username = unit.lower().replace("_", "-")
        principal = Principal(
            sub=f"demo-{username}", grants=frozenset({Grant(UNIT_STAFF, unit)}), username=username
        )
        return Caller(principal, UNIT_STAFF)

    @staticmethod
    def resident(account_id: str) -> Caller:
        return Caller(Principal(sub=account_id, grants=frozenset({Grant(RESIDENT)})), RESIDENT, OWN_REPORTS)

    def monitor(self, report_id: str, until: datetime) -> None:
        """The SLA job's runs up to ``until``: each run that finds a clock past 80 % or 100 %
        marks it and raises its event, as ``jobs.sla_monitor`` does every five minutes."""
        until = min(until, self.now)
        for _ in range(2):  # a warning, then an escalation
            report = self.repo.reports[report_id]
            tick = self._next_mark(report)
            if tick is None or tick > until:
                return
            marked, stream = jobs.check_report(report, tick, self.calendar)
            if not stream:
                return
            self.repo.save(marked, stream, expected_version=report.version)

    def _next_mark(self, report: Report) -> datetime | None:
        """The first run of the job that finds the running clock past its next threshold."""
        current = None if report.status.is_closed else sla.active_clock(report.sla)
        if current is None or not current[1].running:
            return None
        clock = current[1]
        if clock.warned_at is None:
            threshold = sla.WARN_AT
        elif clock.escalated_at is None:
            threshold = sla.ESCALATE_AT
        else:
            return None
        key = (report.report_id, clock.due_at, threshold)
        if key not in self._marks:  # a running clock with the same due time crosses at the same moment
            # The clock has run unchanged since the report's last change; one working second
            # past the threshold keeps rounding on the right side.
            since = report.updated_at
            fresh = since == clock.started_at
            left = clock.budget_hours if fresh else self.calendar.hours_between(since, clock.due_at)
            target = (1 - threshold) * clock.budget_hours - 1 / 3600
            crossed = self.calendar.add_hours(since, left - target) if left > target else since
            self._marks[key] = _next_run(crossed)
        return self._marks[key]


def _next_run(moment: datetime) -> datetime:
    every = int(SLA_JOB_EVERY.total_seconds() // 60)
    base = moment.replace(second=0, microsecond=0)
    return base + timedelta(minutes=every - base.minute % every)
