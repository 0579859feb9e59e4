"""The task monitor: for each open task newly overdue, or newly at risk (and not overdue),
one event, like Field Reporting's SLA job. The mark it leaves on the task makes a rerun
change nothing; the marks clear when the task recovers (see the service), so a relapse is
news again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks import events, rules
from ioc_core.socio_economic.tasks.models import Task, TaskStatus
from ioc_core.socio_economic.tasks.ports import StaleTask, TaskRepository
from ioc_core.socio_economic.tasks.rules import Assessment


@dataclass
class EscalationRun:
    scanned: int = 0
    at_risk: int = 0
    overdue: int = 0
    conflicts: int = 0
    raised: list[str] = field(default_factory=list)  # "<task_id> <event>", for the log


def escalate(repo: TaskRepository, now: datetime) -> EscalationRun:
    """For each open task newly overdue, or newly at risk (and not overdue), raise its event
    once: the mark on the task makes a rerun change nothing. A task changed meanwhile is
    left to the next run."""
    run = EscalationRun()
    for task in repo.by_status(TaskStatus.OPEN):
        run.scanned += 1
        assessment = rules.assess(task, now)
        marked, event = _escalation(task, assessment, now)
        if event is None:
            continue
        try:
            repo.save(marked, [event], expected_version=task.version)
        except StaleTask:
            run.conflicts += 1
            continue
        if event.short_type == events.OVERDUE:
            run.overdue += 1
        else:
            run.at_risk += 1
        run.raised.append(f"{task.task_id} {event.short_type.rsplit('.', 1)[-1]}")
    return run


def _escalation(task: Task, assessment: Assessment, now: datetime) -> tuple[Task, CloudEvent | None]:
    bumped = {"version": task.version + 1, "updated_at": now}
    if assessment.overdue:
        if task.overdue_marked_at is not None:
            return task, None
        marked = task.model_copy(update={"overdue_marked_at": now, **bumped})
        return marked, events.overdue(marked, assessment, now)
    if assessment.at_risk and task.at_risk_marked_at is None:
        marked = task.model_copy(update={"at_risk_marked_at": now, **bumped})
        return marked, events.at_risk(marked, assessment, now)
    return task, None
