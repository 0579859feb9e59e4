"""Workflow use cases: operators verify and route, units work and resolve, residents rate,
dispute, withdraw and answer; merges, SLA clocks, scope and optimistic locking.

Every change is one ``repo.save(report, events, expected_version)`` (a merge: one
``save_many``): the report and its CloudEvents in one transaction, never a dual write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from ioc_core.field_reporting import events, sla, workflow
from ioc_core.field_reporting import permissions as perm
from ioc_core.field_reporting import search as report_search
from ioc_core.field_reporting.access import assigned_within, require_scope
from ioc_core.field_reporting.catalogue import Catalogue
from ioc_core.field_reporting.duplicates import Candidate, nearby_open
from ioc_core.field_reporting.models import Page, Photo, Report, ReportStatus, ServiceDefinition
from ioc_core.field_reporting.ports import (
    PhotoStore,
    ReportQuery,
    ReportRepository,
    SearchIndex,
    UnitMember,
    UnitStaff,
    VersionConflict,
)
from ioc_core.field_reporting.routing import Router
from ioc_core.field_reporting.service import UPLOAD_PREFIX, find_report, sniff_image
from ioc_core.identity.principal import RESIDENT, Principal
from ioc_core.platform.access import Reach
from ioc_core.shared import errors
from ioc_core.shared.clock import Clock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    PreconditionRequired,
    Unprocessable,
    ValidationFailed,
)

S = ReportStatus
_Frozen = TypeVar("_Frozen", ReportQuery, "QueueFilters")
OPEN_STATUSES = (S.RECEIVED, S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED)
MAX_SCAN = 1000
FOLLOW_ATTEMPTS = 3
MAX_EXPORT = 5000
EXPORT_PAGE = 100
OFFSET_PAGE = "offset:"  # a page token of a list known whole (a search, overdue): its offset


class StaleVersion(errors.StaleVersion):
    """The report changed since the caller read it (or the move is not allowed now): the 409
    adds what the caller may do with it now."""

    def __init__(self, message: str, current_version: int, allowed_actions: list[str]) -> None:
        super().__init__(message, current_version)
        self.allowed_actions = allowed_actions

    def extensions(self) -> dict[str, Any]:
        return super().extensions() | {"allowed_actions": self.allowed_actions}


@dataclass(frozen=True)
class Caller:
    """Who acts: the principal, the role acting (for the history) and the permission of the
    route it came through (how far the caller reaches here)."""

    principal: Principal
    role: str
    permission: str = perm.REPORTS_READ

    @property
    def actor(self) -> str:
        if self.role == RESIDENT:
            return "resident"  # history shown to others never names a resident
        return f"{self.role}:{self.principal.username or self.principal.sub}"

    def reach(self, permission: str | None = None) -> Reach:
        return self.principal.reach(permission or self.permission)


@dataclass(frozen=True)
class QueueFilters:
    statuses: tuple[ReportStatus, ...] = ()
    ward: str | None = None
    category: str | None = None
    unit: str | None = None
    overdue: bool | None = None
    limit: int = 25
    cursor: str | None = None
    q: str | None = None  # a report id, a phone number (personal-data access) or words
    assignee: str | None = None  # only the reports this staff member works on
    counted: bool = True  # the page says how many match in all (``total``)


@dataclass(frozen=True)
class _Matches:
    """Every match of a list known whole, in order, and the reports already read of them."""

    ids: list[str]
    total: int | None
    loaded: dict[str, Report] = field(default_factory=dict)


@dataclass
class WorkflowService:
    repo: ReportRepository
    photos: PhotoStore
    catalogue: Catalogue
    router: Router
    calendar: sla.HolidayCalendar
    clock: Clock
    search: SearchIndex | None = None
    # Who works in each unit (identity's directory behind the port); None knows nobody, so
    # nobody can be named: a service built without one refuses rather than trusting a name.
    staff: UnitStaff | None = None
    _require_version: bool = field(default=True)

    # -- reading ------------------------------------------------------------------------------
    def get(self, caller: Caller, report_id: str) -> Report:
        report = find_report(self.repo, report_id)
        if report is None:
            raise NotFound(f"No report '{report_id}'.")
        require_scope(caller.principal, report, caller.permission)
        return report

    def queue(self, caller: Caller, filters: QueueFilters) -> Page:
        """A page of the caller's queue and how many match in all (``total``)."""
        unit, ward = _narrowed(caller.reach(perm.REPORTS_READ), filters.unit, filters.ward)
        if filters.q is None and filters.overdue is None:
            query = _queue_query(filters, unit, ward)
            page = self.repo.query(query)
            total = self.repo.count(_with(query, token=None)) if filters.counted else None
            return page.model_copy(update={"total": total})
        found = self._matches(caller, filters, unit, ward)
        offset = _page_offset(filters.cursor)
        after = offset + filters.limit
        return Page(
            items=self._reports(found.ids[offset:after], found.loaded),
            next_token=f"{OFFSET_PAGE}{after}" if after < len(found.ids) else None,
            total=found.total,
        )

    def export(self, caller: Caller, filters: QueueFilters) -> list[Report]:
        """Every report the queue's filters match, in the queue's order; past ``MAX_EXPORT`` the
        caller is asked to narrow the filters rather than given a file cut short."""
        unit, ward = _narrowed(caller.reach(perm.REPORTS_READ), filters.unit, filters.ward)
        if filters.q is not None or filters.overdue is not None:  # every match is known at once
            found = self._matches(caller, filters, unit, ward)
            _within_export(len(found.ids))
            return self._reports(found.ids, found.loaded)
        page = self.queue(caller, _with(filters, limit=EXPORT_PAGE, cursor=None))
        _within_export(page.total or 0)
        reports = list(page.items)
        while page.next_token is not None and len(reports) <= MAX_EXPORT:
            more = _with(filters, limit=EXPORT_PAGE, cursor=page.next_token, counted=False)
            page = self.queue(caller, more)
            reports += page.items
        return reports[:MAX_EXPORT]

    def _matches(self, caller: Caller, filters: QueueFilters, unit: str | None, ward: str | None) -> _Matches:
        """Every match of a filter the report indexes cannot apply, in the queue's order: words
        (the search index; every status unless the caller names some: a resident calls about a
        resolved report too) or overdue (read from the queue, at most ``MAX_SCAN`` reports)."""
        now = self.clock.now()
        if filters.q is not None:
            if self.search is None:
                raise ValidationFailed("Tìm kiếm chưa sẵn sàng / Search is not set up here.")
            wanted = report_search.parse(filters.q, caller.principal.can(perm.PERSONAL_DATA_READ))
            kept = report_search.Filters(
                filters.statuses, ward, unit, filters.category, filters.overdue, filters.assignee
            )
            found = report_search.find(self.search, wanted, kept, now)
            return _Matches(found.report_ids, found.total)
        every = self.repo.query(_with(_queue_query(filters, unit, ward), token=None, limit=MAX_SCAN))
        matching = [r for r in every.items if sla.overdue(r, now) == filters.overdue]
        total = None if every.next_token else len(matching)  # past MAX_SCAN: not all counted
        return _Matches([r.report_id for r in matching], total, {r.report_id: r for r in matching})

    def _reports(self, ids: list[str], loaded: dict[str, Report]) -> list[Report]:
        """The reports of ``ids`` in that order, read (one batch get) where not loaded already."""
        missing = tuple(i for i in ids if i not in loaded)
        found = dict(loaded)
        if missing:
            read = self.repo.query(ReportQuery(report_ids=missing, limit=len(missing))).items
            found |= {r.report_id: r for r in read}
        return [found[i] for i in ids if i in found]

    def overdue(self, caller: Caller, clock: str | None, unit: str | None, warned: bool) -> list[Report]:
        """Open reports past due (and, with ``warned``, past 80 %), most overdue first."""
        unit, ward = _narrowed(caller.reach(perm.REPORTS_READ), unit, None)
        now, found = self.clock.now(), []
        query = ReportQuery(statuses=OPEN_STATUSES, unit_code=unit, ward_code=ward, limit=MAX_SCAN)
        for report in self.repo.query(query).items:
            current = sla.active_clock(report.sla)
            if clock and (current is None or current[0] != clock):
                continue
            share = sla.progress(current[1], now, self.calendar) if current else 0.0
            if sla.overdue(report, now) or (warned and share >= sla.WARN_AT):
                found.append((share, report))
        found.sort(key=lambda pair: pair[0], reverse=True)
        return [report for _, report in found]

    def mine(self, caller: Caller, limit: int, cursor: str | None) -> Page:
        return self.repo.query(ReportQuery(reporter_id=caller.principal.sub, limit=limit, token=cursor))

    def followed(self, caller: Caller, limit: int) -> list[Report]:
        """The reports the resident follows, from any device they sign in on: the latest
        followed first, at most ``limit`` (those they sent are ``mine``)."""
        return self.repo.followed(caller.principal.sub, limit)

    def duplicates(self, caller: Caller, report_id: str) -> tuple[ServiceDefinition, list[Candidate]]:
        report = self.get(caller, report_id)
        service = self._service(report)
        at = self.clock.now()
        found = nearby_open(
            self.repo, service, report.location.lat, report.location.lon, at, report.report_id
        )
        return service, found

    def nearby(self, service_code: str, lat: float, lon: float) -> tuple[ServiceDefinition, list[Candidate]]:
        service = self.catalogue.service(service_code)
        if service is None or not service.active:
            raise ValidationFailed(
                "Lĩnh vực không tồn tại / Unknown category.",
                problems=[FieldProblem("service_code", f"unknown category '{service_code}'")],
            )
        return service, nearby_open(self.repo, service, lat, lon, self.clock.now())

    def allowed_actions(self, caller: Caller, report: Report) -> list[str]:
        """What the caller may do to the report now, from what their grants allow on it."""
        status, targets = report.status, workflow.ALLOWED[report.status]
        open_now, asking = not status.is_closed, not report.waiting_on_resident
        ask, in_work = caller.reach(perm.REPORTS_ASK), status in (S.ASSIGNED, S.IN_PROGRESS, S.REOPENED)
        may_ask = asking and ((ask.city and open_now) or (in_work and assigned_within(report, ask)))
        actions: list[str] = []
        if caller.reach(perm.REPORTS_TRIAGE).city:
            actions += ["verify"] if S.VERIFIED in targets else []
            actions += ["reject"] if S.REJECTED in targets else []
            actions += ["assign"] if S.ASSIGNED in targets else []
            actions += ["request_info"] if may_ask else []
            actions += ["merge"] if S.REJECTED in targets and not report.merged else []
        if assigned_within(report, caller.reach(perm.REPORTS_WORK)):
            actions += ["start"] if S.IN_PROGRESS in targets else []
            actions += ["resolve"] if S.RESOLVED in targets else []
            actions += ["hand_back"] if status in workflow.HANDED_BACK_FROM else []
        if status in workflow.PERSON_WHILE and (
            caller.reach(perm.REPORTS_TRIAGE).city or assigned_within(report, caller.reach(perm.REPORTS_WORK))
        ):
            actions += ["assign_person"]
        if may_ask and "request_info" not in actions:
            actions += ["request_info"]
        acting = caller.reach(perm.REPORTS_TRIAGE).city or assigned_within(
            report, caller.reach(perm.REPORTS_WORK)
        )
        if acting and open_now:
            actions += ["note"]  # those who act on it keep notes for each other while it is open
        if caller.reach(perm.OWN_REPORTS).own and caller.principal.sub in report.owners:
            actions += self._resident_actions(caller, report)
        return actions

    def _resident_actions(self, caller: Caller, report: Report) -> list[str]:
        now, actions = self.clock.now(), []
        closed_at = report.closed_at
        if report.status is S.RESOLVED and closed_at:
            actions += ["rate"] if now - closed_at <= workflow.RATE_WINDOW else []
            actions += ["dispute"] if now - closed_at <= workflow.DISPUTE_WINDOW else []
        is_reporter = caller.principal.sub == report.reporter.account_id
        actions += ["withdraw"] if is_reporter and S.WITHDRAWN in workflow.ALLOWED[report.status] else []
        actions += ["reply"] if report.waiting_on_resident and not report.status.is_closed else []
        return actions

    # -- operators ------------------------------------------------------------------------------
    def verify(
        self, caller: Caller, report_id: str, version: int | None, note: str | None, unit: str | None = None
    ) -> Report:
        """Verify; with ``unit``, assign to it in the same change (one version check, one
        transaction, both steps in the history): the operator's usual move when the routing
        table already names the unit."""
        report, at = self._load(caller, report_id, version, "verify"), self.clock.now()
        state = sla.on_verified(self._sla(report), self._service(report), at, self.calendar)
        assert state.resolve is not None
        changes = {"sla": state, "expected_at": state.resolve.due_at}
        if unit is None:
            return self._move(caller, report, S.VERIFIED, at, note, action="verify", changes=changes)
        self._known_unit(unit)
        actor, role = caller.actor, caller.role
        verified, first = workflow.transition(
            report, S.VERIFIED, actor=actor, at=at, note=note, role=role, action="verify", changes=changes
        )
        assigned, second = workflow.assign(verified, unit, actor=actor, at=at, role=role)
        return self._save(caller, report, assigned, [first, second])

    def reject(self, caller: Caller, report_id: str, version: int | None, reason: str, note: str) -> Report:
        report, at = self._load(caller, report_id, version, "reject"), self.clock.now()
        changes = {"sla": sla.on_closed(self._sla(report), at), "rejection_reason": reason}
        return self._move(
            caller, report, S.REJECTED, at, note, action="reject", reason=reason, changes=changes
        )

    def assign(
        self, caller: Caller, report_id: str, version: int | None, unit: str, note: str | None
    ) -> Report:
        report, at = self._load(caller, report_id, version, "assign"), self.clock.now()
        self._known_unit(unit)
        moved, event = workflow.assign(report, unit, actor=caller.actor, at=at, note=note, role=caller.role)
        return self._save(caller, report, moved, [event])

    def merge(
        self, caller: Caller, report_id: str, version: int | None, master_id: str, note: str | None
    ) -> tuple[Report, Report]:
        duplicate, at = self._load(caller, report_id, version, "merge"), self.clock.now()
        if master_id == report_id:
            raise ValidationFailed(
                "Không thể gộp vào chính nó / A report cannot be merged into itself.",
                problems=[FieldProblem("master_id", "another report's id")],
            )
        master = self.repo.get(master_id)
        if master is None:
            raise ValidationFailed(
                "Phản ánh gốc không tồn tại / No such master report.",
                problems=[FieldProblem("master_id", f"no report '{master_id}'")],
            )
        if master.status.is_closed or master.merged_into:
            raise Conflict(
                f"The master '{master_id}' is closed ({master.status.value}); merge into an open one."
            )
        closing = {
            "merged_into": master_id,
            "rejection_reason": "duplicate",
            "sla": sla.on_closed(self._sla(duplicate), at),
        }
        closed, event = workflow.transition(
            duplicate, S.REJECTED, actor=caller.actor, at=at,
            note=note or f"Trùng với / Duplicate of {master_id}", action="merge",
            role=caller.role, reason="duplicate", changes=closing,
        )  # fmt: skip
        followers = [a for a in duplicate.owners if a not in master.owners]
        growing = {"followers": [*master.followers, *followers], "merged": [*master.merged, report_id]}
        grown = workflow.noted(
            master, "merge", actor=caller.actor, at=at, note=f"Gộp / Merged {report_id}",
            role=caller.role, changes=growing,
        )  # fmt: skip
        try:
            self.repo.save_many(
                [
                    (grown, [events.merged(grown, report_id)], master.version),
                    (closed, [event], duplicate.version),
                ]
            )
        except VersionConflict as error:
            raise self._stale(caller, report_id) from error
        return grown, closed

    # -- units and operators ---------------------------------------------------------------------
    def start(self, caller: Caller, report_id: str, version: int | None, note: str | None) -> Report:
        report, at = self._load(caller, report_id, version, "start"), self.clock.now()
        return self._move(caller, report, S.IN_PROGRESS, at, note, action="start")

    def resolve(
        self, caller: Caller, report_id: str, version: int | None, note: str, photo_key: str
    ) -> Report:
        report, at = self._load(caller, report_id, version, "resolve"), self.clock.now()
        photo = self._after_photo(photo_key)
        state = sla.on_closed(self._sla(report), at)
        changed = report.model_copy(update={"sla": state, "waiting_on_resident": False})
        moved, event = workflow.resolve(
            changed, note=note, after_photo=photo, actor=caller.actor, at=at, role=caller.role
        )
        return self._save(caller, report, moved, [event])

    def request_info(self, caller: Caller, report_id: str, version: int | None, question: str) -> Report:
        report, at = self._load(caller, report_id, version, "request_info"), self.clock.now()
        moved = workflow.noted(
            report, "request_info", actor=caller.actor, at=at, note=question, role=caller.role,
            changes={"waiting_on_resident": True, "sla": sla.paused(self._sla(report), at)},
        )  # fmt: skip
        return self._save(
            caller, report, moved, [events.info(moved, events.INFO_REQUESTED, role=caller.role)]
        )

    def hand_back(self, caller: Caller, report_id: str, version: int | None, reason: str) -> Report:
        """A unit returns a report routed to it by mistake; the operators route it again."""
        report, at = self._load(caller, report_id, version, "hand_back"), self.clock.now()
        moved, event = workflow.hand_back(report, reason=reason, actor=caller.actor, at=at, role=caller.role)
        return self._save(caller, report, moved, [event])

    def assign_person(
        self, caller: Caller, report_id: str, version: int | None, username: str | None
    ) -> Report:
        """Name who inside the unit works on the report (None: nobody yet). Unit staff take it
        themselves or pass it on; operators may name someone too. A staff-only step; its event
        names no one (the search projection reads the report). The person must be an active
        member of the report's unit in the staff directory: else a 422 naming ``username``."""
        report, at = self._load(caller, report_id, version, "assign_person"), self.clock.now()
        if username is not None and username != report.assignee:
            self._require_member(report.unit, username)
        if username == report.assignee:
            raise Conflict(f"The report is already with '{username}'." if username else "Nobody has it yet.")
        moved = workflow.noted(
            report, "assign_person", actor=caller.actor, at=at, note=None, role=caller.role,
            changes={"assignee": username}, unit=report.unit, assignee=username,
        )  # fmt: skip
        return self._save(caller, report, moved, [events.assignee_changed(moved)])

    def unit_members(self, caller: Caller, unit: str) -> list[UnitMember]:
        """Who can be named on the unit's reports: operators ask of any unit, a unit's staff of
        their own; an unknown unit is a 404."""
        if unit not in self.router.units:
            raise NotFound(f"Không có đơn vị '{unit}' / No unit '{unit}'.")
        reach = caller.reach(perm.REPORTS_ASK)
        if not (reach.city or unit in reach.units):
            raise Forbidden(f"Chỉ đơn vị của mình / Only your own unit's staff, not {unit}'s.")
        return self.staff.members(unit) if self.staff else []

    def _require_member(self, unit: str | None, username: str) -> None:
        members = self.staff.members(unit) if unit and self.staff else []
        if all(m.username != username for m in members):
            raise Unprocessable(
                f"'{username}' không phải cán bộ đang làm việc tại đơn vị {unit} / '{username}' is not"
                f" an active staff member of unit {unit}.",
                problems=[
                    FieldProblem(
                        "username", f"an active staff member of {unit} (GET /workflow/units/{unit}/staff)"
                    )
                ],
            )

    def note(self, caller: Caller, report_id: str, version: int | None, text: str) -> Report:
        """An internal note: in the staff history only (its visibility is staff), never in a
        public view, the resident's view, an event or a message."""
        report, at = self._load(caller, report_id, version, "note"), self.clock.now()
        moved = workflow.noted(report, "note", actor=caller.actor, at=at, note=text, role=caller.role)
        return self._save(caller, report, moved, [])

    # -- residents -------------------------------------------------------------------------------
    def follow(self, caller: Caller, report_id: str) -> Report:
        """A resident follows an open report instead of sending the same problem again: they
        hear of its changes (their inbox), see it among theirs and may rate its resolution.
        Idempotent: following again changes nothing. Not a step of its history, no event: the
        report itself did not change for anyone else."""
        account = caller.principal.sub
        for _ in range(FOLLOW_ATTEMPTS):  # a concurrent change only moves the version on
            report = find_report(self.repo, report_id)
            if report is None:
                raise NotFound(f"No report '{report_id}'.")
            if account in report.owners:
                return report
            if report.merged_into:
                raise Conflict(
                    f"Phản ánh đã được gộp vào {report.merged_into}: hãy theo dõi phản ánh đó"
                    f" / The report was merged into {report.merged_into}: follow that one."
                )
            if report.status.is_closed:
                raise Conflict(
                    f"Phản ánh đã đóng ({report.status.value}), không thể theo dõi"
                    f" / The report is closed ({report.status.value}): it cannot be followed."
                )
            followed = report.model_copy(
                update={"followers": [*report.followers, account], "version": report.version + 1}
            )
            try:
                self.repo.follow(followed, account, self.clock.now(), expected_version=report.version)
            except VersionConflict:
                continue
            return followed
        raise Conflict("The report keeps changing; try again.")

    def reply(self, caller: Caller, report_id: str, version: int | None, message: str) -> Report:
        report, at = self._load(caller, report_id, version, "reply"), self.clock.now()
        state = sla.resumed(self._sla(report), at, self.calendar)
        moved = workflow.noted(
            report, "provide_info", actor=caller.actor, at=at, note=message, role=caller.role,
            changes={
                "waiting_on_resident": False, "sla": state, "expected_at": self._expected(report, state)
            },
        )  # fmt: skip
        return self._save(caller, report, moved, [events.info(moved, events.INFO_PROVIDED, role=caller.role)])

    def rate(
        self, caller: Caller, report_id: str, version: int | None, score: int, comment: str | None
    ) -> Report:
        report, at = self._load(caller, report_id, version, "rate"), self.clock.now()
        moved, event = workflow.rate(report, score=score, comment=comment, at=at, by=caller.principal.sub)
        return self._save(caller, report, moved, [event])

    def dispute(self, caller: Caller, report_id: str, version: int | None, comment: str) -> Report:
        report, at = self._load(caller, report_id, version, "dispute"), self.clock.now()
        state = sla.on_reopened(self._sla(report), self._service(report), at, self.calendar)
        assert state.resolve is not None
        changed = report.model_copy(update={"sla": state, "expected_at": state.resolve.due_at})
        moved, event = workflow.dispute(changed, by=caller.actor, at=at, comment=comment)
        return self._save(caller, report, moved, [event])

    def withdraw(
        self, caller: Caller, report_id: str, version: int | None, reason: str, note: str | None
    ) -> Report:
        report, at = self._load(caller, report_id, version, "withdraw"), self.clock.now()
        if caller.principal.sub != report.reporter.account_id:
            raise Forbidden("Only the resident who submitted a report can withdraw it.")
        changes = {"sla": sla.on_closed(self._sla(report), at), "withdrawn_by_reporter": True}
        return self._move(
            caller, report, S.WITHDRAWN, at, note, action="withdraw", reason=reason, changes=changes
        )

    # -- plumbing --------------------------------------------------------------------------------
    def _load(self, caller: Caller, report_id: str, version: int | None, action: str) -> Report:
        report = self.get(caller, report_id)
        if version is None and self._require_version:
            raise PreconditionRequired(
                f"Send If-Match or version: the report is at version {report.version}.",
            )
        if version is not None and version != report.version:
            raise self._stale(caller, report_id, report)
        if action not in self.allowed_actions(caller, report):
            allowed = self.allowed_actions(caller, report)
            raise StaleVersion(
                f"'{action}' is not allowed on a report in '{report.status.value}' for {caller.role};"
                f" allowed: {', '.join(allowed) or 'nothing'}.",
                report.version,
                allowed,
            )
        return report

    def _stale(self, caller: Caller, report_id: str, current: Report | None = None) -> StaleVersion:
        report = current or self.repo.get(report_id)
        assert report is not None
        allowed = self.allowed_actions(caller, report)
        return StaleVersion(
            f"The report changed: it is now at version {report.version} ({report.status.value});"
            f" allowed: {', '.join(allowed) or 'nothing'}. Reload it and try again.",
            report.version,
            allowed,
        )

    def _move(
        self, caller: Caller, report: Report, to: ReportStatus, at: datetime, note: str | None, **kw: Any
    ) -> Report:
        moved, event = workflow.transition(
            report, to, actor=caller.actor, at=at, note=note, role=caller.role, **kw
        )
        return self._save(caller, report, moved, [event])

    def _save(self, caller: Caller, before: Report, after: Report, stream: list[CloudEvent]) -> Report:
        for event in stream:  # whether it was and is past due, from the report as loaded
            if event.short_type == events.STATUS_CHANGED and event.subject == after.report_id:
                event.data |= {"was_overdue": sla.escalated(before), "overdue": sla.escalated(after)}
        try:
            self.repo.save(after, stream, expected_version=before.version)
        except VersionConflict as error:
            raise self._stale(caller, before.report_id) from error
        return after

    def _known_unit(self, unit: str) -> None:
        if self.router.unit(unit) is None:
            raise ValidationFailed(
                "Đơn vị không tồn tại / Unknown unit: GET /api/v1/workflow/units lists them.",
                problems=[FieldProblem("unit", f"unknown unit '{unit}'")],
            )

    def _service(self, report: Report) -> ServiceDefinition:
        service = self.catalogue.service(report.service_code)
        if service is None:
            raise NotFound(f"Unknown service_code '{report.service_code}'.")
        return service

    def _sla(self, report: Report) -> sla.SlaState:
        """The report's clocks; a report from before the SLA engine gets them rebuilt."""
        if report.sla is not None:
            return report.sla
        return sla.at_intake(self._service(report), report.requested_at, self.calendar)

    @staticmethod
    def _expected(report: Report, state: sla.SlaState) -> datetime | None:
        return state.resolve.due_at if state.resolve is not None else report.expected_at

    def _after_photo(self, key: str) -> Photo:
        stored = self.photos.stat(key) if key.startswith(UPLOAD_PREFIX) else None
        kind = sniff_image(stored.head) if stored else None
        if stored is None or kind is None:
            raise ValidationFailed(
                "Ảnh sau xử lý chưa được tải lên / Upload the after-photo first.",
                problems=[FieldProblem("after_photo", f"no uploaded image '{key}'")],
            )
        return Photo(key=key, content_type=kind, size=stored.size)


def _with(query: _Frozen, **changes: Any) -> _Frozen:
    from dataclasses import replace

    return replace(query, **changes)


def _page_offset(token: str | None) -> int:
    if token is None:
        return 0
    offset = token.removeprefix(OFFSET_PAGE)
    if offset == token or not offset.isdigit():
        raise ValidationFailed(
            "Con trỏ trang không thuộc danh sách này / The page cursor is not one of this list.",
            problems=[FieldProblem("cursor", "start the list again without a cursor")],
        )
    return int(offset)


def _queue_query(filters: QueueFilters, unit: str | None, ward: str | None) -> ReportQuery:
    return ReportQuery(
        statuses=filters.statuses or OPEN_STATUSES,
        ward_code=ward,
        service_codes=(filters.category,) if filters.category else (),
        unit_code=unit,
        assignee=filters.assignee,
        limit=filters.limit,
        token=filters.cursor,
    )


def _within_export(total: int) -> None:
    if total > MAX_EXPORT:
        raise ValidationFailed(
            f"Bộ lọc khớp {total} phản ánh, nhiều hơn {MAX_EXPORT} có thể xuất: hãy thu hẹp bộ lọc"
            f" / The filters match {total} reports, more than the {MAX_EXPORT} an export holds:"
            " narrow them.",
            problems=[FieldProblem("status", f"at most {MAX_EXPORT} reports")],
        )


def _narrowed(reach: Reach, unit: str | None, ward: str | None) -> tuple[str | None, str | None]:
    """The (unit, ward) a list is narrowed to: what the caller asked, within their reach. A
    caller who reaches only some units or wards gets their first unit (then ward) unless they
    pick one; a ward asked for within a unit is a filter on that unit's reports."""
    if reach.city:
        return unit, ward
    if unit is None and ward is not None and ward in reach.wards:
        return None, ward
    if unit is None and reach.units:
        unit = min(reach.units)
    if unit is not None and unit in reach.units:
        return unit, ward
    if unit is None and ward is None and reach.wards:
        return None, min(reach.wards)
    units, wards = ", ".join(sorted(reach.units)) or "none", ", ".join(sorted(reach.wards)) or "none"
    raise Forbidden(
        "Chỉ xem được đơn vị, phường của mình / You see only your own units' and wards' reports:"
        f" units {units}; wards {wards}."
    )
