"""Task CloudEvents, in the socio-economic room's namespace.

No personal data: events name units by code, never the staff who acted (their usernames stay
on the task and in the audit context), and carry no free text (notes and reasons may name
people; readers fetch the task). Subject and partition key are the task id, the sequence its
version, so a consumer sees one task's events in order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc_core.platform.rooms import Label
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks.models import Progress, Task
from ioc_core.socio_economic.tasks.rules import Assessment, vn_date

SUBSYSTEM = "socio_economic"
REGISTERED = "socio_economic.task.registered"
UPDATED = "socio_economic.task.updated"  # its title, units, dates or expected output changed
PROGRESS_REPORTED = "socio_economic.task.progress_reported"
ACKNOWLEDGED = "socio_economic.task.acknowledged"  # the owner unit has it in hand
AT_RISK = "socio_economic.task.at_risk"
OVERDUE = "socio_economic.task.overdue"
COMPLETED = "socio_economic.task.completed"
CANCELLED = "socio_economic.task.cancelled"
EMITS = (REGISTERED, UPDATED, ACKNOWLEDGED, PROGRESS_REPORTED, AT_RISK, OVERDUE, COMPLETED, CANCELLED)


def task_data(task: Task) -> dict[str, Any]:
    # A provincial directive's task names the directive, so the province follows its own.
    directive = {"directive_id": task.directive_id} if task.directive_id else {}
    return directive | {
        "task_id": task.task_id,
        "title": task.title,
        "title_en": task.title_en,
        "source": task.source.value,
        "owner_unit": task.owner_unit,
        "co_units": list(task.co_units),
        "start": task.start.isoformat(),
        "deadline": task.deadline.isoformat(),
        "status": task.status.value,
        "percent": task.percent,
    }


def _event(short: str, task: Task, at: datetime, extra: dict[str, Any] | None = None) -> CloudEvent:
    return CloudEvent.new(
        short,
        subsystem=SUBSYSTEM,
        subject=task.task_id,
        at=at,
        data=task_data(task) | (extra or {}),
        sequence=task.version,
    )


def registered(task: Task) -> CloudEvent:
    return _event(REGISTERED, task, task.created_at)


def updated(task: Task, changed: list[str], at: datetime) -> CloudEvent:
    return _event(UPDATED, task, at, {"changed": sorted(changed)})


def acknowledged(task: Task, unit: str, at: datetime) -> CloudEvent:
    return _event(ACKNOWLEDGED, task, at, {"unit": unit})


def progress_reported(task: Task, entry: Progress, previous_percent: int) -> CloudEvent:
    return _event(
        PROGRESS_REPORTED,
        task,
        entry.at,
        {"unit": entry.unit, "from_percent": previous_percent, "evidence": len(entry.evidence)},
    )


def _standing(assessment: Assessment) -> dict[str, Any]:
    projection = assessment.projection
    return {
        "elapsed_pct": assessment.elapsed_pct,
        "gap": assessment.gap,
        "projected_finish": projection.finish.isoformat() if projection.finish else None,
        "projection": projection.method,
        "late_by_days": projection.late_by_days,
    }


def at_risk(task: Task, assessment: Assessment, at: datetime) -> CloudEvent:
    return _event(AT_RISK, task, at, _standing(assessment))


def overdue(task: Task, assessment: Assessment, at: datetime) -> CloudEvent:
    days = (assessment.today - task.deadline).days
    return _event(OVERDUE, task, at, _standing(assessment) | {"days_overdue": days})


def completed(task: Task, at: datetime) -> CloudEvent:
    late = max(0, (vn_date(task.completed_at or at) - task.deadline).days)
    return _event(COMPLETED, task, at, {"late_by_days": late})


def cancelled(task: Task, at: datetime) -> CloudEvent:
    return _event(CANCELLED, task, at)


def audit_words() -> dict[str, Label]:
    """How the audit log names these events (the room merges them into its own)."""
    return {
        REGISTERED: Label("Giao nhiệm vụ", "Task registered"),
        UPDATED: Label("Điều chỉnh nhiệm vụ", "Task changed"),
        ACKNOWLEDGED: Label("Đơn vị xác nhận nhận nhiệm vụ", "Task acknowledged by its unit"),
        PROGRESS_REPORTED: Label("Báo cáo tiến độ nhiệm vụ", "Task progress reported"),
        AT_RISK: Label("Nhiệm vụ có nguy cơ chậm", "Task at risk"),
        OVERDUE: Label("Nhiệm vụ quá hạn", "Task overdue"),
        COMPLETED: Label("Hoàn thành nhiệm vụ", "Task completed"),
        CANCELLED: Label("Hủy nhiệm vụ", "Task cancelled"),
    }
