"""One report's life in the demo history: each step through the workflow service, at a
moment that fits who takes it (staff in working hours, residents while awake)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ioc_core.field_reporting.models import Report, ReportStatus, ServiceDefinition
from ioc_core.field_reporting.workflow_service import Caller
from ioc_core.local.demo_data import COMMENTS, DISPUTES, NOTES_RESOLVED, QUESTIONS, REPLIES, TRANSFERS

if TYPE_CHECKING:
    from ioc_core.local.demo_history import DemoHistory

S = ReportStatus
STEPS = (S.RECEIVED, S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED)


class ReportLife:
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
        self.follower: str | None = None  # who reported it again, once merged
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
        to = self.world.router.directory.routed_code(to, self.report.location.ward_code)
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

    def rate(self, score: int, who: str | None) -> None:
        """The reporter, or a follower, rates the resolution."""
        if self.report.status is not S.RESOLVED or not who or not self.resident_time(1, 72):
            raise RuntimeError(f"{self.report_id} cannot be rated: its history ran past now")
        resident = self.world.resident(who)
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
        self.follower = self.h.account(other_than=self.account)
        self.h.submit(report_id, dup_at, self.service, self.follower, near)
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
