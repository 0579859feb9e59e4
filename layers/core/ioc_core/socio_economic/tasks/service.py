"""TaskService: the registering office (the People's Committee's office, statistics) registers
tasks and closes them; the owner and co-operating units report progress with evidence; the
board shows open tasks at risk and overdue first; the hourly job escalates each overdue or
newly at-risk task once.

Every change is one write: the task (optimistic version) and its event, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from pydantic import ValidationError

from ioc_core.shared import problems
from ioc_core.shared.clock import Clock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import Conflict, FieldProblem, Forbidden, NotFound, StaleVersion, ValidationFailed
from ioc_core.shared.text import clean_text
from ioc_core.socio_economic.tasks import events, rules
from ioc_core.socio_economic.tasks.evidence import LIMITS, evidence_key
from ioc_core.socio_economic.tasks.models import (
    MAX_NOTE,
    Progress,
    Task,
    TaskSource,
    TaskStatus,
    bounded,
    evidence_prefix,
)
from ioc_core.socio_economic.tasks.monitor import EscalationRun, escalate
from ioc_core.socio_economic.tasks.ports import EvidenceStore, StaleTask, TaskRepository
from ioc_core.socio_economic.tasks.rules import Assessment

REGISTER_ATTEMPTS = 3  # two offices registering at once: the loser takes the next number
PROVINCE_ACTOR = "system:province"  # who registered a provincial directive's task


@dataclass(frozen=True)
class Actor:
    """Who acts: the staff account (kept on the task, never in an event), the units whose
    staff they are, and whether they are the registering office (they manage tasks)."""

    username: str
    units: frozenset[str] = frozenset()
    office: bool = False


@dataclass(frozen=True)
class TaskDraft:
    title: str
    source: TaskSource
    owner_unit: str
    start: date
    deadline: date
    title_en: str | None = None
    source_ref: str = ""
    co_units: tuple[str, ...] = ()
    expected_output: str = ""


@dataclass(frozen=True)
class TaskChanges:
    """A partial change: None leaves a field as it is."""

    title: str | None = None
    title_en: str | None = None
    source_ref: str | None = None
    owner_unit: str | None = None
    co_units: tuple[str, ...] | None = None
    start: date | None = None
    deadline: date | None = None
    expected_output: str | None = None

    def given(self) -> dict[str, object]:
        fields = {k: v for k, v in self.__dict__.items() if v is not None}
        if self.co_units is not None:
            fields["co_units"] = list(self.co_units)
        return fields


@dataclass(frozen=True)
class BoardEntry:
    task: Task
    assessment: Assessment


class TaskService:
    def __init__(
        self,
        repo: TaskRepository,
        evidence: EvidenceStore,
        clock: Clock,
        unit_exists: Callable[[str], bool] | None = None,
    ) -> None:
        self.repo = repo
        self.evidence = evidence
        self.clock = clock
        self.unit_exists = unit_exists  # None: any well-formed unit code

    # -- reading -------------------------------------------------------------------------------

    def get(self, task_id: str, version: int | None = None) -> Task:
        """The task; with ``version``, a 409 unless it is still at that version."""
        task = self.repo.get(task_id)
        if task is None:
            raise NotFound(f"Không có nhiệm vụ này / No task {task_id[:40]}.")
        if version is not None and version != task.version:
            raise _stale(task)
        return task

    def assess(self, task: Task) -> Assessment:
        return rules.assess(task, self.clock.now())

    def board(
        self,
        owner_unit: str | None = None,
        status: TaskStatus = TaskStatus.OPEN,
        at_risk: bool | None = None,
    ) -> list[BoardEntry]:
        """Tasks in ``status`` (open by default) with how each stands: overdue first, then at
        risk, then the rest, each by deadline. ``at_risk`` keeps only those (not) at risk."""
        now = self.clock.now()
        found = self.repo.by_owner(owner_unit, status) if owner_unit else self.repo.by_status(status)
        entries = [BoardEntry(t, rules.assess(t, now)) for t in found]
        if at_risk is not None:
            entries = [e for e in entries if e.assessment.at_risk == at_risk]
        return sorted(entries, key=_board_order)

    # -- the registering office ------------------------------------------------------------------

    def register(self, draft: TaskDraft, by: Actor) -> Task:
        _office(by)
        return self._register(draft, by.username)

    def receive_directive(self, directive_id: str, draft: TaskDraft) -> Task:
        """A provincial directive (through the integration room) becomes a task once: delivered
        again, it is the task it became, unchanged."""
        existing = self.repo.task_of_directive(directive_id)
        if existing is not None:
            return self.get(existing)
        try:
            return self._register(draft, PROVINCE_ACTOR, directive_id)
        except Conflict:
            existing = self.repo.task_of_directive(directive_id)
            if existing is None:
                raise
            return self.get(existing)  # a second delivery registered it meanwhile

    def _register(self, draft: TaskDraft, username: str, directive_id: str | None = None) -> Task:
        now = self.clock.now()
        fields = self._checked(
            {
                "title": draft.title,
                "title_en": draft.title_en,
                "source": draft.source,
                "source_ref": draft.source_ref,
                "owner_unit": draft.owner_unit,
                "co_units": list(draft.co_units),
                "start": draft.start,
                "deadline": draft.deadline,
                "expected_output": draft.expected_output,
            }
        )
        for _ in range(REGISTER_ATTEMPTS):
            task = _task(
                fields
                | {
                    "task_id": self.repo.next_id(rules.vn_date(now).year),
                    "directive_id": directive_id,
                    "created_by": username,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            try:
                self.repo.save(task, [events.registered(task)], expected_version=0)
            except StaleTask:
                if directive_id is not None and self.repo.task_of_directive(directive_id) is not None:
                    raise Conflict(f"directive {directive_id} is a task already") from None
                continue  # the number was taken meanwhile: the next one
            return task
        raise Conflict("Hệ thống đang bận, vui lòng thử lại / Too many tasks registered at once: try again.")

    def update(self, task_id: str, changes: TaskChanges, by: Actor, version: int | None = None) -> Task:
        _office(by)
        task = self._open(task_id, version)
        given = changes.given()
        if not given:
            raise ValidationFailed("Không có gì thay đổi / The change names no field.")
        merged = self._checked(task.model_dump() | given)
        changed = [name for name in given if merged[name] != getattr(task, name)]
        if not changed:
            return task
        now = self.clock.now()
        moved = _task(merged | {"version": task.version + 1, "updated_at": now})
        if moved.overdue_marked_at and moved.deadline >= rules.vn_date(now):
            moved.overdue_marked_at = None  # a new deadline ahead: missing it is news again
        return self._commit(moved, task, events.updated(moved, changed, now))

    def complete(self, task_id: str, by: Actor, note: str | None = None, version: int | None = None) -> Task:
        _office(by)
        task = self._open(task_id, version)
        now = self.clock.now()
        moved = task.model_copy(
            update={
                "status": TaskStatus.DONE,
                "percent": 100,
                "completed_at": now,
                "closing_note": _text(note, "note", required=False) or None,
                "version": task.version + 1,
                "updated_at": now,
            }
        )
        return self._commit(moved, task, events.completed(moved, now))

    def cancel(self, task_id: str, by: Actor, reason: str, version: int | None = None) -> Task:
        _office(by)
        task = self._open(task_id, version)
        now = self.clock.now()
        moved = task.model_copy(
            update={
                "status": TaskStatus.CANCELLED,
                "cancelled_at": now,
                "closing_note": _text(reason, "reason"),
                "version": task.version + 1,
                "updated_at": now,
            }
        )
        return self._commit(moved, task, events.cancelled(moved, now))

    # -- the units -------------------------------------------------------------------------------

    def presign_evidence(
        self, task_id: str, by: Actor, filename: str, content_type: str
    ) -> dict[str, object]:
        """A presigned POST for one evidence file under tasks/<task_id>/, for whoever may report."""
        task = self._open(task_id)
        _reporting_unit(task, by)
        key = evidence_key(task.task_id, filename, content_type)
        return {
            "key": key,
            **self.evidence.presign_upload(key, content_type.strip().lower(), LIMITS.max_bytes),
        }

    def acknowledge(self, task_id: str, by: Actor, version: int | None = None) -> Task:
        """The owner unit confirms it has the task in hand (once: again, the task as it is).
        Only the owner unit's staff acknowledge: co-operating units report, the owner answers."""
        task = self._open(task_id, version)
        if task.owner_unit not in by.units:
            raise Forbidden(
                f"Chỉ đơn vị chủ trì ({task.owner_unit}) xác nhận nhiệm vụ {task.task_id} / Only the owner"
                f" unit ({task.owner_unit}) acknowledges task {task.task_id}."
            )
        if task.acknowledged_at is not None:
            return task
        now = self.clock.now()
        moved = task.model_copy(
            update={"acknowledged_at": now, "acknowledged_by": by.username, "version": task.version + 1,
                    "updated_at": now}
        )  # fmt: skip
        return self._commit(moved, task, events.acknowledged(moved, task.owner_unit, now))

    def report_progress(
        self,
        task_id: str,
        by: Actor,
        percent: int,
        note: str,
        evidence: Iterable[str] = (),
        version: int | None = None,
    ) -> Task:
        """A unit's report: % done 0–100 (it may go back: an honest correction), a note, and
        evidence files uploaded first. Only the owner and co-operating units' staff, or the
        registering office, report; the task stays open until the office completes it."""
        task = self._open(task_id, version)
        unit = _reporting_unit(task, by)
        if isinstance(percent, bool) or not 0 <= percent <= 100:
            raise ValidationFailed(
                "Tỷ lệ hoàn thành từ 0 đến 100 / percent must be between 0 and 100.",
                problems=[FieldProblem("percent", "a whole number from 0 to 100")],
            )
        keys = self._evidence(task, evidence)
        now = self.clock.now()
        entry = Progress(
            at=now, by=by.username, unit=unit, percent=percent, note=_text(note, "note"), evidence=keys
        )
        moved = bounded(
            task.model_copy(
                update={
                    "percent": percent,
                    "progress": [*task.progress, entry],
                    "version": task.version + 1,
                    "updated_at": now,
                }
            )
        )
        if moved.at_risk_marked_at and not rules.assess(moved, now).at_risk:
            moved.at_risk_marked_at = None  # back on track: a relapse escalates again
        return self._commit(moved, task, events.progress_reported(moved, entry, task.percent))

    # -- the job -------------------------------------------------------------------------------

    def escalate_overdue(self, now: datetime) -> EscalationRun:
        """The hourly job: each open task newly overdue or newly at risk raises its event once."""
        return escalate(self.repo, now)

    # -- helpers -------------------------------------------------------------------------------

    def _open(self, task_id: str, version: int | None = None) -> Task:
        task = self.get(task_id, version)
        if not task.is_open:
            raise Conflict(
                f"Nhiệm vụ {task.task_id} đã {_STATUS_VI[task.status]} / Task {task.task_id} is"
                f" {task.status.value}: it takes no more changes."
            )
        return task

    def _commit(self, moved: Task, before: Task, event: CloudEvent) -> Task:
        try:
            self.repo.save(moved, [event], expected_version=before.version)
        except StaleTask as error:
            raise _stale(self.repo.get(before.task_id) or before) from error
        return moved

    def _checked(self, fields: dict[str, object]) -> dict[str, object]:
        """Clean texts (NFC, no tags), unit codes known, dates in order: 400s naming the field."""
        for name in ("title", "title_en", "source_ref", "expected_output"):
            value = fields.get(name)
            if isinstance(value, str):
                fields[name] = clean_text(value) or (None if name == "title_en" else "")
        owner = str(fields["owner_unit"])
        co_units = sorted({str(u) for u in cast(Iterable[str], fields.get("co_units") or [])} - {owner})
        fields["co_units"] = co_units
        unknown = [
            FieldProblem(name, f"no unit {code!r}")
            for name, code in [
                ("owner_unit", owner),
                *((f"co_units[{i}]", c) for i, c in enumerate(co_units)),
            ]
            if self.unit_exists is not None and not self.unit_exists(code)
        ]
        if unknown:
            raise ValidationFailed("Không có đơn vị này / Unknown unit code.", problems=unknown)
        start, deadline = fields["start"], fields["deadline"]
        assert isinstance(start, date) and isinstance(deadline, date)
        rules.check_dates(start, deadline)
        return fields

    def _evidence(self, task: Task, keys: Iterable[str]) -> list[str]:
        unique = list(dict.fromkeys(keys))
        prefix = evidence_prefix(task.task_id)
        wrong = [
            FieldProblem(f"evidence[{i}]", "not a file uploaded for this task")
            for i, key in enumerate(unique)
            if not key.startswith(prefix) or ".." in key or not self.evidence.exists(key)
        ]
        if wrong:
            raise ValidationFailed(
                "Tệp minh chứng chưa được tải lên / An evidence file was not uploaded for this task.",
                problems=wrong,
            )
        return unique


_STATUS_VI = {TaskStatus.OPEN: "mở", TaskStatus.DONE: "hoàn thành", TaskStatus.CANCELLED: "bị hủy"}


def _board_order(entry: BoardEntry) -> tuple[int, date, str]:
    a = entry.assessment
    band = 0 if a.overdue else 1 if a.at_risk else 2
    return band, entry.task.deadline, entry.task.task_id


def _office(by: Actor) -> None:
    if not by.office:
        raise Forbidden("Chỉ văn phòng giao nhiệm vụ / Only the registering office manages tasks.")


def _reporting_unit(task: Task, by: Actor) -> str | None:
    """The unit a report is made for (the owner's first); None for the registering office."""
    mine = by.units & task.units
    if task.owner_unit in mine:
        return task.owner_unit
    if mine:
        return min(mine)
    if by.office:
        return None
    raise Forbidden(
        f"Chỉ đơn vị chủ trì hoặc phối hợp báo cáo nhiệm vụ {task.task_id} / Only the owner"
        f" ({task.owner_unit}) or co-operating units report on task {task.task_id}."
    )


def _text(value: str | None, name: str, required: bool = True) -> str:
    text = clean_text(value or "")
    if not text and required:
        raise ValidationFailed(
            f"Cần nội dung ({name}) / {name} is required.", problems=[FieldProblem(name, "required")]
        )
    if len(text) >= MAX_NOTE:
        raise ValidationFailed(
            f"Nội dung dưới {MAX_NOTE} ký tự / {name} must be under {MAX_NOTE} characters.",
            problems=[FieldProblem(name, f"under {MAX_NOTE} characters")],
        )
    return text


def _task(fields: dict[str, object]) -> Task:
    try:
        return Task.model_validate(fields)
    except ValidationError as error:
        raise problems.invalid_fields(error) from error


def _stale(task: Task) -> StaleVersion:
    return StaleVersion(
        f"Nhiệm vụ đã thay đổi / The task changed meanwhile: it is now at version {task.version}"
        f" ({task.status.value}); reload it and try again.",
        task.version,
    )
