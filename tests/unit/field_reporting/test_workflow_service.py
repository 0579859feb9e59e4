"""Workflow use cases on the in-memory fakes: scope, optimistic locking, transfers, SLA
clocks through the moves, merges, disputes; then the SLA job and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakes import MONDAY_9AM, InMemoryInbox, InMemoryUnitStaff, IntakeWorld, RecordingSender
from ioc_core.admin_units import default_registry
from ioc_core.field_reporting import events
from ioc_core.field_reporting.jobs import sla_monitor
from ioc_core.field_reporting.models import Photo, ReportDraft, Reporter
from ioc_core.field_reporting.notifications import Notifier
from ioc_core.field_reporting.permissions import OWN_REPORTS
from ioc_core.field_reporting.routing import Router, routing_data
from ioc_core.field_reporting.sla import default_calendar
from ioc_core.field_reporting.stats import PK, detail_deltas
from ioc_core.field_reporting.workflow import dispute
from ioc_core.field_reporting.workflow_service import (
    Caller,
    PreconditionRequired,
    QueueFilters,
    StaleVersion,
    WorkflowService,
)
from ioc_core.identity.principal import Principal
from ioc_core.platform.access import Grant
from ioc_core.shared.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.unit
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
OPERATOR = Caller(Principal("op-1", frozenset({Grant("operator")}), username="an"), "operator")
CSCC = Caller(Principal("u-1", frozenset({Grant("unit_staff", "CSCC")}), username="cscc"), "unit_staff")
QLDT = Caller(Principal("u-2", frozenset({Grant("unit_staff", "QLDT")}), username="qldt"), "unit_staff")
RESIDENT = Caller(Principal("AC-1", frozenset({Grant("resident")})), "resident", OWN_REPORTS)
NEIGHBOUR = Caller(Principal("AC-2", frozenset({Grant("resident")})), "resident", OWN_REPORTS)


@pytest.fixture
def world() -> IntakeWorld:
    return IntakeWorld()


@pytest.fixture
def flow(world: IntakeWorld) -> WorkflowService:
    router = Router(world.catalogue, default_registry(), routing_data(), MONDAY_9AM.date())
    staff = InMemoryUnitStaff({"CSCC": [("cscc", "Công ty Chiếu sáng công cộng")]})
    return WorkflowService(
        world.repo, world.photos, world.catalogue, router, default_calendar(), world.clock, staff=staff
    )


def submit(world: IntakeWorld, account: str = "AC-1", lat: float = 10.928, lon: float = 108.102) -> str:
    draft = ReportDraft(
        service_code="street_light_out", lat=lat, lon=lon, attributes={"lights_affected": "one"},
        reporter=Reporter(phone="0912345678"), channel="mobile",
    )  # fmt: skip
    router = Router(world.catalogue, default_registry(), routing_data(), MONDAY_9AM.date())
    intake = world.intake
    intake.router = router
    by = Principal(account, frozenset({Grant("resident")}))  # a signed-in resident owns theirs
    return intake.submit(draft, by=by).report.report_id


def to_in_progress(world: IntakeWorld, flow: WorkflowService, report_id: str) -> None:
    flow.verify(OPERATOR, report_id, 1, None)
    flow.assign(OPERATOR, report_id, 2, "CSCC", None)
    flow.start(CSCC, report_id, 3, None)


def test_a_stale_or_missing_version_is_refused_with_what_is_allowed(
    world: IntakeWorld, flow: WorkflowService
) -> None:
    report_id = submit(world)
    with pytest.raises(PreconditionRequired):
        flow.verify(OPERATOR, report_id, None, None)
    with pytest.raises(StaleVersion) as stale:
        flow.verify(OPERATOR, report_id, 9, None)
    assert stale.value.current_version == 1 and "verify" in stale.value.allowed_actions


def test_scope_units_see_their_assignments_residents_their_reports(
    world: IntakeWorld, flow: WorkflowService
) -> None:
    report_id = submit(world)
    with pytest.raises(Forbidden):
        flow.get(CSCC, report_id)  # proposed to CSCC, not yet assigned
    with pytest.raises(Forbidden):
        flow.get(NEIGHBOUR, report_id)
    to_in_progress(world, flow, report_id)
    assert flow.get(CSCC, report_id).unit == "CSCC"
    with pytest.raises(Forbidden):
        flow.get(QLDT, report_id)
    assert [
        r.report_id
        for r in flow.queue(
            CSCC,
            __import__("ioc_core.field_reporting.workflow_service", fromlist=["QueueFilters"]).QueueFilters(),
        ).items
    ] == [report_id]


def test_a_reroute_is_a_transfer_and_moves_the_unit_counts(world: IntakeWorld, flow: WorkflowService) -> None:
    report_id = submit(world)
    flow.verify(OPERATOR, report_id, 1, None)
    first = flow.assign(OPERATOR, report_id, 2, "QLDT", None)
    assert first.transfers == 0  # the first assignment is not a transfer
    moved = flow.assign(OPERATOR, report_id, 3, "CSCC", "sai đơn vị")
    assert moved.transfers == 1
    event = world.repo.outbox[-1]
    change = detail_deltas(event)
    assert change[(PK, "unit#QLDT")] == {"total": -1, "status_assigned": -1, "transfers_out": 1}
    assert change[(PK, "unit#CSCC")] == {"total": 1, "status_assigned": 1, "transfers_in": 1}
    assert change[(PK, "all")] == {"transfers": 1}


def test_resolve_rate_dispute_and_the_on_time_counts(world: IntakeWorld, flow: WorkflowService) -> None:
    report_id = submit(world)
    to_in_progress(world, flow, report_id)
    world.photos.put("uploads/" + "a" * 32, PNG, "image/png")
    resolved = flow.resolve(CSCC, report_id, 4, "Đã thay bóng", "uploads/" + "a" * 32)
    assert resolved.after_photos == [
        Photo(key="uploads/" + "a" * 32, content_type="image/png", size=len(PNG))
    ]
    assert resolved.sla is not None and resolved.sla.resolve is not None and resolved.sla.resolve.stopped_at
    assert world.repo.outbox[-1].data["on_time"] is True
    rated = flow.rate(RESIDENT, report_id, 5, 5, "Tốt")
    assert rated.rating is not None and rated.rating.by == "AC-1"
    world.clock.at = MONDAY_9AM + timedelta(days=1)
    reopened = flow.dispute(RESIDENT, report_id, 6, "Lại hỏng")
    assert reopened.status.value == "reopened" and reopened.reopened == 1
    change = detail_deltas(world.repo.outbox[-1])
    assert change[(PK, "all")] == {"resolved_on_time": -1, "reopened": 1}
    world.clock.at = MONDAY_9AM + timedelta(days=30)
    flow.start(CSCC, report_id, 7, None)
    flow.resolve(CSCC, report_id, 8, "Đã thay lại", "uploads/" + "a" * 32)
    world.clock.at = MONDAY_9AM + timedelta(days=40)
    assert "dispute" not in flow.allowed_actions(RESIDENT, world.repo.reports[report_id])
    with pytest.raises(Conflict, match="7 days"):
        dispute(world.repo.reports[report_id], by="resident", at=world.clock.at, comment="x")


def test_merged_reporters_follow_and_rate_the_master(world: IntakeWorld, flow: WorkflowService) -> None:
    master = submit(world)
    duplicate = submit(world, account="AC-2", lat=10.9281)
    grown, closed = flow.merge(OPERATOR, duplicate, 1, master, None)
    assert closed.merged_into == master and closed.status.value == "rejected"
    assert grown.followers == ["AC-2"] and grown.merged == [duplicate]
    assert flow.get(NEIGHBOUR, master).report_id == master
    flow.verify(OPERATOR, master, 2, None)
    flow.assign(OPERATOR, master, 3, "CSCC", None)
    flow.start(CSCC, master, 4, None)
    world.photos.put("uploads/" + "b" * 32, PNG, "image/png")
    flow.resolve(CSCC, master, 5, "Xong", "uploads/" + "b" * 32)
    flow.rate(NEIGHBOUR, master, 6, 2, "Chưa ổn")
    rated = flow.rate(RESIDENT, master, 7, 5, None)
    assert {(r.by, r.score) for r in rated.ratings} == {("AC-2", 2), ("AC-1", 5)}
    assert "withdraw" not in flow.allowed_actions(NEIGHBOUR, rated)


def test_the_sla_job_warns_at_80_and_escalates_at_100_percent_once(
    world: IntakeWorld, flow: WorkflowService
) -> None:
    report_id = submit(world)  # verify clock: 8 working hours from Monday 09:00
    cal = default_calendar()
    assert sla_monitor(world.repo, cal, MONDAY_9AM + timedelta(hours=2)).warnings == 0
    at_80 = cal.add_hours(MONDAY_9AM, 6.5)
    run = sla_monitor(world.repo, cal, at_80)
    assert (run.warnings, run.escalations) == (1, 0)
    assert sla_monitor(world.repo, cal, at_80).warnings == 0  # raised once
    late = cal.add_hours(MONDAY_9AM, 9)
    run = sla_monitor(world.repo, cal, late)
    assert (run.warnings, run.escalations, run.overdue) == (0, 1, [report_id])
    assert sla_monitor(world.repo, cal, late + timedelta(hours=1)).escalations == 0
    kinds = [e.short_type for e in world.repo.outbox]
    assert kinds.count(events.SLA_WARNING) == 1 and kinds.count(events.SLA_ESCALATED) == 1
    sequences = [int(e.sequence or 0) for e in world.repo.outbox]
    assert sequences == list(range(1, len(sequences) + 1))
    assert world.repo.reports[report_id].version == len(sequences)


def test_notifications_of_every_status_change_once(world: IntakeWorld, flow: WorkflowService) -> None:
    report_id = submit(world)
    to_in_progress(world, flow, report_id)
    inbox, sender = InMemoryInbox(), RecordingSender()
    notifier = Notifier(world.repo, inbox, sender, clock=world.clock.now)
    notifier.handle(world.repo.outbox)
    notifier.handle(world.repo.outbox)  # redelivered: nothing twice
    mine = [n for (r, _), n in inbox.items.items() if r == "account:AC-1"]
    assert sorted(n.status.value for n in mine if n.status) == ["assigned", "in_progress", "verified"]
    assert len(sender.sent) == 3 and sender.sent[0][0] == "+84912345678"
    assert ("unit:CSCC" in {r for r, _ in inbox.items}) and ("role:operator" in {r for r, _ in inbox.items})


def test_a_notification_says_each_thing_once_and_keeps_its_due_time_as_data(
    world: IntakeWorld, flow: WorkflowService
) -> None:
    report_id = submit(world)
    cal = default_calendar()
    sla_monitor(world.repo, cal, cal.add_hours(MONDAY_9AM, 6.5))  # 80 % of the verify clock
    flow.verify(OPERATOR, report_id, 2, None)
    flow.assign(OPERATOR, report_id, 3, "CSCC", None)
    inbox, sender = InMemoryInbox(), RecordingSender()
    Notifier(world.repo, inbox, sender, clock=world.clock.now).handle(world.repo.outbox)
    notes = list(inbox.items.values())
    for n in notes:  # the body never restates the title ("Đã chuyển xử lý | Đã chuyển xử lý")
        assert n.body is None or n.body.vi not in n.title.vi, n
        assert "+07:00" not in n.title.vi + (n.body.vi if n.body else ""), n  # no raw date in text
    assigned = next(
        n for n in notes if n.recipient == "unit:CSCC" and n.status and n.status.value == "assigned"
    )
    assert (assigned.title.vi, assigned.body) == (f"Phản ánh {report_id}: Đã chuyển xử lý", None)
    warning = next(n for n in notes if n.kind == "sla_warning")
    clock = world.repo.reports[report_id].sla.verify
    assert clock is not None
    assert warning.body is None and warning.due_at == clock.due_at
    assert f"Phản ánh {report_id}: Đã chuyển xử lý" in [text for _, text in sender.sent]  # no ". label"


def test_a_backlog_of_old_events_reaches_the_inbox_without_texting_anyone(
    world: IntakeWorld, flow: WorkflowService
) -> None:
    report_id = submit(world)
    to_in_progress(world, flow, report_id)
    inbox, sender = InMemoryInbox(), RecordingSender()
    later = world.clock.now() + timedelta(days=2)  # a consumer catching up on two-day-old events
    Notifier(world.repo, inbox, sender, clock=lambda: later).handle(world.repo.outbox)
    mine = [n for (r, _), n in inbox.items.items() if r == "account:AC-1"]
    assert len([n for n in mine if n.status]) == 3 and sender.sent == []


def test_verify_and_assign_in_one_change(world: IntakeWorld, flow: WorkflowService) -> None:
    report_id = submit(world)
    before = len(world.repo.outbox)
    with pytest.raises(ValidationFailed):
        flow.verify(OPERATOR, report_id, 1, None, unit="NOPE")
    assert world.repo.get(report_id).status.value == "received"  # type: ignore[union-attr]
    done = flow.verify(OPERATOR, report_id, 1, "Đúng hiện trường", unit="CSCC")
    assert done.status.value == "assigned" and done.unit == "CSCC" and done.version == 3
    assert [h.action for h in done.history][-2:] == ["verify", "assign"]
    assert [h.note for h in done.history][-2:] == ["Đúng hiện trường", None]
    fresh = world.repo.outbox[before:]
    assert [e.data["status"] for e in fresh] == ["verified", "assigned"]
    assert [int(e.sequence or 0) for e in fresh] == [2, 3]
    assert flow.queue(CSCC, QueueFilters()).items[0].report_id == report_id  # in the unit's queue


def test_an_internal_note_is_for_staff_only(world: IntakeWorld, flow: WorkflowService) -> None:
    from ioc_core.field_reporting import disclosure
    from ioc_core.field_reporting.models import Visibility

    report_id = submit(world)
    before = len(world.repo.outbox)
    noted = flow.note(OPERATOR, report_id, 1, "Đã gọi điện cho tổ dân phố, chờ xác nhận")
    step = noted.history[-1]
    assert (step.action, step.status.value, step.visibility) == ("note", "received", Visibility.STAFF)
    assert len(world.repo.outbox) == before  # no event: nothing leaves the city's staff
    assert not disclosure.shown_to_reporter(step) and disclosure.public_note(step) is None
    assert "note" not in flow.allowed_actions(CSCC, noted)  # not their unit's report
    with pytest.raises(StaleVersion):
        flow.note(RESIDENT, report_id, 2, "xin chào")


def test_a_unit_hands_a_wrongly_routed_report_back(world: IntakeWorld, flow: WorkflowService) -> None:
    from ioc_core.field_reporting.notifications import OPERATORS, recipients

    report_id = submit(world)
    flow.verify(OPERATOR, report_id, 1, None, unit="CSCC")
    assert "hand_back" in flow.allowed_actions(CSCC, world.repo.get(report_id))  # type: ignore[arg-type]
    assert "hand_back" not in flow.allowed_actions(OPERATOR, world.repo.get(report_id))  # type: ignore[arg-type]
    with pytest.raises(Forbidden):  # another unit's report: out of their reach
        flow.hand_back(QLDT, report_id, 3, "Không phải của chúng tôi")
    back = flow.hand_back(CSCC, report_id, 3, "Đèn này do phường quản lý, không phải công ty")
    step = back.history[-1]
    assert (back.status.value, back.unit) == ("verified", None)
    assert (step.action, step.unit, step.visibility.value) == ("hand_back", "CSCC", "staff")
    assert flow.queue(CSCC, QueueFilters()).items == []  # gone from the unit's queue
    with pytest.raises(Forbidden):
        flow.get(CSCC, report_id)
    event = world.repo.outbox[-1]
    assert event.data["note"] is None  # the reason stays with staff
    assert recipients(event, back) == [OPERATORS]  # the resident is not told "verified" again
    again = flow.assign(OPERATOR, report_id, 4, "QLDT", None)
    assert again.status.value == "assigned" and again.unit == "QLDT"


def test_a_person_inside_the_unit_takes_the_report(world: IntakeWorld, flow: WorkflowService) -> None:
    report_id = submit(world)
    assert "assign_person" not in flow.allowed_actions(OPERATOR, world.repo.get(report_id))  # type: ignore[arg-type]
    flow.verify(OPERATOR, report_id, 1, None, unit="CSCC")
    taken = flow.assign_person(CSCC, report_id, 3, "cscc")
    step = taken.history[-1]
    assert (taken.assignee, taken.status.value, step.action, step.assignee) == (
        "cscc",
        "assigned",
        "assign_person",
        "cscc",
    )
    assert world.repo.outbox[-1].data.get("assigned") is True and "cscc" not in str(
        world.repo.outbox[-1].data
    )
    mine = flow.queue(CSCC, QueueFilters(assignee="cscc"))
    assert [r.report_id for r in mine.items] == [report_id] and mine.total == 1
    assert flow.queue(CSCC, QueueFilters(assignee="someone")).items == []
    with pytest.raises(Conflict):
        flow.assign_person(CSCC, report_id, 4, "cscc")
    with pytest.raises(Forbidden):
        flow.assign_person(QLDT, report_id, 4, "qldt")
    moved = flow.assign(OPERATOR, report_id, 4, "QLDT", None)
    assert moved.assignee is None  # another unit: its own people take it


def test_a_resident_follows_an_open_report_once_and_hears_of_its_changes(
    world: IntakeWorld, flow: WorkflowService
) -> None:
    report_id = submit(world)
    with pytest.raises(Forbidden):
        flow.get(NEIGHBOUR, report_id)  # not theirs before they follow it
    followed = flow.follow(NEIGHBOUR, report_id.lower())  # typed off a receipt
    assert followed.followers == ["AC-2"] and followed.version == 2
    again = flow.follow(NEIGHBOUR, report_id)
    assert again.version == 2 and again.followers == ["AC-2"]  # idempotent: nothing stored
    assert flow.follow(RESIDENT, report_id).followers == ["AC-2"]  # the reporter follows already
    assert world.repo.outbox[-1].short_type == events.SUBMITTED  # no event, no history step
    assert len(world.repo.reports[report_id].history) == 1
    assert flow.get(NEIGHBOUR, report_id).report_id == report_id
    flow.verify(OPERATOR, report_id, 2, None)
    inbox = InMemoryInbox()
    Notifier(world.repo, inbox, RecordingSender(), clock=world.clock.now).handle(world.repo.outbox)
    theirs = [n for (r, _), n in inbox.items.items() if r == "account:AC-2"]
    assert [n.status.value for n in theirs if n.status] == ["verified"]


def test_a_closed_or_merged_report_cannot_be_followed(world: IntakeWorld, flow: WorkflowService) -> None:
    master, duplicate = submit(world), submit(world, account="AC-3", lat=10.9281)
    flow.merge(OPERATOR, duplicate, 1, master, None)
    with pytest.raises(Conflict, match=master):
        flow.follow(NEIGHBOUR, duplicate)
    rejected = submit(world, lat=10.9282)
    flow.reject(OPERATOR, rejected, 1, "false_report", "Không đúng")
    with pytest.raises(Conflict, match="closed"):
        flow.follow(NEIGHBOUR, rejected)
    with pytest.raises(NotFound):
        flow.follow(NEIGHBOUR, "PT-NOPE0000")
