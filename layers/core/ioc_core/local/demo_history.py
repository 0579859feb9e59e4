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

from ioc_core.accounts.adapters import AccountItem
from ioc_core.admin_units.registry import AdminUnitRegistry
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.models import (
    AttributeDefinition,
    Datatype,
    Report,
    ReportDraft,
    Reporter,
    ReportStatus,
    ServiceDefinition,
)
from ioc_core.field_reporting.workflow_service import Caller
from ioc_core.local.demo_data import (
    COMMENTS,
    DISPUTES,
    NOTES_RESOLVED,
    PLACES,
    QUESTIONS,
    REPLIES,
    SERVICE_WEIGHTS,
    STREETS,
    TRANSFERS,
)
from ioc_core.local.demo_world import DemoWorld
from ioc_core.shared.cloudevents import CloudEvent

S = ReportStatus
OPEN_DEPTHS = ((S.RECEIVED, 0.12), (S.VERIFIED, 0.10), (S.ASSIGNED, 0.28), (S.IN_PROGRESS, 0.50))
STEPS = (S.RECEIVED, S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED)


@dataclass(frozen=True)
class Figures:
    """The city's published figures, and the duplicates the demo merges on top of them."""

    reports: int = 1104
    resolved: int = 1025
    ratings: int = 984
    positive: int = 834
    accounts: int = 3700
    duplicates: int = 24  # merged into their masters: closed as rejected, counted in ``total``

    @property
    def open(self) -> int:
        return self.reports - self.resolved

    @property
    def total(self) -> int:
        return self.reports + self.duplicates


PUBLISHED = Figures()


@dataclass(frozen=True)
class Plan:
    """What happens to one report; the timeline decides when."""

    depth: ReportStatus  # how far it gets: RESOLVED, or the open status it is left in
    score: int | None = None
    duplicate: str | None = None  # the id of a second report of the same issue, merged into it


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
        n, figures = self.figures.reports, self.figures
        times = sorted(self._request_time() for _ in range(n))
        # Open reports are mostly the recent ones, as in any working city.
        open_ids = set(self.rng.sample(range(n - 100, n), figures.open))
        resolved = [i for i in range(n) if i not in open_ids]
        rated = set(self.rng.sample(resolved, figures.ratings))
        positive = set(self.rng.sample(sorted(rated), figures.positive))
        # Duplicates arrive for issues many people see; not for the last days' reports.
        masters = sorted(self.rng.sample(range(n - 40), figures.duplicates))
        duplicate_of = {m: f"PT-DEMO{n + k:04d}" for k, m in enumerate(masters)}
        plans = []
        for i, at in enumerate(times):
            score = None
            if i in rated:
                score = self.rng.choice((4, 5, 5)) if i in positive else self.rng.choice((1, 2, 3, 3))
            depth = self._open_depth() if i in open_ids else S.RESOLVED
            plans.append((at, Plan(depth, score, duplicate_of.get(i))))
        return plans

    # -- one report's life ----------------------------------------------------------------------
    def _live(self, i: int, at: datetime, plan: Plan) -> None:
        service = self._service()
        rated = plan.score is not None
        account = self.account() if rated or self.rng.random() < 0.6 else None
        report = self.submit(f"PT-DEMO{i:04d}", at, service, account, self._point())
        life = _Life(self, report.report_id, service, account, plan.depth is S.RESOLVED)
        if plan.duplicate:
            life.duplicate(plan.duplicate, report)
        life.run(plan.depth)
        if plan.score is not None:
            life.rate(plan.score)
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
            reporter=Reporter(account_id=account),
            channel=self.rng.choice(("mobile_app", "mobile_app", "mobile_app", "web", "hotline")),
        )
        self.world.next_id = report_id
        return self.world.at(at).intake.submit(draft).report

    def account(self) -> str:
        return f"AC-DEMO{self.rng.randrange(self.figures.accounts):05d}"

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


class _Life:
    """One report's steps, each through the workflow service at its moment."""

    def __init__(
        self,
        history: DemoHistory,
        report_id: str,
        service: ServiceDefinition,
        account: str | None,
        closes: bool,
    ) -> None:
        self.h, self.world, self.rng = history, history.world, history.rng
        self.report_id, self.service, self.account, self.closes = report_id, service, account, closes
        self.cursor = self.report.requested_at
        self.alive = True  # False once the next step would fall after now

    @property
    def report(self) -> Report:
        return self.world.repo.reports[self.report_id]

    # -- when --------------------------------------------------------------------------------
    def staff_time(self, hours: float) -> datetime | None:
        """``hours`` working hours after the last step; a closed report's steps all fit before
        now, an open report's stop at now."""
        cal = self.world.calendar
        at = cal.add_hours(self.cursor, hours)
        if at > self.h.limit and self.closes:
            room = cal.hours_between(self.cursor, self.h.limit)
            at = cal.add_hours(self.cursor, room / 3) if room > 0 else self._soon()
        return self._step_at(at)

    def resident_time(self, low: float, high: float) -> datetime | None:
        at = self.cursor + timedelta(hours=self.rng.uniform(low, high))
        if not 6 <= at.hour < 22:  # asleep: the answer comes the next morning
            at = (at + timedelta(hours=10)).replace(hour=self.rng.randint(6, 8))
        if at > self.h.limit and self.closes:
            at = self._soon()
        return self._step_at(at)

    def _soon(self) -> datetime:
        """A step of a report that must close before now, when no time is left for it."""
        end = self.h.limit if self.cursor < self.h.limit else self.h.now
        return self.cursor + (end - self.cursor) / 3

    def _step_at(self, at: datetime) -> datetime | None:
        if at > self.h.now or not self.alive:
            self.alive = False
            return None
        self.world.monitor(self.report_id, at)  # the SLA job ran meanwhile
        self.cursor = at
        self.world.at(at)
        return at

    # -- what --------------------------------------------------------------------------------
    def run(self, depth: ReportStatus) -> None:
        budget = self.service.sla
        if self.account and self.rng.random() < 0.05:
            self.ask(self.world.operator, budget.verify_hours * self.rng.uniform(0.1, 0.5))
        target = STEPS.index(depth)
        if target >= 1 and self.staff_time(budget.verify_hours * self._pace()):
            self.world.workflow.verify(self.world.operator, self.report_id, self.report.version, None)
        if target >= 2 and self.staff_time(self.rng.uniform(0.1, 1.0)):
            self.assign(self.report.unit or self.service.unit, None)
        if target >= 2 and self.rng.random() < 0.08:
            self.transfer(started=target >= 3 and self.rng.random() < 0.5)
        if target >= 3 and self.staff_time(budget.resolve_hours * self.rng.uniform(0.03, 0.2)):
            self.start()
        if target >= 3 and self.account and self.rng.random() < 0.04:
            self.ask(self.unit_staff, budget.resolve_hours * self.rng.uniform(0.05, 0.3))
        if target >= 4:
            self.resolve(budget.resolve_hours * self._pace() * 0.7)
        if target >= 4 and self.account and self.rng.random() < 0.03:
            self.dispute()
        if not self.closes and self.account and self.alive and self.rng.random() < 0.3:
            self.wait_on_resident()

    def _pace(self) -> float:
        """A step's share of its budget: mostly in time, one in six late."""
        return self.rng.uniform(1.0, 1.6) if self.rng.random() < 1 / 6 else self.rng.uniform(0.1, 0.9)

    @property
    def unit_staff(self) -> Caller:
        return self.world.staff(self.report.unit or self.service.unit)

    def assign(self, unit: str, note: str | None) -> None:
        self.world.workflow.assign(self.world.operator, self.report_id, self.report.version, unit, note)

    def transfer(self, started: bool) -> None:
        """The unit finds it is not theirs; the operator re-routes it (a transfer)."""
        if started and self.staff_time(self.service.sla.resolve_hours * self.rng.uniform(0.03, 0.1)):
            self.start()
        routed = self.report.unit or ""
        to = TRANSFERS.get(self.service.service_code, "QLDT")
        if to in self.world.router.templates:
            to = self.world.router.templates[to]["code"].format(ward=self.report.location.ward_code)
        if to == routed:
            to = "QLDT" if routed != "QLDT" else "MTDT"
        if self.staff_time(self.rng.uniform(0.5, 6)):
            self.assign(to, f"Không thuộc thẩm quyền của {routed}; chuyển {to} xử lý.")

    def start(self) -> None:
        self.world.workflow.start(self.unit_staff, self.report_id, self.report.version, None)

    def resolve(self, hours: float) -> None:
        if self.report.status is not S.IN_PROGRESS or not self.staff_time(hours):
            return
        photo = self.rng.choice(self.world.after_photos.keys)
        note = self.rng.choice(NOTES_RESOLVED)
        self.world.workflow.resolve(self.unit_staff, self.report_id, self.report.version, note, photo)

    def ask(self, who: Caller, hours: float) -> None:
        """Staff need more from the resident; the clock pauses until the answer."""
        if not self.staff_time(hours):
            return
        self.world.workflow.request_info(who, self.report_id, self.report.version, self.rng.choice(QUESTIONS))
        if self.resident_time(1, 30):
            resident = self.world.resident(self.account or "")
            self.world.workflow.reply(resident, self.report_id, self.report.version, self.rng.choice(REPLIES))

    def wait_on_resident(self) -> None:
        """An open report left waiting on its resident: its clock stays paused."""
        status = self.report.status
        who = self.unit_staff if status in (S.ASSIGNED, S.IN_PROGRESS) else self.world.operator
        room = self.world.calendar.hours_between(self.cursor, self.h.now)
        if room > 0.5 and self.staff_time(room * self.rng.uniform(0.2, 0.9)):
            question = self.rng.choice(QUESTIONS)
            self.world.workflow.request_info(who, self.report_id, self.report.version, question)

    def dispute(self) -> None:
        """ "Not fixed": the resident reopens it, the unit goes back and fixes it."""
        if self.report.status is not S.RESOLVED or not self.resident_time(2, 72):
            return
        resident = self.world.resident(self.account or "")
        self.world.workflow.dispute(resident, self.report_id, self.report.version, self.rng.choice(DISPUTES))
        if self.staff_time(self.rng.uniform(1, 8)):
            self.start()
        self.resolve(self.service.sla.resolve_hours * self.rng.uniform(0.1, 0.5))

    def rate(self, score: int) -> None:
        if self.report.status is not S.RESOLVED or not self.account or not self.resident_time(1, 72):
            raise RuntimeError(f"{self.report_id} cannot be rated: its history ran past now")
        resident = self.world.resident(self.account)
        self.world.workflow.rate(resident, self.report_id, self.report.version, score, COMMENTS[score])

    def duplicate(self, report_id: str, master: Report) -> None:
        """Someone else reports the same issue a few metres away; the operator merges it."""
        dup_at = self.resident_time(0.2, min(self.service.duplicate.window_hours * 0.5, 12))
        if dup_at is None:
            return
        lat, lon = master.location.lat, master.location.lon
        nudged = (
            round(lat + self.rng.uniform(-5e-5, 5e-5), 6),
            round(lon + self.rng.uniform(-5e-5, 5e-5), 6),
        )
        near = nudged if self.world.registry.locate(*nudged, self.h.now.date()) else (lat, lon)
        self.h.submit(report_id, dup_at, self.service, self.h.account(), near)
        if self.staff_time(self.rng.uniform(0.1, 1.5)):
            self.world.monitor(report_id, self.cursor)
            version = self.world.repo.reports[report_id].version
            self.world.workflow.merge(self.world.operator, report_id, version, self.report_id, None)

    def finish(self) -> None:
        """Open reports: the SLA job has kept running until now."""
        if not self.report.status.is_closed:
            self.world.monitor(self.report_id, self.h.now)
        if self.closes and self.report.status is not S.RESOLVED:
            raise RuntimeError(f"{self.report_id} should be resolved by now: {self.report.status.value}")
