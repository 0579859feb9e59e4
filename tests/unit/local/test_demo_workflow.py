"""The demo history exercises the workflow as the city runs it: routing, transfers, clocks
paused while waiting on residents, SLA warnings and escalations, overdue reports, disputes,
merged duplicates and resolutions with after-photos, all at plausible moments."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pytest

from ioc_core.field_reporting import events, sla
from ioc_core.field_reporting.api_v1.schemas import PHOTO_ID_PATTERN
from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.field_reporting.routing import Router
from ioc_core.field_reporting.service import UPLOAD_PREFIX
from ioc_core.local.demo_history import PUBLISHED, DemoHistory
from ioc_core.shared.clock import to_vn
from ioc_core.shared.cloudevents import CloudEvent, short_type
from ioc_core.shared.working_time import WORKING_BLOCKS

pytestmark = pytest.mark.unit
Histories = list[tuple[Report, list[CloudEvent]]]


def kinds(histories: Histories) -> Counter[str]:
    return Counter(short_type(e.type) for _, stream in histories for e in stream)


def test_reports_are_routed_by_the_routing_table_and_some_are_transferred(
    history: DemoHistory, histories: Histories
) -> None:
    router: Router = history.world.router
    reports = [r for r, _ in histories]
    for report in reports:
        first = next((h for h in report.history if h.action == "assign"), None)
        if first is not None:  # the operator follows the routing table on the first assignment
            assert first.unit == router.route(report.service_code, report.location.ward_code)
    transferred = [r for r in reports if r.transfers]
    assert len(transferred) >= 30
    assert sum(r.transfers for r in reports) == sum(
        1 for _, stream in histories for e in stream if e.data.get("transfer")
    )
    for report in transferred:
        units = [h.unit for h in report.history if h.action == "assign"]
        assert len(set(units)) >= 2 and report.unit == units[-1]
    assert {r.unit for r in reports if r.unit and r.unit.startswith("UBND_")}  # ward units too


def test_some_wait_on_their_resident_with_the_clock_paused(histories: Histories, now: datetime) -> None:
    reports = [r for r, _ in histories]
    waiting = [r for r in reports if r.waiting_on_resident]
    assert len(waiting) >= 5
    for report in waiting:
        current = sla.active_clock(report.sla)
        assert not report.status.is_closed and current is not None and current[1].paused_at is not None
        assert sla.progress(current[1], now, sla.default_calendar()) == sla.progress(
            current[1], current[1].paused_at, sla.default_calendar()
        )
    answered = [r for r in reports if any(h.action == "provide_info" for h in r.history)]
    assert len(answered) >= 30
    count = kinds(histories)
    assert count[events.INFO_REQUESTED] == count[events.INFO_PROVIDED] + len(waiting)


def test_late_clocks_raise_warnings_and_escalations_and_some_reports_are_overdue(
    history: DemoHistory, histories: Histories, now: datetime
) -> None:
    count = kinds(histories)
    assert count[events.SLA_WARNING] >= 100
    assert count[events.SLA_ESCALATED] >= 50
    overdue = [r for r, _ in histories if sla.overdue(r, now)]
    assert 10 <= len(overdue) <= PUBLISHED.open
    for report in overdue:  # the SLA job has seen them: nothing is left for its next run
        current = sla.active_clock(report.sla)  # paused ones too: escalated before the pause
        assert current is not None and current[1].escalated_at is not None, report.report_id
    late = [r for r, _ in histories if r.status is ReportStatus.RESOLVED and not events.on_time(r)]
    assert 0.05 <= len(late) / PUBLISHED.resolved <= 0.3
    for _, stream in histories:  # warned at 80 %, escalated at 100 %, on the job's runs
        for event in stream:
            if short_type(event.type) in (events.SLA_WARNING, events.SLA_ESCALATED):
                assert event.data["progress"] >= (
                    sla.WARN_AT if short_type(event.type) == events.SLA_WARNING else sla.ESCALATE_AT
                )
                assert to_vn(datetime.fromisoformat(event.time)).minute % 5 == 0


def test_resolutions_carry_after_photos_and_some_are_disputed_and_merged(histories: Histories) -> None:
    reports = {r.report_id: r for r, _ in histories}
    resolved = [r for r in reports.values() if r.status is ReportStatus.RESOLVED]
    assert all(r.after_photos and r.resolution_note for r in resolved)
    served = {p.key.removeprefix(UPLOAD_PREFIX) for r in resolved for p in r.after_photos}
    assert all(re.fullmatch(PHOTO_ID_PATTERN, photo_id) for photo_id in served)  # GET /photos/{id}
    assert sum(1 for r in resolved if r.reopened) >= 10
    merged = [r for r in reports.values() if r.merged_into]
    assert len(merged) == PUBLISHED.duplicates
    for duplicate in merged:
        master = reports[duplicate.merged_into or ""]
        assert duplicate.report_id in master.merged and duplicate.service_code == master.service_code
        assert duplicate.reporter.account_id in master.owners
    followers_rated = [
        r for r in resolved if any(rating.by and rating.by in r.followers for rating in r.ratings)
    ]
    assert len(followers_rated) >= 5  # a merged report's reporter follows and rates the master


def test_staff_act_in_working_hours_and_residents_while_awake(histories: Histories) -> None:
    calendar = sla.default_calendar()
    for report, _ in histories:
        for step in report.history:
            at = to_vn(step.at)
            if step.role in ("operator", "unit_staff"):
                assert calendar.is_working_day(at.date()), (report.report_id, step)
                assert any(a <= at.time() <= b for a, b in WORKING_BLOCKS), (report.report_id, step)
            elif step.role == "resident":
                assert 6 <= at.hour < 22, (report.report_id, step)


def test_the_overdue_counter_kept_from_events_alone_matches_the_reports(histories: Histories) -> None:
    """The overview's "overdue now" is a projection: events carry whether the report was and is
    past the due time the SLA job declared, and the counters add up to the reports' own state,
    for the city and for every ward."""
    from ioc_core.field_reporting.stats import PK, projection_deltas

    rows: Counter[str] = Counter()
    for _, stream in histories:
        for event in stream:
            for (pk, sk), change in projection_deltas(event).items():
                if pk == PK and "overdue" in change:
                    rows[sk] += change["overdue"]
    reports = [r for r, _ in histories]
    expected = Counter(f"ward#{r.location.ward_code}" for r in reports if sla.escalated(r))
    assert rows["all"] == sum(expected.values()) >= 10
    assert {k: v for k, v in rows.items() if k.startswith("ward#") and v} == +expected
    assert min(rows.values()) >= 0
