"""Adapters of the task register: the tasks in DynamoDB (PynamoDB), evidence files in S3.

One item per task (logical table ``se_tasks``, key ``task_id``) holding the whole task as
JSON, its progress history included: the last 200 reports, fewer when their notes are long
(``models.bounded``), so the item stays far under DynamoDB's 400 KB. The board and the job
read an index (``by_status``, ``by_owner``, both sorted by deadline), never a scan. Each
year's numbering is one more item of the table (``#numbering#<year>``, in no index), moved on
in the same transaction as the task that takes the number, with the task's outbox events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from botocore.exceptions import ClientError
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND, cancelled_items, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.platform.s3 import presigned_upload, s3_client
from ioc_core.settings import Settings
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.tasks.models import Task, TaskStatus, task_id
from ioc_core.socio_economic.tasks.ports import StaleTask
from ioc_core.socio_economic.tasks.resources import BUCKET, TABLE

UPLOAD_TTL_SECONDS = 600
NUMBERING = "#numbering#"
DIRECTIVE = "#directive#"


class _ByStatus(GlobalSecondaryIndex["TaskItem"]):
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    deadline = UnicodeAttribute(range_key=True)


class _ByOwner(GlobalSecondaryIndex["TaskItem"]):
    class Meta:
        index_name = "by_owner"
        projection = AllProjection()

    owner_unit = UnicodeAttribute(hash_key=True)
    deadline = UnicodeAttribute(range_key=True)


class TaskItem(Model):
    class Meta:
        table_name = UNBOUND

    task_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    owner_unit = UnicodeAttribute()
    deadline = UnicodeAttribute()  # ISO date: sorts as a date
    version = NumberAttribute()
    document = UnicodeAttribute()

    by_status = _ByStatus()
    by_owner = _ByOwner()

    @classmethod
    def of(cls, task: Task) -> TaskItem:
        return cls(
            task_id=task.task_id,
            status=task.status.value,
            owner_unit=task.owner_unit,
            deadline=task.deadline.isoformat(),
            version=task.version,
            document=task.model_dump_json(),
        )

    def to_task(self) -> Task:
        return Task.model_validate_json(self.document)


class TaskNumberingItem(Model):
    """The last number taken in a year; on the tasks' table, in none of its indexes."""

    class Meta:
        table_name = UNBOUND

    task_id = UnicodeAttribute(hash_key=True)  # "#numbering#2026"
    last = NumberAttribute()


class DirectiveClaimItem(Model):
    """The task a provincial directive became; on the tasks' table, in none of its indexes."""

    class Meta:
        table_name = UNBOUND

    task_id = UnicodeAttribute(hash_key=True)  # "#directive#CD-2026-0042"
    task = UnicodeAttribute()  # NV-2026-0123


MODELS: tuple[tuple[type[Model], str], ...] = (
    (TaskItem, TABLE),
    (TaskNumberingItem, TABLE),
    (DirectiveClaimItem, TABLE),
)


def _sorted(items: Iterable[TaskItem]) -> list[Task]:
    # The index sorts by deadline; ties (same day) by id here, as the port promises.
    return sorted((item.to_task() for item in items), key=lambda t: (t.deadline, t.task_id))


class DynamoTaskRepository:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get(self, task_id: str) -> Task | None:
        try:
            return TaskItem.get(task_id, consistent_read=True).to_task()
        except TaskItem.DoesNotExist:
            return None

    def task_of_directive(self, directive_id: str) -> str | None:
        try:
            return str(DirectiveClaimItem.get(f"{DIRECTIVE}{directive_id}", consistent_read=True).task)
        except DirectiveClaimItem.DoesNotExist:
            return None

    def next_id(self, year: int) -> str:
        try:
            last = int(TaskNumberingItem.get(f"{NUMBERING}{year}", consistent_read=True).last)
        except TaskNumberingItem.DoesNotExist:
            last = 0
        return task_id(year, last + 1)

    def save(self, task: Task, events: Sequence[CloudEvent], expected_version: int) -> None:
        try:
            with transaction(self.settings) as tx:
                if expected_version == 0:
                    tx.save(TaskItem.of(task), condition=TaskItem.task_id.does_not_exist())
                    year, number = task.number
                    numbering = TaskNumberingItem(task_id=f"{NUMBERING}{year}", last=number)
                    taken = (
                        TaskNumberingItem.task_id.does_not_exist()
                        if number == 1
                        else TaskNumberingItem.last == number - 1
                    )
                    tx.save(numbering, condition=taken)
                    if task.directive_id is not None:
                        claim = DirectiveClaimItem(
                            task_id=f"{DIRECTIVE}{task.directive_id}", task=task.task_id
                        )
                        tx.save(claim, condition=DirectiveClaimItem.task_id.does_not_exist())
                else:
                    tx.save(TaskItem.of(task), condition=TaskItem.version == expected_version)
                stage_events(tx, list(events))
        except TransactWriteError as error:
            if cancelled_items(error):
                raise StaleTask(task.task_id) from error
            raise

    def by_status(self, status: TaskStatus) -> list[Task]:
        return _sorted(TaskItem.by_status.query(status.value))

    def by_owner(self, owner_unit: str, status: TaskStatus | None = None) -> list[Task]:
        condition = TaskItem.status == status.value if status is not None else None
        return _sorted(TaskItem.by_owner.query(owner_unit, filter_condition=condition))


class S3TaskEvidenceStore:
    """Presigned POSTs into the room's files bucket, under tasks/<task_id>/: the bucket itself
    refuses a file past the size limit, of another content type, or at another key."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.bucket = settings.name(BUCKET)
        self.client = client or s3_client(settings)

    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, object]:
        return presigned_upload(self.client, self.bucket, key, content_type, max_bytes, UPLOAD_TTL_SECONDS)

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def url(self, key: str, expires: int = 300) -> str:
        """A short-lived link to read an evidence file (the board's attachments)."""
        url: str = self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires
        )
        return url
