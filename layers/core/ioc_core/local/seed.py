"""Demo data: two years of Phan Thiet field reports that reproduce the published figures.

The city published 1,104 reports, 1,025 resolved and 79 in progress, 984 ratings of which
834 positive, and 3,700 accounts. The history is generated with a fixed random seed, goes
through the same validation as live intake and the same outbox, and is idempotent: ids
are deterministic, and a second run finds the marker and stops at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from ioc_core.accounts.adapters import AccountItem, DynamoAccounts
from ioc_core.admin_units.registry import AdminUnitRegistry, default_registry
from ioc_core.field_reporting import events, workflow
from ioc_core.field_reporting.adapters.dynamo import DynamoReportRepository
from ioc_core.field_reporting.catalogue import Catalogue, default_catalogue
from ioc_core.field_reporting.models import (
    AttributeDefinition,
    Datatype,
    Report,
    ReportDraft,
    Reporter,
    ReportStatus,
    ServiceDefinition,
)
from ioc_core.field_reporting.service import IntakeService
from ioc_core.platform.dynamo import UNBOUND, bind
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.working_time import add_working_hours

SEED_VERSION = "demo-v1"


@dataclass(frozen=True)
class Figures:
    reports: int = 1104
    resolved: int = 1025
    ratings: int = 984
    positive: int = 834
    accounts: int = 3700

    @property
    def open(self) -> int:
        return self.reports - self.resolved


PUBLISHED = Figures()
OPEN_STATUSES = (
    (ReportStatus.RECEIVED, 0.12),
    (ReportStatus.VERIFIED, 0.10),
    (ReportStatus.ASSIGNED, 0.28),
    (ReportStatus.IN_PROGRESS, 0.50),
)
PATH = (ReportStatus.VERIFIED, ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED)
STREETS = (
    "Trần Hưng Đạo",
    "Nguyễn Tất Thành",
    "Võ Văn Kiệt",
    "Tôn Đức Thắng",
    "Nguyễn Đình Chiểu",
    "Huỳnh Thúc Kháng",
    "Lê Lợi",
    "Thủ Khoa Huân",
    "Hải Thượng Lãn Ông",
    "Trường Chinh",
    "Nguyễn Thông",
    "Phạm Văn Đồng",
    "Lê Duẩn",
    "Từ Văn Tư",
    "Hùng Vương",
    "Võ Thị Sáu",
)
PLACES = (
    "chợ Phan Thiết",
    "tháp Chăm Pô Sah Inư",
    "bãi biển Đồi Dương",
    "cầu Trần Hưng Đạo",
    "trường học",
    "bến cá",
    "công viên",
    "khu dân cư",
    "đồi cát",
    "ngã tư",
)
NOTES_RESOLVED = ("Đã khắc phục xong.", "Đơn vị đã xử lý tại hiện trường.", "Đã thu gom và vệ sinh.")
COMMENTS = {
    5: "Xử lý rất nhanh, cảm ơn!",
    4: "Đã xử lý tốt.",
    3: "Xử lý chậm.",
    2: "Chưa triệt để.",
    1: "Không hài lòng.",
}
SERVICE_WEIGHTS = {
    "garbage_not_collected": 14,
    "illegal_dumping": 9,
    "road_damage": 12,
    "street_light_out": 11,
    "flooding_drainage": 8,
    "sidewalk_encroachment": 9,
    "fallen_tree": 5,
    "water_supply": 6,
    "illegal_construction": 5,
    "noise_public_order": 6,
    "tourism_complaint": 5,
    "beach_pollution": 4,
    "sidewalk_damage": 4,
    "traffic_signal_sign": 3,
    "stray_dead_animal": 3,
    "electric_hazard": 2,
}


class SeedMarker(Model):
    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


def is_seeded(settings: Settings) -> bool:
    bind(SeedMarker, "projections", settings)
    try:
        SeedMarker.get("seed", SEED_VERSION, consistent_read=True)
        return True
    except SeedMarker.DoesNotExist:
        return False


class DemoHistory:
    """Generates the demo history deterministically."""

    def __init__(
        self,
        catalogue: Catalogue,
        registry: AdminUnitRegistry,
        now: datetime,
        figures: Figures = PUBLISHED,
        seed: int = 20221210,  # the IOC opened on 10 Dec 2022
    ) -> None:
        self.catalogue = catalogue
        self.registry = registry
        self.now = now
        self.figures = figures
        self.rng = random.Random(seed)
        self.wards = [u for u in registry.active_on(now.date()) if registry.representative_point(u.code)]
        self.services = [s for s in catalogue.active_services() if s.type == "realtime"]
        self.intake = IntakeService(_NoRepo(), _NoPhotos(), registry, catalogue, FixedClock(now))

    def accounts(self) -> list[AccountItem]:
        start = self.now - timedelta(days=730)
        items = []
        for i in range(self.figures.accounts):
            created = start + timedelta(seconds=self.rng.uniform(0, 730 * 86400))
            items.append(
                AccountItem(
                    account_id=f"AC-DEMO{i:05d}",
                    phone=f"+849{self.rng.randrange(10**8):08d}",
                    display_name=None,
                    ward_code=self.rng.choice(self.wards).code,
                    created_at=created.astimezone(UTC),
                )
            )
        return items

    def reports(self) -> list[tuple[Report, list[CloudEvent]]]:
        times = sorted(self._request_time() for _ in range(self.figures.reports))
        # Open reports are mostly the recent ones, as in any working city.
        recent = list(range(self.figures.reports - 130, self.figures.reports))
        open_ids = set(self.rng.sample(recent, self.figures.open))
        resolved_ids = [i for i in range(self.figures.reports) if i not in open_ids]
        rated = set(self.rng.sample(resolved_ids, self.figures.ratings))
        positive = set(self.rng.sample(sorted(rated), self.figures.positive))
        histories = []
        for i, at in enumerate(times):
            score = None
            if i in rated:
                score = self.rng.choice((4, 5, 5)) if i in positive else self.rng.choice((1, 2, 3, 3))
            histories.append(self._history(i, at, i in open_ids, score))
        return histories

    def _request_time(self) -> datetime:
        # Reporting grows as the app spreads: density rises over the two years.
        days = 730 * (1 - self.rng.random() ** 0.8)
        moment = self.now - timedelta(days=max(days, 0.05))
        hour = self.rng.choice((6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20))
        return moment.replace(
            hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60), microsecond=0
        )

    def _service(self) -> ServiceDefinition:
        weights = [SERVICE_WEIGHTS.get(s.service_code, 2) for s in self.services]
        return self.rng.choices(self.services, weights=weights)[0]

    def _point(self) -> tuple[float, float]:
        min_lat, min_lon, max_lat, max_lon = self.registry.bounds()
        for _ in range(1000):
            lat, lon = self.rng.uniform(min_lat, max_lat), self.rng.uniform(min_lon, max_lon)
            if self.registry.locate(lat, lon, self.now.date()):
                return round(lat, 6), round(lon, 6)
        raise RuntimeError("no point inside the city boundaries")

    def _history(
        self, i: int, at: datetime, is_open: bool, score: int | None
    ) -> tuple[Report, list[CloudEvent]]:
        service = self._service()
        lat, lon = self._point()
        draft = ReportDraft(
            service_code=service.service_code,
            lat=lat,
            lon=lon,
            address=f"{self.rng.randrange(1, 300)} {self.rng.choice(STREETS)}",
            description=f"{service.name.vi} gần {self.rng.choice(PLACES)}, đường {self.rng.choice(STREETS)}.",
            attributes=self._answers(service),
            reporter=Reporter(account_id=f"AC-DEMO{self.rng.randrange(self.figures.accounts):05d}")
            if self.rng.random() < 0.8
            else Reporter(),
            channel=self.rng.choice(("mobile_app", "mobile_app", "mobile_app", "web", "hotline")),
        )
        report = self.intake.prepare(draft)
        report = report.model_copy(
            update={
                "report_id": f"PT-DEMO{i:04d}",
                "requested_at": at,
                "updated_at": at,
                "expected_at": add_working_hours(at, service.sla.verify_hours + service.sla.resolve_hours),
                "history": [report.history[0].model_copy(update={"at": at})],
            }
        )
        stream = [events.submitted(report)]
        steps = PATH if not is_open else PATH[: self._open_depth()]
        cursor = at
        for status in steps:
            budget = (
                service.sla.verify_hours if status is ReportStatus.VERIFIED else service.sla.resolve_hours / 3
            )
            # Most steps finish within their SLA; some run late.
            cursor = add_working_hours(cursor, budget * self.rng.uniform(0.1, 1.25))
            if cursor > self.now:
                break
            note = self.rng.choice(NOTES_RESOLVED) if status is ReportStatus.RESOLVED else None
            report, event = workflow.transition(
                report, status, actor=f"unit:{service.unit}", at=cursor, note=note
            )
            stream.append(event)
        if not is_open and report.status is not ReportStatus.RESOLVED:
            report, stream = self._finish(report, stream, service)
        if score is not None:
            rated_at = min(report.updated_at + timedelta(hours=self.rng.uniform(1, 72)), self.now)
            report, event = workflow.rate(report, score=score, comment=COMMENTS[score], at=rated_at)
            stream.append(event)
        return report, stream

    def _finish(
        self, report: Report, stream: list[CloudEvent], service: ServiceDefinition
    ) -> tuple[Report, list[CloudEvent]]:
        """A resolved report whose generated steps ran past today: close it by now."""
        for status in PATH[PATH.index(report.status) + 1 if report.status in PATH else 0 :]:
            step_at = min(report.updated_at + timedelta(minutes=30), self.now)
            report, event = workflow.transition(report, status, actor=f"unit:{service.unit}", at=step_at)
            stream.append(event)
        return report, stream

    def _open_depth(self) -> int:
        statuses = [s for s, _ in OPEN_STATUSES]
        chosen = self.rng.choices(statuses, weights=[w for _, w in OPEN_STATUSES])[0]
        return 0 if chosen is ReportStatus.RECEIVED else PATH.index(chosen) + 1

    def _answers(self, service: ServiceDefinition) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for attribute in service.attributes:
            if attribute.variable and (attribute.required or self.rng.random() < 0.5):
                answers[attribute.code] = self._answer(attribute)
        return answers

    def _answer(self, attribute: AttributeDefinition) -> str | list[str]:
        keys = [v.key for v in attribute.values]
        if attribute.datatype is Datatype.SINGLE:
            return self.rng.choice(keys)
        if attribute.datatype is Datatype.MULTI:
            return self.rng.sample(keys, self.rng.randint(1, len(keys)))
        if attribute.datatype is Datatype.NUMBER:
            return str(self.rng.randint(1, 50))
        if attribute.datatype is Datatype.DATETIME:
            return (self.now - timedelta(hours=self.rng.randint(1, 48))).isoformat(timespec="seconds")
        return "Người dân phản ánh qua ứng dụng."


def seed(settings: Settings, progress: Callable[[str], None] = print, now: datetime | None = None) -> bool:
    """Load the demo data unless it is there already; True when it loaded something."""
    if is_seeded(settings):
        progress("demo data already loaded")
        return False
    history = DemoHistory(default_catalogue(), default_registry(), now or datetime.now(VN_TZ))
    accounts = history.accounts()
    progress(f"accounts: {len(accounts)}")
    registry = DynamoAccounts(settings)
    for start in range(0, len(accounts), 500):
        registry.register_many(accounts[start : start + 500])
        progress(f"  accounts {min(start + 500, len(accounts))}/{len(accounts)}")
    reports = history.reports()
    repo = DynamoReportRepository(settings)
    step = 100
    for start in range(0, len(reports), step):
        repo.import_reports(reports[start : start + step])
        progress(f"  reports {min(start + step, len(reports))}/{len(reports)}")
    SeedMarker(pk="seed", sk=SEED_VERSION).save()
    return True


class _NoRepo:
    """prepare() needs no storage; these make misuse loud."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"the demo generator does not store through {name}")


class _NoPhotos(_NoRepo):
    pass
