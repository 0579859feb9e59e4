"""The platform's /api/v1/audit contract: the audit log, searched by administrators and leaders."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field

from ioc_core.platform.api import openapi
from ioc_core.platform.api.routes import PREFIX, Operation, Reply, RouteTable, needs
from ioc_core.platform.api.wire import WireReply
from ioc_core.platform.audit.models import AuditEntry
from ioc_core.platform.audit.service import AuditSearchRequest
from ioc_core.platform.permissions import AUDIT_READ
from ioc_core.shared.clock import VN_TZ, iso
from ioc_core.shared.errors import FieldProblem, ValidationFailed

CURSOR = r"^[A-Za-z0-9_-]{1,2048}$"
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$")


class AuditQuery(BaseModel):
    actor: str | None = Field(
        default=None, min_length=1, max_length=200, description="Exactly: a username, system:<function>"
    )
    target: str | None = Field(
        default=None, min_length=1, max_length=200, description="A report id, an API key id, a username"
    )
    action: str | None = Field(
        default=None,
        max_length=100,
        description="A prefix of the event type",
        examples=["field_reporting.report"],
    )
    from_: str | None = Field(
        default=None,
        alias="from",
        max_length=40,
        description="A day or a time; Asia/Ho_Chi_Minh unless it says",
    )
    to: str | None = Field(
        default=None, max_length=40, description="A day (through its end) or a time; default: now"
    )
    q: str | None = Field(
        default=None, min_length=1, max_length=200, description="Words, insensitive to case and diacritics"
    )
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, pattern=CURSOR)


def _moment(name: str, raw: str | None, end: bool) -> datetime | None:
    """A day (its start, or with ``end`` its last instant) or a time, in Vietnam unless it says."""
    if raw is None:
        return None
    if not _MOMENT.fullmatch(raw):
        raise ValidationFailed(
            f"Thời điểm không hợp lệ / '{name}' is a day (2026-12-02) or a time (2026-12-02T08:30).",
            problems=[FieldProblem(name, "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][±HH:MM]")],
        )
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            start = datetime.combine(day, time(), VN_TZ)
            return start + timedelta(days=1) - timedelta(microseconds=1) if end else start
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        raise ValidationFailed(
            f"Ngày không tồn tại / '{name}' is no such day or time.",
            problems=[FieldProblem(name, str(error))],
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def search_request(query: AuditQuery, token: str | None) -> AuditSearchRequest:
    return AuditSearchRequest(
        actor=query.actor, target=query.target, action=query.action, q=query.q, limit=query.limit,
        start=_moment("from", query.from_, False), end=_moment("to", query.to, True), token=token,
    )  # fmt: skip


class Names(WireReply):
    vi: str
    en: str


class TargetView(WireReply):
    room: str
    kind: str
    id: str


class AuditEntryView(WireReply):
    id: str
    datetime: str
    actor: str
    role: str | None
    action: str
    change: str | None
    step: str | None
    target: TargetView
    summary: Names
    ip: str | None
    forwarded_for: str | None
    user_agent: str | None
    route: str | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryView:
        return cls(
            id=entry.entry_id, datetime=iso(entry.at.astimezone(VN_TZ)), actor=entry.actor, role=entry.role,
            action=entry.action, change=entry.change, step=entry.step,
            target=TargetView(room=entry.target.room, kind=entry.target.kind, id=entry.target.id),
            summary=Names(vi=entry.summary.vi, en=entry.summary.en), ip=entry.ip,
            forwarded_for=entry.forwarded_for, user_agent=entry.user_agent, route=entry.route,
        )  # fmt: skip


class AuditList(WireReply):
    items: list[AuditEntryView]
    next_cursor: str | None


READ = needs(AUDIT_READ, "the whole log: administrators and leaders")
OPERATIONS: tuple[Operation, ...] = (
    Operation("GET", "/audit", "searchAudit", "The audit log, newest first", "audit",
              {200: Reply("A page of entries", AuditList)}, errors=(400, 401, 403), query=AuditQuery,
              access=READ),
    Operation("GET", "/audit/openapi.json", "getAuditOpenApi", "This document", "meta",
              {200: Reply("OpenAPI 3.1", schema={"type": "object"})}, errors=(401, 403), access=READ),
)  # fmt: skip
TABLE = RouteTable(f"{PREFIX}/audit", OPERATIONS)


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return openapi.build(
        TABLE,
        "Phan Thiết IOC: audit log (/api/v1/audit)",
        "Who did what, when and from where: every administrative action and every state change,"
        " searched by actor, target, room, action and time, newest first with signed cursors."
        " Errors are RFC 9457 problem+json in Vietnamese and English.",
    )
