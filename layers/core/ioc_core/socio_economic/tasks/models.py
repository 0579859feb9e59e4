"""Tasks (nhiệm vụ) of the People's Committee's plans and the leaders' directives, and the
progress their units report. Pydantic, no I/O."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

TASK_ID_PATTERN = r"^NV-[0-9]{4}-[0-9]{4,6}$"
UNIT_PATTERN = r"^[A-Z][A-Z0-9_]{1,29}$"  # TCKH, KINHTE, UBND_22945
# The province's id of a directive (its system's, e.g. "CD-2026-0042"): letters, digits, . _ / -
DIRECTIVE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"
MAX_NOTE = 2000  # a progress note: under this many characters
MAX_EVIDENCE = 10  # evidence files on one progress report
# The progress history lives on the task's item (one read shows the whole task): the last 200
# reports, a weekly report for almost four years, keep it well inside DynamoDB's 400 KB.
MAX_PROGRESS = 200
# ...and, whatever the notes' length, the stored task stays under this (DynamoDB's item limit
# is 400 KB): the oldest reports go first.
MAX_TASK_BYTES = 300_000
EVIDENCE_PREFIX = "tasks/"


class TaskSource(StrEnum):
    PLAN = "plan"  # a plan (kế hoạch) of the People's Committee
    DIRECTIVE = "directive"  # a leader's directive (chỉ đạo) in a meeting or a notice
    PROVINCE = "province"  # the province's directives, arriving through the integration room


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


SOURCE_LABELS = {
    TaskSource.PLAN: ("Kế hoạch", "Plan"),
    TaskSource.DIRECTIVE: ("Chỉ đạo", "Directive"),
    TaskSource.PROVINCE: ("Chỉ đạo của tỉnh", "Provincial directive"),
}


class Progress(BaseModel):
    """One progress report of a unit: how far, what was done, and the files that show it."""

    at: datetime
    by: str  # the staff account that reported (kept on the task, never put in an event)
    unit: str | None = None  # the unit it reported for (None: the registering office)
    percent: int = Field(ge=0, le=100)
    note: str = Field(min_length=1, max_length=MAX_NOTE)
    evidence: list[str] = Field(default_factory=list, max_length=MAX_EVIDENCE)


class Task(BaseModel):
    task_id: str = Field(pattern=TASK_ID_PATTERN)
    title: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    source: TaskSource
    source_ref: str = Field(default="", max_length=300)  # "Kế hoạch 123/KH-UBND ngày 05/01/2026"
    owner_unit: str = Field(pattern=UNIT_PATTERN)
    co_units: list[str] = Field(default_factory=list, max_length=20)
    start: date
    deadline: date
    expected_output: str = Field(default="", max_length=2000)
    # A provincial directive's id: the province's own reference, told back in every event, and
    # a task per directive (a directive delivered twice is registered once).
    directive_id: str | None = Field(default=None, pattern=DIRECTIVE_ID_PATTERN)
    status: TaskStatus = TaskStatus.OPEN
    percent: int = Field(default=0, ge=0, le=100)  # the latest report's (it may go back)
    progress: list[Progress] = Field(default_factory=list, max_length=MAX_PROGRESS)
    # Escalation marks: set when the job raised the event, so a rerun raises nothing. The
    # at-risk mark clears when a report brings the task back on track (a relapse is news
    # again); the overdue mark when a new deadline lies ahead.
    at_risk_marked_at: datetime | None = None
    overdue_marked_at: datetime | None = None
    # The owner unit confirmed it has the task (a directive is taken up, not only sent).
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None  # the staff account (kept here, never in an event)
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    closing_note: str | None = Field(default=None, max_length=MAX_NOTE)  # completion note or cancel reason
    version: int = 1
    created_by: str
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="after")
    def _dates_in_order(self) -> Task:
        if self.deadline < self.start:
            raise ValueError(f"deadline {self.deadline} is before start {self.start}")
        if self.owner_unit in self.co_units:
            raise ValueError(f"{self.owner_unit} is the owner unit, not a co-operating unit")
        return self

    @property
    def is_open(self) -> bool:
        return self.status is TaskStatus.OPEN

    @property
    def units(self) -> frozenset[str]:
        """The units that report on it: the owner and those co-operating."""
        return frozenset({self.owner_unit, *self.co_units})

    @property
    def number(self) -> tuple[int, int]:
        """(year, number) of NV-<year>-<number>."""
        _, year, number = self.task_id.split("-")
        return int(year), int(number)


def bounded(task: Task) -> Task:
    """The task with its last ``MAX_PROGRESS`` reports, fewer if their notes are long."""
    history = task.progress[-MAX_PROGRESS:]
    kept = task.model_copy(update={"progress": history})
    while len(kept.progress) > 1 and len(kept.model_dump_json().encode()) > MAX_TASK_BYTES:
        drop = max(1, len(kept.progress) // 10)  # a tenth at a time: a few serialisations at most
        kept = kept.model_copy(update={"progress": kept.progress[drop:]})
    return kept


def task_id(year: int, number: int) -> str:
    return f"NV-{year:04d}-{number:04d}"


def evidence_prefix(task_id: str) -> str:
    return f"{EVIDENCE_PREFIX}{task_id}/"
