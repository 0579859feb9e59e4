"""The province's directives coming down: a signed webhook, each directive a task once.

The province's monitoring center POSTs a CloudEvent (structured JSON) of type
``vn.gov.lamdong.ioc.task.assigned`` signed as Standard Webhooks prescribe (``webhook-id``,
``webhook-timestamp``, ``webhook-signature`` over ``id.timestamp.body`` with the shared
secret). Checked in this order, each failure a 4xx that changes nothing: the signature over
the raw bytes and a timestamp within five minutes (401), the body (400 naming the field), the
units it names (400). A delivery whose ``webhook-id`` came before, or the same directive sent
again under a new id, is acknowledged and ignored; the same directive id with other content is
a 409 (the province changes a directive by sending a new one).

An accepted directive is stored with its event ``integration.directive.received`` in one
transaction; the socio-economic room takes the event and registers the task (it never reads
this room's tables, and this room never writes the task register).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ioc_core.identity.errors import Unauthenticated
from ioc_core.platform.rooms import Label
from ioc_core.shared import problems
from ioc_core.shared.clock import Clock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import Conflict, FieldProblem, ValidationFailed
from ioc_core.shared.text import clean_text
from ioc_core.socio_economic.tasks.models import DIRECTIVE_ID_PATTERN, UNIT_PATTERN

SUBSYSTEM = "integration"
INBOUND_TYPE = "vn.gov.lamdong.ioc.task.assigned"  # the province's namespace, not the city's
RECEIVED = "integration.directive.received"
EMITS = (RECEIVED,)


class DirectiveData(BaseModel):
    """What the province asks of the city: a task for one unit (and those co-operating)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    directive_id: str = Field(pattern=DIRECTIVE_ID_PATTERN)
    title: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    document_ref: str = Field(default="", max_length=300)  # "Công văn 456/UBND-KT ngày 10/03/2026"
    owner_unit: str = Field(pattern=UNIT_PATTERN)
    co_units: list[str] = Field(default_factory=list, max_length=20)
    start: date | None = None  # None: the day it arrives
    deadline: date
    expected_output: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _dates_in_order(self) -> DirectiveData:
        if self.start is not None and self.deadline < self.start:
            raise ValueError(f"deadline {self.deadline} is before start {self.start}")
        return self


class InboundDirective(BaseModel):
    """The CloudEvent envelope the province sends (extensions allowed, ignored)."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=500)
    type: Literal["vn.gov.lamdong.ioc.task.assigned"]
    time: datetime | None = None
    data: DirectiveData


class Directive(BaseModel):
    """A directive as the city keeps it: what was asked, and the delivery that brought it."""

    directive_id: str
    webhook_id: str
    event_id: str  # the province's CloudEvent id
    source: str
    fingerprint: str  # of the directive's content: the same id sent again must say the same
    received_at: datetime
    data: DirectiveData


@dataclass(frozen=True)
class Receipt:
    status: Literal["accepted", "duplicate"]
    directive_id: str


class DirectiveStore(Protocol):
    def by_webhook(self, webhook_id: str) -> Directive | None: ...

    def get(self, directive_id: str) -> Directive | None: ...

    def add(self, directive: Directive, events: Sequence[CloudEvent]) -> bool:
        """Store it with its events in one transaction; False (and nothing written) when its
        directive id or its webhook id is taken already."""


Verify = Callable[[bytes, Mapping[str, str]], None]  # raises on a bad signature or timestamp


class DirectiveService:
    def __init__(
        self, verify: Verify, store: DirectiveStore, unit_exists: Callable[[str], bool], clock: Clock
    ) -> None:
        self.verify = verify
        self.store = store
        self.unit_exists = unit_exists
        self.clock = clock

    def receive(self, raw: bytes, headers: Mapping[str, str]) -> Receipt:
        try:
            self.verify(raw, headers)
        except Exception as error:  # the package raises several kinds for bad headers: all are 401
            raise Unauthenticated(
                "Chữ ký không hợp lệ hoặc đã quá hạn / The webhook signature does not verify, or its"
                " timestamp is more than five minutes away: sign id.timestamp.body with the shared secret."
            ) from error
        webhook_id = headers.get("webhook-id", "")
        seen = self.store.by_webhook(webhook_id)
        if seen is not None:
            return Receipt("duplicate", seen.directive_id)
        inbound = _parsed(raw)
        data = _cleaned(inbound.data)
        self._check_units(data)
        directive = Directive(
            directive_id=data.directive_id,
            webhook_id=webhook_id,
            event_id=inbound.id,
            source=inbound.source,
            fingerprint=fingerprint(data),
            received_at=self.clock.now(),
            data=data,
        )
        earlier = self.store.get(data.directive_id)
        if earlier is None and self.store.add(directive, [received(directive)]):
            return Receipt("accepted", data.directive_id)
        earlier = earlier or self.store.get(data.directive_id) or self.store.by_webhook(webhook_id)
        if earlier is not None and earlier.fingerprint == directive.fingerprint:
            return Receipt("duplicate", data.directive_id)
        raise Conflict(
            f"Chỉ đạo {data.directive_id} đã nhận với nội dung khác / Directive {data.directive_id} was"
            " received before with other content: send a change as a new directive with its own id."
        )

    def _check_units(self, data: DirectiveData) -> None:
        named = [
            ("data.owner_unit", data.owner_unit),
            *((f"data.co_units[{i}]", u) for i, u in enumerate(data.co_units)),
        ]
        unknown = [
            FieldProblem(name, f"no unit {code!r}") for name, code in named if not self.unit_exists(code)
        ]
        if unknown:
            raise ValidationFailed("Không có đơn vị này / Unknown unit code.", problems=unknown)


def _parsed(raw: bytes) -> InboundDirective:
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ValidationFailed(
            "Nội dung không phải JSON hợp lệ / The body is not valid UTF-8 JSON.",
            problems=[FieldProblem("body", str(error)[:200])],
        ) from error
    try:
        return InboundDirective.model_validate(document)
    except ValidationError as error:
        raise problems.invalid_fields(error) from error


def _cleaned(data: DirectiveData) -> DirectiveData:
    """Texts in NFC without markup, as every text the city keeps."""
    update: dict[str, Any] = {
        name: clean_text(value)
        for name in ("title", "title_en", "document_ref", "expected_output")
        if isinstance(value := getattr(data, name), str)
    }
    if not update.get("title"):
        raise ValidationFailed(
            "Cần tiêu đề / data.title is required.", problems=[FieldProblem("data.title", "required")]
        )
    return data.model_copy(update=update)


def fingerprint(data: DirectiveData) -> str:
    return hashlib.sha256(data.model_dump_json().encode("utf-8")).hexdigest()


def received(directive: Directive) -> CloudEvent:
    """No personal data: a directive names units and dates; its words are the province's own."""
    data = directive.data
    return CloudEvent.new(
        RECEIVED,
        subsystem=SUBSYSTEM,
        subject=f"directive/{directive.directive_id}",
        at=directive.received_at,
        sequence=1,
        data={
            "directive_id": data.directive_id,
            "province_event_id": directive.event_id,
            "province_source": directive.source,
            "title": data.title,
            "title_en": data.title_en,
            "document_ref": data.document_ref,
            "owner_unit": data.owner_unit,
            "co_units": list(data.co_units),
            "start": data.start.isoformat() if data.start else None,
            "deadline": data.deadline.isoformat(),
            "expected_output": data.expected_output,
        },
    )


def audit_words() -> dict[str, Label]:
    return {RECEIVED: Label("Nhận chỉ đạo của tỉnh", "Provincial directive received")}


def standard_webhooks_verifier(secrets: Callable[[], Sequence[str]]) -> Verify:
    """Verification by the ``standardwebhooks`` package against each accepted secret (two
    during a rotation). Its timestamp check uses the real clock, as the province's does."""
    from standardwebhooks.webhooks import Webhook

    def verify(raw: bytes, headers: Mapping[str, str]) -> None:
        accepted = secrets()
        if not accepted:
            raise ValueError("no secret configured")
        wanted = {k: headers.get(k, "") for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
        last: Exception = ValueError("no secret verified")
        for secret in accepted:
            try:
                Webhook(secret).verify(raw, wanted, json_parse=False)  # the body is ours to parse: a 400
                return
            except Exception as error:
                last = error
        raise last

    return verify
