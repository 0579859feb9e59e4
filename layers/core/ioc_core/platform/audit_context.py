"""Who is acting, from where and through which route: the audit context of a state change.

The API kit sets it for every request (``http.install``), a job or consumer names itself
(``system("field-reporting-sla")``); ``outbox.stage_events`` writes it on the outbox item in the
same transaction as the change, and the audit writer copies it into the audit log. It never
enters the CloudEvent: events leave the city, the audit log does not.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, ConfigDict

MAX_TEXT = 200  # a user agent or a forwarded chain is kept to this length


class AuditContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    actor: str  # a staff username, "resident:<account id>", "anonymous" or "system:<function>"
    sub: str | None = None
    role: str | None = None  # the role that acted on the route
    ip: str | None = None  # the address API Gateway saw
    forwarded_for: str | None = None  # X-Forwarded-For as it arrived (CloudFront's viewer address)
    user_agent: str | None = None
    route: str | None = None  # "POST /api/v1/workflow/reports/{report_id}/verify"

    def to_json(self) -> str:
        return json.dumps(self.model_dump(exclude_none=True), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | None) -> AuditContext | None:
        if not raw:
            return None
        try:
            return cls.model_validate_json(raw)
        except ValueError:
            return None


def clip(value: str | None) -> str | None:
    return value[:MAX_TEXT] if value else None


UNKNOWN = AuditContext(actor="system:unknown")
_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("ioc_audit", default=None)


def current() -> AuditContext:
    """The context of what runs now; code that never named itself is ``system:unknown``."""
    return _current.get() or UNKNOWN


@contextmanager
def acting(context: AuditContext) -> Iterator[AuditContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def system(function: str) -> AuditContext:
    """A job's or a consumer's context: ``system:<function>``."""
    return AuditContext(actor=f"system:{function}")
