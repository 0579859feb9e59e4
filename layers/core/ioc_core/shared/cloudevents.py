"""CloudEvents 1.0 envelope (structured JSON mode) for every domain event.

Every event names the JSON Schema of its ``data`` (``dataschema``: the type and its major
version, published at /api/v1/integration/schemas/…), its entity (``partitionkey``) and its
place in that entity's history (``sequence``, an Integer from 1).
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ioc_core.shared.clock import iso

TYPE_PREFIX = "vn.gov.lamdong.phanthiet.ioc."
SOURCE_ROOT = "/vn/gov/lamdong/phanthiet/ioc"
# Where the schemas are published: one identifier for every stage (as problem types have), so an
# event's bytes do not depend on the host it was built on; each stage serves the same path.
SCHEMA_BASE = "https://ioc.phanthiet.gov.vn/api/v1/integration/schemas/"

# Told of every event built by the system's own code (ioc_core), with the module that built it:
# the tests' contract check validates each against its schema (tests/event_contract.py).
Observer = Callable[["CloudEvent", str], None]
_observers: list[Observer] = []


def event_type(short: str) -> str:
    """``field_reporting.report.submitted`` → ``vn.gov.lamdong.phanthiet.ioc.report.submitted``."""
    return short if short.startswith(TYPE_PREFIX) else TYPE_PREFIX + short


def short_type(full: str) -> str:
    return full.removeprefix(TYPE_PREFIX)


def schema_uri(short: str, version: int) -> str:
    """``field_reporting.report.submitted``, 1 → ``…/schemas/field_reporting.report.submitted/v1``."""
    return f"{SCHEMA_BASE}{short_type(short)}/v{version}"


def observe(observer: Observer) -> None:
    """From now on ``observer`` is told of every event the system builds (the tests' contract check)."""
    _observers.append(observer)


@contextmanager
def observing(observer: Observer) -> Iterator[None]:
    observe(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


class CloudEvent(BaseModel):
    """Required attributes plus the extensions we use: ``sequence`` (per subject,
    contiguous from 1) and ``partitionkey`` (the Kinesis partition key)."""

    model_config = ConfigDict(extra="allow")

    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    subject: str | None = None
    time: str
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    sequence: str | None = None
    sequencetype: str | None = None
    partitionkey: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def new(
        cls,
        short: str,
        *,
        subsystem: str,
        subject: str,
        at: datetime,
        data: dict[str, Any],
        sequence: int | None = None,
        version: int = 1,
    ) -> CloudEvent:
        """``version``: the major version of the type's schema ``data`` follows."""
        event = cls(
            source=f"{SOURCE_ROOT}/{subsystem.replace('_', '-')}",
            type=event_type(short),
            subject=subject,
            time=iso(at),
            dataschema=schema_uri(short, version),
            sequence=f"{sequence:012d}" if sequence is not None else None,
            sequencetype="Integer" if sequence is not None else None,
            partitionkey=subject,
            data=data,
        )
        if _observers:
            builder = str(sys._getframe(1).f_globals.get("__name__", ""))
            for observer in tuple(_observers):
                observer(event, builder)
        return event

    def to_json(self) -> str:
        return json.dumps(self.model_dump(exclude_none=True), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> CloudEvent:
        return cls.model_validate_json(raw)

    @property
    def short_type(self) -> str:
        return short_type(self.type)
