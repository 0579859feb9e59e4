"""The report life cycle: which moves are legal, what a move and a rating record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakes import MONDAY_9AM, new_report
from ioc_core.field_reporting.models import HistoryEntry, Report, ReportStatus
from ioc_core.field_reporting.workflow import rate, transition
from ioc_core.shared.cloudevents import TYPE_PREFIX
from ioc_core.shared.errors import Conflict

pytestmark = pytest.mark.unit

S = ReportStatus
LATER = MONDAY_9AM + timedelta(hours=3)
# The life cycle as the city runs it, written out independently of workflow.ALLOWED.
LIFECYCLE: dict[ReportStatus, set[ReportStatus]] = {
    S.RECEIVED: {S.VERIFIED, S.REJECTED, S.WITHDRAWN},
    S.VERIFIED: {S.ASSIGNED, S.REJECTED, S.WITHDRAWN},
    S.ASSIGNED: {S.IN_PROGRESS, S.ASSIGNED, S.WITHDRAWN},
    S.IN_PROGRESS: {S.RESOLVED, S.ASSIGNED},
    S.RESOLVED: {S.REOPENED},
    S.REOPENED: {S.ASSIGNED, S.IN_PROGRESS},
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}
LEGAL = [(a, b) for a, targets in LIFECYCLE.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a in S for b in S if b not in LIFECYCLE[a]]


def in_status(status: ReportStatus, version: int = 4) -> Report:
    return new_report().model_copy(update={"status": status, "version": version})


def resolved() -> Report:
    return in_status(S.RESOLVED)


@pytest.mark.parametrize(("start", "to"), LEGAL)
def test_a_legal_move_records_status_history_version_and_event(start: ReportStatus, to: ReportStatus) -> None:
    report = in_status(start)

    moved, event = transition(report, to, actor="officer:an", at=LATER, note="đã kiểm tra")

    assert moved.status is to
    assert moved.version == 5
    assert moved.updated_at == LATER
    assert moved.status_notes is None  # a note without a step that makes it public stays inside
    assert moved.history[-1] == HistoryEntry(at=LATER, status=to, actor="officer:an", note="đã kiểm tra")
    assert moved.history[-1].visibility == "staff"
    assert len(moved.history) == len(report.history) + 1
    assert event.type == f"{TYPE_PREFIX}field_reporting.report.status_changed"
    assert event.subject == report.report_id
    assert event.sequence == "000000000005"
    assert event.data["from"] == start.value
    assert event.data["to"] == to.value
    assert report.status is start  # the input is left alone


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_an_illegal_move_is_a_conflict_naming_what_is_allowed(start: ReportStatus, to: ReportStatus) -> None:
    with pytest.raises(Conflict) as error:
        transition(in_status(start), to, actor="officer:an", at=LATER)

    allowed = ", ".join(sorted(s.value for s in LIFECYCLE[start])) or "nothing (final state)"
    assert error.value.message.endswith(f"allowed: {allowed}.")
    assert error.value.status == 409


def test_conflict_message_lists_the_allowed_states() -> None:
    with pytest.raises(Conflict, match=r"allowed: rejected, verified, withdrawn\.$"):
        transition(in_status(S.RECEIVED), S.RESOLVED, actor="officer:an", at=LATER)


@pytest.mark.parametrize(("start", "to"), [(S.IN_PROGRESS, S.RESOLVED), (S.RECEIVED, S.REJECTED)])
def test_closing_stamps_closed_at(start: ReportStatus, to: ReportStatus) -> None:
    moved, _ = transition(in_status(start), to, actor="officer:an", at=LATER)
    assert moved.closed_at == LATER


def test_withdrawing_stamps_closed_at() -> None:
    moved, _ = transition(in_status(S.VERIFIED), S.WITHDRAWN, actor="citizen", at=LATER)
    assert moved.closed_at == LATER


def test_reopening_clears_closed_at_and_keeps_the_last_note() -> None:
    closed, _ = transition(
        in_status(S.IN_PROGRESS), S.RESOLVED, actor="o", at=LATER, note="đã thay bóng", action="resolve"
    )
    reopened, _ = transition(closed, S.REOPENED, actor="citizen", at=LATER + timedelta(days=1))

    assert reopened.closed_at is None
    assert reopened.status_notes == "đã thay bóng"
    assert reopened.version == closed.version + 1


@pytest.mark.parametrize("status", [s for s in S if s is not S.RESOLVED])
def test_only_a_resolved_report_can_be_rated(status: ReportStatus) -> None:
    with pytest.raises(Conflict, match=status.value):
        rate(in_status(status), score=5, comment=None, at=LATER)


def test_rating_records_score_and_bumps_the_version() -> None:
    rated, event = rate(resolved(), score=5, comment="Nhanh lắm", at=LATER)

    assert rated.rating is not None
    assert (rated.rating.score, rated.rating.comment, rated.rating.at) == (5, "Nhanh lắm", LATER)
    assert rated.version == 5
    assert rated.status is S.RESOLVED
    assert event.type == f"{TYPE_PREFIX}field_reporting.report.rated"
    assert event.sequence == "000000000005"
    assert event.data["score"] == 5
    assert event.data["previous_score"] is None


def test_re_rating_replaces_and_carries_the_previous_score() -> None:
    first, _ = rate(resolved(), score=2, comment=None, at=LATER)
    second, event = rate(first, score=4, comment="Đã ổn", at=LATER + timedelta(hours=1))

    assert second.rating is not None
    assert second.rating.score == 4
    assert second.version == first.version + 1
    assert event.data["score"] == 4
    assert event.data["previous_score"] == 2
