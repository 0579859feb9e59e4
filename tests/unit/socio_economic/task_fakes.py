"""In-memory fakes of the task register's ports, keeping the adapters' contracts: a task and
its events stored together or not at all, optimistic versions, a year's numbers taken with
the task that uses them, lists by deadline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks.models import Task, TaskStatus, task_id
from ioc_core.socio_economic.tasks.ports import StaleTask
from ioc_core.socio_economic.tasks.service import TaskService

NOW = datetime(2026, 3, 16, 9, 0, tzinfo=VN_TZ)


class InMemoryTaskRepository:
    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}
        self.numbers: dict[int, int] = {}  # year → the last number taken
        self.directives: dict[str, str] = {}  # a provincial directive's id → its task's
        self.outbox: list[CloudEvent] = []

    def get(self, task_id: str) -> Task | None:
        stored = self.tasks.get(task_id)
        return stored.model_copy(deep=True) if stored else None

    def task_of_directive(self, directive_id: str) -> str | None:
        return self.directives.get(directive_id)

    def next_id(self, year: int) -> str:
        return task_id(year, self.numbers.get(year, 0) + 1)

    def save(self, task: Task, events: Sequence[CloudEvent], expected_version: int) -> None:
        stored = self.tasks.get(task.task_id)
        if expected_version == 0:
            year, number = task.number
            if stored is not None or number != self.numbers.get(year, 0) + 1:
                raise StaleTask(task.task_id)
            if task.directive_id is not None and task.directive_id in self.directives:
                raise StaleTask(task.task_id)
            self.numbers[year] = number
            if task.directive_id is not None:
                self.directives[task.directive_id] = task.task_id
        elif stored is None or stored.version != expected_version:
            raise StaleTask(task.task_id)
        self.tasks[task.task_id] = task.model_copy(deep=True)
        self.outbox.extend(events)

    def by_status(self, status: TaskStatus) -> list[Task]:
        return _by_deadline(t for t in self.tasks.values() if t.status is status)

    def by_owner(self, owner_unit: str, status: TaskStatus | None = None) -> list[Task]:
        return _by_deadline(
            t for t in self.tasks.values() if t.owner_unit == owner_unit and status in (None, t.status)
        )

    def event_types(self) -> list[str]:
        return [e.short_type for e in self.outbox]


def _by_deadline(tasks: Iterable[Task]) -> list[Task]:
    return [t.model_copy(deep=True) for t in sorted(tasks, key=lambda t: (t.deadline, t.task_id))]


class InMemoryEvidenceStore:
    def __init__(self) -> None:
        self.objects: set[str] = set()
        self.presigned: list[tuple[str, str, int]] = []

    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, object]:
        self.presigned.append((key, content_type, max_bytes))
        return {"url": "https://s3.test/socio-economic-files", "fields": {"key": key}, "expires_in": 600}

    def exists(self, key: str) -> bool:
        return key in self.objects

    def url(self, key: str, expires: int = 300) -> str:
        return f"https://s3.test/socio-economic-files/{key}?expires={expires}"

    def upload(self, key: str) -> str:
        """What a unit's browser does with the presigned POST."""
        self.objects.add(key)
        return key


class TaskWorld:
    """A service on fakes with a clock the test moves."""

    def __init__(self, now: datetime = NOW) -> None:
        self.repo = InMemoryTaskRepository()
        self.evidence = InMemoryEvidenceStore()
        self.clock = FixedClock(now)
        self.service = TaskService(self.repo, self.evidence, self.clock)

    def at(self, moment: datetime) -> TaskWorld:
        self.clock.at = moment
        return self
