"""A staff member's saved queue filters: named sets of the queue's own filters, kept per
person on the server so that they follow the person from one computer to the next.

Only the queue's known filters are kept, each with a bounded value (what ``GET
/workflow/reports`` and the console's queue take); a person keeps at most ``MAX_SAVED``.
Names are NFC (the same name typed on two keyboards is one name), 1–60 characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ioc_core.field_reporting.models import ReportStatus
from ioc_core.shared.clock import Clock
from ioc_core.shared.errors import Conflict, FieldProblem, NotFound, ValidationFailed

if TYPE_CHECKING:
    from ioc_core.field_reporting.ports import SavedFilterStore

MAX_SAVED = 30
MAX_NAME = 60
ALL_STATUSES = "all"
SORT_KEYS = ("id", "category", "ward", "status", "unit", "submitted", "due")


class QueueFilterSet(BaseModel):
    """The queue's filters as the console keeps them (``mine``: the reports the person works on;
    ``sort``: a column, ``-`` first for the other way); unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    q: str | None = Field(default=None, min_length=1, max_length=200)
    status: str | None = Field(
        default=None,
        max_length=200,
        description="One status, several separated by commas, or `all`; none: every open status",
    )
    ward: str | None = Field(default=None, pattern=r"^[0-9]{5}$")
    category: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,64}$")
    unit: str | None = Field(default=None, pattern=r"^[A-Z0-9_]{1,40}$")
    overdue: bool | None = None
    mine: bool | None = None
    sort: str | None = Field(default=None, pattern=rf"^-?({'|'.join(SORT_KEYS)})$")

    @field_validator("status")
    @classmethod
    def _known_statuses(cls, value: str | None) -> str | None:
        if value is None or value == ALL_STATUSES:
            return value
        known = {s.value for s in ReportStatus}
        unknown = [s for s in value.split(",") if s not in known]
        if unknown:
            raise ValueError(f"unknown status {unknown[0]!r}: one of {', '.join(sorted(known))} or 'all'")
        return value


class SavedFilter(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    filters: QueueFilterSet
    updated_at: datetime


def saved_name(raw: str) -> str:
    """The name as kept: NFC, without surrounding spaces; 1–60 characters, no control
    characters and no ``/`` (it is a path segment of the API)."""
    name = unicodedata.normalize("NFC", raw).strip()
    wrong = None
    if not 1 <= len(name) <= MAX_NAME:
        wrong = f"1–{MAX_NAME} characters"
    elif "/" in name or any(unicodedata.category(c).startswith("C") for c in name):
        wrong = "no '/' and no control characters"
    if wrong:
        raise ValidationFailed(
            f"Tên bộ lọc không hợp lệ / A saved filter's name has {wrong}.",
            problems=[FieldProblem("name", wrong)],
        )
    return name


@dataclass
class SavedFilterService:
    """One person's saved filters: ``owner`` is the signed-in account's id, never a request's."""

    store: SavedFilterStore
    clock: Clock
    limit: int = MAX_SAVED

    def list(self, owner: str) -> list[SavedFilter]:
        return sorted(self.store.list(owner), key=lambda s: s.name.casefold())

    def save(self, owner: str, raw_name: str, filters: QueueFilterSet) -> tuple[SavedFilter, bool]:
        """Create or replace; True when it is new. A new one past the limit is a 409 naming it."""
        name = saved_name(raw_name)
        kept = self.store.list(owner)
        created = all(s.name != name for s in kept)
        if created and len(kept) >= self.limit:
            raise Conflict(
                f"Tối đa {self.limit} bộ lọc đã lưu / At most {self.limit} saved filters per person:"
                " delete one first.",
                problems=[FieldProblem("name", f"the limit is {self.limit} saved filters")],
            )
        saved = SavedFilter(name=name, filters=filters, updated_at=self.clock.now())
        self.store.put(owner, saved)
        return saved, created

    def forget(self, owner: str, raw_name: str) -> None:
        name = saved_name(raw_name)
        if not self.store.delete(owner, name):
            raise NotFound(
                f"Không có bộ lọc '{name}' / No saved filter named '{name}'.",
                problems=[FieldProblem("name", "no saved filter of this name")],
            )
