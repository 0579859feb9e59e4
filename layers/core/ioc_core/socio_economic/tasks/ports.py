"""Ports of the task register: where tasks are kept, and where their evidence files go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks.models import Task, TaskStatus


class StaleTask(Exception):
    """The task changed since it was read (or its id was taken meanwhile): read again and retry."""


class TaskRepository(Protocol):
    def get(self, task_id: str) -> Task | None: ...

    def task_of_directive(self, directive_id: str) -> str | None:
        """The id of the task a provincial directive became, if it became one."""

    def next_id(self, year: int) -> str:
        """The next free NV-<year>-NNNN, read now and not reserved: ``save`` of a new task takes
        the number in the same transaction, and a second task saved with it is a StaleTask."""

    def save(self, task: Task, events: Sequence[CloudEvent], expected_version: int) -> None:
        """The task and its events in one transaction. ``expected_version`` 0: a new task (its
        id must be free, and the year's numbering moves on with it); else the stored version
        must still be that one. A new task of a directive (``directive_id``) also claims the
        directive: one already claimed is a StaleTask too. StaleTask otherwise, and nothing is
        written."""

    def by_status(self, status: TaskStatus) -> list[Task]:
        """Every task in ``status``, earliest deadline first (ties by id)."""

    def by_owner(self, owner_unit: str, status: TaskStatus | None = None) -> list[Task]:
        """Every task the unit owns (in ``status``, when given), earliest deadline first."""


class EvidenceStore(Protocol):
    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, object]:
        """A presigned POST for one file at ``key`` (under tasks/<task_id>/): url, fields, expiry."""

    def exists(self, key: str) -> bool: ...
