"""The task register's routes (/api/v1/socio-economic/tasks) and their request models.

The room's route table takes ``TASK_OPERATIONS`` as they are; the blueprint is
functions/socio_economic/api/chalicelib/tasks.py. Leaders and the statistics office register,
change and close tasks; units' staff report progress with evidence; operators, leaders,
administrators, units' staff and the statistics office read the board (a unit's staff see
the tasks of their units).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ioc_core.platform.api.openapi import ETAG
from ioc_core.platform.api.routes import Operation, Reply, needs
from ioc_core.platform.api.wire import WireRequest
from ioc_core.socio_economic.tasks.evidence import CONTENT_TYPES
from ioc_core.socio_economic.tasks.models import (
    MAX_EVIDENCE,
    MAX_NOTE,
    TASK_ID_PATTERN,
    UNIT_PATTERN,
    TaskSource,
)

# The permissions' names; the room declares them and who holds them (permissions.py).
READ = "socio_economic.tasks.read"  # operator, leader, admin, unit_staff, statistics_officer
MANAGE = "socio_economic.tasks.manage"  # leader, statistics_officer
REPORT = "socio_economic.tasks.report"  # unit_staff

PATH = "/socio-economic/tasks"
_TASK_ID = {"task_id": TASK_ID_PATTERN}
_OBJECT = {"type": "object"}
_UNIT = Field(pattern=UNIT_PATTERN)


class NewTask(WireRequest):
    title: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    source: TaskSource = Field(strict=False, description="plan | directive | province")
    source_ref: str = Field(default="", max_length=300, examples=["Kế hoạch 123/KH-UBND ngày 05/01/2026"])
    owner_unit: str = _UNIT
    co_units: list[str] = Field(default_factory=list, max_length=20)
    start: date = Field(strict=False, description="YYYY-MM-DD, Vietnam date")
    deadline: date = Field(strict=False, description="YYYY-MM-DD, on or after start")
    expected_output: str = Field(default="", max_length=2000)


class TaskPatch(WireRequest):
    """Only the fields sent change; If-Match (or ``version``) is required."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    source_ref: str | None = Field(default=None, max_length=300)
    owner_unit: str | None = Field(default=None, pattern=UNIT_PATTERN)
    co_units: list[str] | None = Field(default=None, max_length=20)
    start: date | None = Field(default=None, strict=False)
    deadline: date | None = Field(default=None, strict=False)
    expected_output: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(default=None, ge=1, description="The task's version (or send If-Match)")


class TaskChange(WireRequest):
    # Optional: without it (or If-Match) the change applies to the task as it is now.
    version: int | None = Field(default=None, ge=1, description="The task's version (or send If-Match)")


class ProgressReport(TaskChange):
    percent: int = Field(ge=0, le=100, description="% done now (it may be lower than before)")
    note: str = Field(min_length=1, max_length=MAX_NOTE - 1)
    evidence: list[str] = Field(
        default_factory=list, max_length=MAX_EVIDENCE, description="Keys of files uploaded first"
    )


class EvidenceUpload(WireRequest):
    filename: str = Field(min_length=1, max_length=200, examples=["Biên bản nghiệm thu.pdf"])
    content_type: str = Field(description=" | ".join(CONTENT_TYPES))


class CompleteTask(TaskChange):
    note: str | None = Field(default=None, max_length=MAX_NOTE - 1)


class CancelTask(TaskChange):
    reason: str = Field(min_length=1, max_length=MAX_NOTE - 1)


class BoardQuery(BaseModel):
    owner_unit: str | None = Field(default=None, pattern=UNIT_PATTERN)
    status: Literal["open", "done", "cancelled"] = "open"
    at_risk: Literal["true", "false"] | None = None


def _reply(description: str, status: int = 200) -> dict[int, Reply]:
    return {status: Reply(description, schema=_OBJECT)}


def _versioned(op: Operation) -> Operation:
    replies = {status: replace(reply, headers=(ETAG,)) for status, reply in op.replies.items()}
    errors = (*op.errors, 428) if op.method == "PATCH" else op.errors
    return replace(op, replies=replies, errors=errors, if_match=op.method != "GET")


_READ = needs(READ, scope="a unit's staff: the tasks their units own or co-operate on")
_MANAGE = needs(MANAGE)
_REPORT = needs(REPORT, scope="the staff of the task's owner or co-operating units")
_CHANGE = (400, 401, 403, 404, 409, 413, 415)
_ONE = f"{PATH}/{{task_id}}"
TASK_OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", PATH, "taskBoard",
              "Open tasks with % of time elapsed, risk and projected finish; overdue and at risk first",
              "tasks", _reply("The board"), errors=(400, 401, 403), query=BoardQuery, access=_READ),
    Operation("POST", PATH, "registerTask", "Register a task (numbered NV-<year>-NNNN)", "tasks",
              _reply("The task", 201), errors=_CHANGE, body=NewTask, access=_MANAGE),
    _versioned(Operation("GET", _ONE, "getTask", "One task with its progress history and standing", "tasks",
                         _reply("The task"), errors=(401, 403, 404), path_params=_TASK_ID, access=_READ)),
    _versioned(Operation("PATCH", _ONE, "changeTask", "Change a task's title, units, dates or output",
                         "tasks", _reply("The task"), errors=_CHANGE, body=TaskPatch, path_params=_TASK_ID,
                         access=_MANAGE)),
    _versioned(Operation("POST", f"{_ONE}/acknowledge", "acknowledgeTask",
                         "The owner unit confirms it has the task in hand (once)", "tasks",
                         _reply("The task"), errors=_CHANGE, body=TaskChange, path_params=_TASK_ID,
                         access=needs(REPORT, scope="the staff of the task's owner unit"))),
    _versioned(Operation("POST", f"{_ONE}/progress", "reportTaskProgress",
                         "Report % done, a note and evidence files", "tasks", _reply("The task"),
                         errors=_CHANGE, body=ProgressReport, path_params=_TASK_ID, access=_REPORT)),
    Operation("POST", f"{_ONE}/evidence-uploads", "presignTaskEvidence",
              "A presigned POST for one evidence file (PDF, JPEG, PNG, XLSX, DOCX; up to 20 MB)", "tasks",
              _reply("The key and the presigned POST", 201), errors=_CHANGE, body=EvidenceUpload,
              path_params=_TASK_ID, access=_REPORT),
    _versioned(Operation("POST", f"{_ONE}/complete", "completeTask", "Close the task as done", "tasks",
                         _reply("The task"), errors=_CHANGE, body=CompleteTask, path_params=_TASK_ID,
                         access=_MANAGE)),
    _versioned(Operation("POST", f"{_ONE}/cancel", "cancelTask", "Cancel the task, with the reason",
                         "tasks", _reply("The task"), errors=_CHANGE, body=CancelTask, path_params=_TASK_ID,
                         access=_MANAGE)),
)  # fmt: skip
