"""Searching the audit log, and the port its store implements.

A search is always over a window of time (Vietnam days): by actor or by target it reads that
index, otherwise the window's days, newest first. The window has a default (the last week)
and a limit, so no search reads the whole table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from ioc_core.platform.audit.models import AuditEntry
from ioc_core.shared.clock import Clock, to_vn
from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.shared.text import words

DEFAULT_WINDOW = timedelta(days=7)
MAX_DAYS_WALKED = 92  # a quarter of day partitions when neither actor nor target narrows it
MAX_WINDOW = timedelta(days=366)  # by actor or by target: one index query, a year at most
ACTION_PREFIX = re.compile(r"^[a-z0-9_.]{1,100}$")


@dataclass(frozen=True)
class AuditQuery:
    start: datetime
    end: datetime
    actor: str | None = None
    target_id: str | None = None
    action: str | None = None  # a prefix of the short event type
    terms: tuple[str, ...] = ()  # folded words, each must appear in the entry's words (as a part)
    limit: int = 50
    token: str | None = None

    @property
    def days(self) -> list[str]:
        """The window's Vietnam days, newest first."""
        first, day = to_vn(self.start).date(), to_vn(self.end).date()
        found = []
        while day >= first:
            found.append(day.isoformat())
            day -= timedelta(days=1)
        return found

    def matches(self, entry: AuditEntry) -> bool:
        """What the store's filters keep (the fake applies it whole, the adapter in DynamoDB)."""
        text = entry.search_text
        return (
            self.start <= entry.at <= self.end
            and (self.actor is None or entry.actor == self.actor)
            and (self.target_id is None or entry.target.id == self.target_id)
            and (self.action is None or entry.action.startswith(self.action))
            and all(term in text for term in self.terms)
        )


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEntry] = field(default_factory=list)
    next_token: str | None = None


class AuditLog(Protocol):
    def record(self, entries: list[AuditEntry]) -> int:
        """Write entries; one written before (same id, so the same time and content) stays one
        entry. How many were written."""
        ...

    def search(self, query: AuditQuery) -> AuditPage:
        """Newest first, ``query.limit`` at most, resuming at ``query.token``."""
        ...


@dataclass(frozen=True)
class AuditSearchRequest:
    actor: str | None = None
    target: str | None = None
    action: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    q: str | None = None
    limit: int = 50
    token: str | None = None


class AuditService:
    def __init__(self, log: AuditLog, clock: Clock) -> None:
        self.log = log
        self.clock = clock

    def search(self, request: AuditSearchRequest) -> AuditPage:
        return self.log.search(self.query(request))

    def query(self, request: AuditSearchRequest) -> AuditQuery:
        """The request checked and completed: a bad one is a 400 naming its field."""
        end = request.end or self.clock.now()
        start = request.start or end - DEFAULT_WINDOW
        if start > end:
            raise ValidationFailed(
                "Khoảng thời gian không hợp lệ / 'from' must not be after 'to'.",
                problems=[FieldProblem("from", "not after 'to'")],
            )
        narrowed = bool(request.actor or request.target)
        if end - start > MAX_WINDOW or (
            not narrowed and (to_vn(end).date() - to_vn(start).date()).days >= MAX_DAYS_WALKED
        ):
            raise ValidationFailed(
                f"Khoảng thời gian quá dài / Search at most {MAX_DAYS_WALKED} days at once, or"
                f" {MAX_WINDOW.days} days of one actor or one target.",
                problems=[FieldProblem("from", "too far before 'to'")],
            )
        if request.action is not None and not ACTION_PREFIX.fullmatch(request.action):
            raise ValidationFailed(
                "Loại hành động không hợp lệ / 'action' is a prefix of an event type:"
                " field_reporting.report, for one.",
                problems=[FieldProblem("action", "lower-case letters, digits, '_' and '.'")],
            )
        return AuditQuery(
            start=start,
            end=end,
            actor=request.actor,
            target_id=request.target,
            action=request.action,
            terms=tuple(dict.fromkeys(words(request.q or ""))),
            limit=request.limit,
            token=request.token,
        )
