"""Scheduled jobs of Field Reporting. ``sla_monitor`` raises, once per clock, a warning at
80 % and an escalation at 100 % of each SLA clock (an event each, which the notifications
consumer turns into notifications); the marks on the report make a rerun change nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ioc_core.field_reporting import events, sla
from ioc_core.field_reporting.models import Report, SlaClock, SlaState
from ioc_core.field_reporting.ports import ReportQuery, ReportRepository, VersionConflict
from ioc_core.field_reporting.workflow_service import OPEN_STATUSES
from ioc_core.shared.cloudevents import CloudEvent

PAGE = 200


@dataclass
class SlaRun:
    scanned: int = 0
    warnings: int = 0
    escalations: int = 0
    overdue: list[str] = field(default_factory=list)
    conflicts: int = 0


def _marks(
    clock: SlaClock, now: datetime, cal: sla.HolidayCalendar
) -> tuple[SlaClock, list[tuple[str, float]]]:
    share = sla.progress(clock, now, cal)
    raised: list[tuple[str, float]] = []
    if share >= sla.WARN_AT and clock.warned_at is None:
        clock = clock.model_copy(update={"warned_at": now})
        raised.append((events.SLA_WARNING, share))
    if share >= sla.ESCALATE_AT and clock.escalated_at is None:
        clock = clock.model_copy(update={"escalated_at": now})
        raised.append((events.SLA_ESCALATED, share))
    return clock, raised


def check_report(report: Report, now: datetime, cal: sla.HolidayCalendar) -> tuple[Report, list[CloudEvent]]:
    """The report with its clocks marked, and one event per threshold newly crossed."""
    if report.sla is None or report.status.is_closed:
        return report, []
    state, stream, version = report.sla, [], report.version
    updated: dict[str, SlaClock | None] = {"verify": state.verify, "resolve": state.resolve}
    for name, clock in state.clocks():
        if not clock.running:
            continue
        marked, raised = _marks(clock, now, cal)
        updated[name] = marked
        for short, share in raised:
            version += 1
            bumped = report.model_copy(update={"version": version, "sla": SlaState(**updated)})
            stream.append(events.sla_mark(bumped, short, clock=name, due=clock.due_at, share=share, at=now))
    if not stream:
        return report, []
    return report.model_copy(update={"sla": SlaState(**updated), "version": version}), stream


def sla_monitor(repo: ReportRepository, cal: sla.HolidayCalendar, now: datetime) -> SlaRun:
    run = SlaRun()
    for status in OPEN_STATUSES:
        token: str | None = None
        while True:
            page = repo.query(ReportQuery(statuses=(status,), limit=PAGE, token=token))
            for report in page.items:
                run.scanned += 1
                if sla.overdue(report, now):
                    run.overdue.append(report.report_id)
                marked, stream = check_report(report, now, cal)
                if not stream:
                    continue
                try:
                    repo.save(marked, stream, expected_version=report.version)
                except VersionConflict:
                    run.conflicts += 1  # changed meanwhile: the next run looks again
                    continue
                run.warnings += sum(e.short_type == events.SLA_WARNING for e in stream)
                run.escalations += sum(e.short_type == events.SLA_ESCALATED for e in stream)
            token = page.next_token
            if token is None:
                break
    return run
