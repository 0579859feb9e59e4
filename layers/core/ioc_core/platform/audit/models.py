"""The audit log's entry: who did what to which thing, when, from where. Plain Python, no I/O.

An entry is made from an outbox item (the event and the audit context committed with it) or,
for a change outside DynamoDB (the identity provider's directory), from the change itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from ioc_core.platform.audit_context import AuditContext
from ioc_core.platform.rooms import Label
from ioc_core.shared.clock import to_vn
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.text import words


class Target(BaseModel):
    model_config = ConfigDict(frozen=True)

    room: str  # field_reporting
    kind: str  # report
    id: str  # PT-2026-000123

    @property
    def key(self) -> str:
        """What the by-target index is keyed on: one thing across rooms."""
        return f"{self.room}/{self.kind}/{self.id}"


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    entry_id: str  # the event's id: writing an entry twice changes nothing
    at: datetime
    actor: str
    role: str | None = None
    action: str  # the short event type, field_reporting.report.status_changed
    change: str | None = None  # "received→verified" for a state change
    step: str | None = None  # the workflow's action name: verify, assign, resolve
    target: Target
    summary: Label
    ip: str | None = None
    forwarded_for: str | None = None
    user_agent: str | None = None
    route: str | None = None

    @property
    def day(self) -> str:
        """The Vietnam day it happened on: the table's partition."""
        return to_vn(self.at).strftime("%Y-%m-%d")

    @property
    def sort_key(self) -> str:
        """Time then id: sorts as time, unique, the same in every index."""
        return f"{to_vn(self.at).isoformat(timespec='microseconds')}#{self.entry_id}"

    @property
    def search_text(self) -> str:
        """Folded words a free-text search matches (diacritics and case ignored)."""
        parts = (self.summary.vi, self.summary.en, self.actor, self.action, self.target.key, self.step or "")
        return " ".join(dict.fromkeys(w for part in parts for w in words(part)))


def _room_of(event: CloudEvent) -> str:
    return event.short_type.split(".", 1)[0]


def _kind_of(event: CloudEvent) -> str:
    parts = event.short_type.split(".")
    return parts[1] if len(parts) > 2 else "event"


def _word(vocabulary: Mapping[str, Label], key: str, fallback: str) -> Label:
    return vocabulary.get(key) or Label(fallback, fallback)


def _shown(target: Target, data: Mapping[str, Any]) -> str:
    """The target as a summary names it: a long id (a key's hash) cut short, a name when it has one."""
    shown = target.id if len(target.id) <= 24 else f"{target.id[:10]}…"
    name = data.get("name")
    return f"{shown} «{name}»" if isinstance(name, str) and name else shown


def summarize(
    action: str, target: Target, data: Mapping[str, Any], vocabulary: Mapping[str, Label]
) -> tuple[Label, str | None, str | None]:
    """(summary, change, step): "Phản ánh PT-1: Chờ tiếp nhận → Đã tiếp nhận (verify)"."""
    what = _word(vocabulary, action, action)
    shown = _shown(target, data)
    before, after = data.get("from"), data.get("to")
    if not (isinstance(before, str) and isinstance(after, str)):
        return Label(f"{what.vi} {shown}", f"{what.en} {shown}"), None, None
    step = data.get("action") if isinstance(data.get("action"), str) else None
    old = _word(vocabulary, f"status:{before}", before)
    new = _word(vocabulary, f"status:{after}", after)
    how = f" ({step})" if step else ""
    summary = Label(
        f"{what.vi} {shown}: {old.vi} → {new.vi}{how}", f"{what.en} {shown}: {old.en} → {new.en}{how}"
    )
    return summary, f"{before}→{after}", step


def entry_of(
    event: CloudEvent, context: AuditContext | None, committed_at: datetime, vocabulary: Mapping[str, Label]
) -> AuditEntry:
    """The entry of one outbox item: the event says what, the context who and from where."""
    who = context or AuditContext(actor="system:unknown")
    target = Target(room=_room_of(event), kind=_kind_of(event), id=event.subject or event.id)
    summary, change, step = summarize(event.short_type, target, event.data, vocabulary)
    return AuditEntry(
        entry_id=event.id,
        at=committed_at,
        actor=who.actor,
        role=who.role or (event.data.get("role") if isinstance(event.data.get("role"), str) else None),
        action=event.short_type,
        change=change,
        step=step,
        target=target,
        summary=summary,
        ip=who.ip,
        forwarded_for=who.forwarded_for,
        user_agent=who.user_agent,
        route=who.route,
    )


def direct_entry(
    entry_id: str, action: str, target: Target, summary: Label, at: datetime, context: AuditContext
) -> AuditEntry:
    """The entry of a change no outbox item carries (one outside DynamoDB), from its context."""
    return AuditEntry(
        entry_id=entry_id, at=at, actor=context.actor, role=context.role, action=action, target=target,
        summary=summary, ip=context.ip, forwarded_for=context.forwarded_for, user_agent=context.user_agent,
        route=context.route,
    )  # fmt: skip
