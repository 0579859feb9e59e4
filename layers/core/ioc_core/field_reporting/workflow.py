"""The report life cycle as data, and the pure functions that move a report along it."""

from __future__ import annotations

from datetime import datetime

from ioc_core.field_reporting import events
from ioc_core.field_reporting.models import HistoryEntry, Rating, Report, ReportStatus
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import Conflict

S = ReportStatus
ALLOWED: dict[ReportStatus, frozenset[ReportStatus]] = {
    S.RECEIVED: frozenset({S.VERIFIED, S.REJECTED, S.WITHDRAWN}),
    S.VERIFIED: frozenset({S.ASSIGNED, S.REJECTED, S.WITHDRAWN}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.ASSIGNED, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.ASSIGNED}),
    S.RESOLVED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ASSIGNED, S.IN_PROGRESS}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def transition(
    report: Report, to: ReportStatus, *, actor: str, at: datetime, note: str | None = None
) -> tuple[Report, CloudEvent]:
    """The report after the move and its event; Conflict (409) names what is allowed."""
    allowed = ALLOWED[report.status]
    if to not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "nothing (final state)"
        raise Conflict(f"A report in '{report.status.value}' cannot become '{to.value}'; allowed: {names}.")
    previous = report.status
    moved = report.model_copy(
        update={
            "status": to,
            "status_notes": note or report.status_notes,
            "updated_at": at,
            "closed_at": at if to.is_closed else None,
            "history": [*report.history, HistoryEntry(at=at, status=to, actor=actor, note=note)],
            "version": report.version + 1,
        }
    )
    return moved, events.status_changed(moved, previous, note)


def rate(report: Report, *, score: int, comment: str | None, at: datetime) -> tuple[Report, CloudEvent]:
    if report.status is not ReportStatus.RESOLVED:
        raise Conflict(f"Only a resolved report can be rated; this one is '{report.status.value}'.")
    previous = report.rating.score if report.rating else None
    moved = report.model_copy(
        update={
            "rating": Rating(score=score, comment=comment, at=at),
            "updated_at": at,
            "version": report.version + 1,
        }
    )
    return moved, events.rated(moved, previous)
