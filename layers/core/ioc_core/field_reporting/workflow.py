"""The report life cycle as data, and the pure functions that move a report along it.

Every move returns the changed report (version + 1) and the CloudEvent that records it; the
caller stores both with ``repo.save(report, events, expected_version)``. An illegal move
is a Conflict (409) that names the moves allowed from the current status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from ioc_core.field_reporting import disclosure, events
from ioc_core.field_reporting.models import HistoryEntry, Photo, Rating, Report, ReportStatus, Visibility
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

# A unit hands a wrongly routed report back to the operators from these (a move no one else
# makes: it is not in ALLOWED, which also says what operators may do).
HANDED_BACK_FROM = frozenset({S.ASSIGNED, S.IN_PROGRESS})

# Actions of the API and the status each leads to (None: the status stays).
ACTION_TARGETS: Mapping[str, ReportStatus | None] = {
    "verify": S.VERIFIED,
    "reject": S.REJECTED,
    "assign": S.ASSIGNED,
    "start": S.IN_PROGRESS,
    "resolve": S.RESOLVED,
    "dispute": S.REOPENED,
    "withdraw": S.WITHDRAWN,
    "merge": S.REJECTED,
    "rate": None,
    "request_info": None,
    "provide_info": None,
    "note": None,  # an internal note: staff only, the status stays
    "hand_back": S.VERIFIED,  # a unit returns a wrongly routed report to the operators
    "assign_person": None,  # who inside the unit works on it; the status stays
}
# A person inside the unit is named while the unit has the work.
PERSON_WHILE = frozenset({S.ASSIGNED, S.IN_PROGRESS, S.REOPENED})
REJECT_REASONS = (
    "out_of_scope",
    "not_competent",
    "duplicate",
    "false_report",
    "insufficient_info",
    "complaint",
)
WITHDRAW_REASONS = ("fixed_already", "reported_by_mistake", "other")
DISPUTE_WINDOW = timedelta(days=7)
RATE_WINDOW = timedelta(days=30)


def allowed_targets(status: ReportStatus) -> list[str]:
    return sorted(s.value for s in ALLOWED[status])


def transition(
    report: Report,
    to: ReportStatus,
    *,
    actor: str,
    at: datetime,
    note: str | None = None,
    action: str | None = None,
    role: str | None = None,
    reason: str | None = None,
    unit: str | None = None,
    photo: str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> tuple[Report, CloudEvent]:
    """The report after the move and its event; Conflict (409) names what is allowed."""
    allowed = ALLOWED[report.status]
    handed_back = action == "hand_back" and to is S.VERIFIED and report.status in HANDED_BACK_FROM
    if to not in allowed and not handed_back:
        names = ", ".join(sorted(s.value for s in allowed)) or "nothing (final state)"
        raise Conflict(f"A report in '{report.status.value}' cannot become '{to.value}'; allowed: {names}.")
    previous = report.status
    entry = HistoryEntry(
        at=at,
        status=to,
        actor=actor,
        note=note,
        action=action,
        role=role,
        reason=reason,
        unit=unit,
        photo=photo,
    )
    public = note if entry.visibility is Visibility.PUBLIC else None
    moved = report.model_copy(
        update={
            "status": to,
            "status_notes": public or report.status_notes,  # the last note the public may read
            "updated_at": at,
            "closed_at": at if to.is_closed else None,
            "history": [*report.history, entry],
            "version": report.version + 1,
            **(changes or {}),
        }
    )
    return moved, events.status_changed(moved, previous, disclosure.mask_personal(public), before=report)


def assign(
    report: Report, unit: str, *, actor: str, at: datetime, note: str | None = None, role: str | None = None
) -> tuple[Report, CloudEvent]:
    """Assign to a unit, or re-route: a move between units after an assignment is a transfer."""
    was_assigned = any(h.action == "assign" for h in report.history) or report.status in (
        S.ASSIGNED,
        S.IN_PROGRESS,
    )
    if report.status is S.ASSIGNED and report.unit == unit:
        raise Conflict(f"The report is already assigned to '{unit}'.")
    transfer = was_assigned and report.unit is not None and report.unit != unit
    return transition(
        report,
        S.ASSIGNED,
        actor=actor,
        at=at,
        note=note,
        action="assign",
        role=role,
        unit=unit,
        changes={
            "unit": unit,
            "transfers": report.transfers + int(transfer),
            # Another unit's staff are not this one's: a move elsewhere clears the person.
            "assignee": report.assignee if report.unit == unit else None,
        },
    )


def hand_back(
    report: Report, *, reason: str, actor: str, at: datetime, role: str | None = None
) -> tuple[Report, CloudEvent]:
    """Back to the operators' queue, verified and unassigned, with the unit's reason (staff
    only); the unit that handed it back is named in the step."""
    if report.status not in HANDED_BACK_FROM:
        raise Conflict(
            f"Only an assigned report or one in progress can be handed back, not '{report.status.value}'."
        )
    return transition(
        report, S.VERIFIED, actor=actor, at=at, note=reason, action="hand_back", role=role,
        unit=report.unit, changes={"unit": None, "assignee": None},
    )  # fmt: skip


def resolve(
    report: Report, *, note: str, after_photo: Photo, actor: str, at: datetime, role: str | None = None
) -> tuple[Report, CloudEvent]:
    """Closed is not fixed: a resolution carries what was done and a photo of the result."""
    return transition(
        report,
        S.RESOLVED,
        actor=actor,
        at=at,
        note=note,
        action="resolve",
        role=role,
        photo=after_photo.key,
        changes={"resolution_note": note, "after_photos": [*report.after_photos, after_photo]},
    )


def dispute(report: Report, *, by: str, at: datetime, comment: str) -> tuple[Report, CloudEvent]:
    """ "Not fixed": a following resident reopens a resolution within the dispute window."""
    if report.status is S.RESOLVED and report.closed_at and at - report.closed_at > DISPUTE_WINDOW:
        raise Conflict(
            f"A resolution can be disputed within {DISPUTE_WINDOW.days} days; this one is older."
            " Submit a new report instead."
        )
    return transition(
        report,
        S.REOPENED,
        actor=by,
        at=at,
        note=comment,
        action="dispute",
        role="resident",
        reason="not_fixed",
        changes={"reopened": report.reopened + 1, "waiting_on_resident": False},
    )


def rate(
    report: Report, *, score: int, comment: str | None, at: datetime, by: str | None = None
) -> tuple[Report, CloudEvent]:
    """A following resident rates a resolution; a second rating by the same resident replaces
    theirs. The reporter's rating is also the report's ``rating``."""
    if report.status is not ReportStatus.RESOLVED:
        raise Conflict(f"Only a resolved report can be rated; this one is '{report.status.value}'.")
    if by is not None and report.closed_at and at - report.closed_at > RATE_WINDOW:
        raise Conflict(f"A resolution can be rated within {RATE_WINDOW.days} days; this one is older.")
    rating = Rating(score=score, comment=comment, at=at, by=by)
    primary = by is None or by == report.reporter.account_id
    earlier = next((r for r in report.ratings if r.by == by), None) if by is not None else None
    if primary and earlier is None and report.rating is not None:
        earlier = report.rating
    previous = earlier.score if earlier else None
    ratings = [r for r in report.ratings if by is None or r.by != by]
    if by is not None:
        ratings.append(rating)
    moved = report.model_copy(
        update={
            "rating": rating if primary else report.rating,
            "ratings": ratings,
            "updated_at": at,
            "version": report.version + 1,
        }
    )
    return moved, events.rated(moved, previous, rating)


def noted(
    report: Report,
    action: str,
    *,
    actor: str,
    at: datetime,
    note: str | None,
    role: str | None = None,
    changes: Mapping[str, Any] | None = None,
    unit: str | None = None,
    assignee: str | None = None,
) -> Report:
    """A step that keeps the status (request or provide information, merge into a master)."""
    entry = HistoryEntry(
        at=at, status=report.status, actor=actor, note=note, action=action, role=role, unit=unit,
        assignee=assignee,
    )  # fmt: skip
    return report.model_copy(
        update={
            "updated_at": at,
            "history": [*report.history, entry],
            "version": report.version + 1,
            **(changes or {}),
        }
    )
