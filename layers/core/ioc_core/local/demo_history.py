"""Two years of Phan Thiet field reports, lived through the real services.

Each report is submitted through intake (routed by the routing table), verified and assigned
by an operator, started and resolved by its unit with an after-photo, and rated by its
resident, each step at a plausible moment: staff act in Vietnamese working hours (the SLA
calendar's), residents when they are awake. Some are re-routed to another unit (transfers),
some wait on the resident (the SLA clock pauses until the answer), some run late (the SLA
job's warnings and escalations), some are disputed and fixed again, and some arrive twice
and are merged. The random seed is fixed: the same ``now`` gives the same history.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ioc_core.admin_units.registry import AdminUnitRegistry
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.models import (
    AttributeDefinition,
    Datatype,
    Report,
    ReportDraft,
    ReportStatus,
    ServiceDefinition,
)
from ioc_core.identity.accounts import AccountItem
from ioc_core.local.demo_data import PLACES, SERVICE_WEIGHTS, STREETS
from ioc_core.local.demo_life import ReportLife
from ioc_core.local.demo_world import DemoWorld
from ioc_core.shared.cloudevents import CloudEvent

S = ReportStatus
OPEN_DEPTHS = ((S.RECEIVED, 0.12), (S.VERIFIED, 0.10), (S.ASSIGNED, 0.28), (S.IN_PROGRESS, 0.50))


@dataclass(frozen=True)
class Figures:
    """The city's published figures. Some of the reports received are second reports of the
    same problem, merged into the first: closed as duplicates, counted as their master is."""

    reports: int = 1104
    resolved: int = 1025
    ratings: int = 984
    positive: int = 834
    accounts: int = 3700
    duplicates: int = 24  # among ``reports``; their masters are resolved ones

    @property
    def open(self) -> int:
        return self.reports - self.resolved

    @property
    def cases(self) -> int:
        """Reports that are not a merged duplicate."""
        return self.reports - self.duplicates


PUBLISHED = Figures()


@dataclass(frozen=True)
class Plan:
    """What happens to one report; the timeline decides when."""

    depth: ReportStatus  # how far it gets: RESOLVED, or the open status it is left in
    score: int | None = None
    duplicate: str | None = None  # the id of a second report of the same issue, merged into it
    follower_score: int | None = None  # the duplicate's reporter rates the resolution too


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
        self.world = DemoWorld(catalogue, registry, now)
        self.limit = now - timedelta(minutes=30)  # the last moment a closed report may change

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

    def reports(self, progress: Callable[[int], None] | None = None) -> list[tuple[Report, list[CloudEvent]]]:
        """Every report's final state and events in order; lived once, then remembered."""
        if not self.world.repo.reports:
            for i, (at, plan) in enumerate(self._plans()):
                self._live(i, at, plan)
                if progress is not None and (i + 1) % 100 == 0:
                    progress(i + 1)
        return self.world.repo.histories()

    def _plans(self) -> list[tuple[datetime, Plan]]:
        n, figures = self.figures.cases, self.figures
        times = sorted(self._request_time() for _ in range(n))
        # Open reports are mostly the recent ones, as in any working city.
        open_ids = set(self.rng.sample(range(n - 100, n), figures.open))
        resolved = [i for i in range(n) if i not in open_ids]
        # Duplicates arrive for issues many people see; not for the last days' reports, and
        # here only for ones resolved since (each counts as resolved with its master). Half of
        # their reporters rate the resolution they follow: their ratings count too.
        masters = sorted(self.rng.sample([i for i in resolved if i < n - 40], figures.duplicates))
        duplicate_of = {m: f"PT-DEMO{n + k:04d}" for k, m in enumerate(masters)}
        followers = {m: self._score(self.rng.random() < 0.85) for m in masters if self.rng.random() < 0.5}
        rated = set(self.rng.sample(resolved, figures.ratings - len(followers)))
        liked = figures.positive - sum(score >= 4 for score in followers.values())
        positive = set(self.rng.sample(sorted(rated), liked))
        plans = []
        for i, at in enumerate(times):
            score = self._score(i in positive) if i in rated else None
            depth = self._open_depth() if i in open_ids else S.RESOLVED
            plans.append((at, Plan(depth, score, duplicate_of.get(i), followers.get(i))))
        return plans

    def _score(self, positive: bool) -> int:
        return self.rng.choice((4, 5, 5)) if positive else self.rng.choice((1, 2, 3, 3))

    # -- one report's life ----------------------------------------------------------------------
    def _live(self, i: int, at: datetime, plan: Plan) -> None:
        service = self._service()
        rated = plan.score is not None
        account = self.account() if rated or self.rng.random() < 0.6 else None
        report = self.submit(f"PT-DEMO{i:04d}", at, service, account, self._point())
        life = ReportLife(self, report.report_id, service, account, plan.depth is S.RESOLVED)
        if plan.duplicate:
            life.duplicate(plan.duplicate, report)
        life.run(plan.depth)
        if plan.score is not None:
            life.rate(plan.score, account)
        if plan.follower_score is not None:
            life.rate(plan.follower_score, life.follower)
        life.finish()

    def submit(
        self, report_id: str, at: datetime, service: ServiceDefinition, account: str | None, point: Any
    ) -> Report:
        lat, lon = point
        draft = ReportDraft(
            service_code=service.service_code,
            lat=lat,
            lon=lon,
            address=f"{self.rng.randrange(1, 300)} {self.rng.choice(STREETS)}",
            description=f"{service.name.vi} gần {self.rng.choice(PLACES)}, đường {self.rng.choice(STREETS)}.",
            attributes=self._answers(service, at),
            channel=self.rng.choice(("mobile_app", "mobile_app", "mobile_app", "web", "hotline")),
        )
        self.world.next_id = report_id
        by = self.world.resident(account).principal if account else None  # a resident owns theirs
        return self.world.at(at).intake.submit(draft, by=by).report

    def account(self, other_than: str | None = None) -> str:
        while True:
            account = f"AC-DEMO{self.rng.randrange(self.figures.accounts):05d}"
            if account != other_than:
                return account

    def _request_time(self) -> datetime:
        # Reporting grows as the app spreads: density rises over the two years.
        days = 730 * (1 - self.rng.random() ** 0.8)
        moment = self.now - timedelta(days=max(days, 0.05))
        hour = self.rng.choice((6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20))
        at = moment.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60))
        return at.replace(microsecond=0) if at <= self.now else self.now - timedelta(minutes=5)

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

    def _open_depth(self) -> ReportStatus:
        return self.rng.choices([s for s, _ in OPEN_DEPTHS], weights=[w for _, w in OPEN_DEPTHS])[0]

    def _answers(self, service: ServiceDefinition, at: datetime) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for attribute in service.attributes:
            if attribute.variable and (attribute.required or self.rng.random() < 0.5):
                answers[attribute.code] = self._answer(attribute, at)
        return answers

    def _answer(self, attribute: AttributeDefinition, at: datetime) -> str | list[str]:
        keys = [v.key for v in attribute.values]
        if attribute.datatype is Datatype.SINGLE:
            return self.rng.choice(keys)
        if attribute.datatype is Datatype.MULTI:
            return self.rng.sample(keys, self.rng.randint(1, len(keys)))
        if attribute.datatype is Datatype.NUMBER:
            return str(self.rng.randint(1, 50))
        if attribute.datatype is Datatype.DATETIME:
            return (at - timedelta(hours=self.rng.randint(1, 48))).isoformat(timespec="seconds")
        return "Người dân phản ánh qua ứng dụng."
