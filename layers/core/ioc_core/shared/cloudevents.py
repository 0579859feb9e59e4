"""CloudEvents 1.0 envelope (structured JSON mode) for every domain event."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ioc_core.shared.clock import iso

TYPE_PREFIX = "vn.gov.lamdong.phanthiet.ioc."
SOURCE_ROOT = "/vn/gov/lamdong/phanthiet/ioc"


def event_type(short: str) -> str:
    """``field_reporting.report.submitted`` → ``vn.gov.lamdong.phanthiet.ioc.report.submitted``."""
    return short if short.startswith(TYPE_PREFIX) else TYPE_PREFIX + short


def short_type(full: str) -> str:
    return full.removeprefix(TYPE_PREFIX)


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
    ) -> CloudEvent:
        return cls(
            source=f"{SOURCE_ROOT}/{subsystem.replace('_', '-')}",
            type=event_type(short),
            subject=subject,
            time=iso(at),
            sequence=f"{sequence:012d}" if sequence is not None else None,
            sequencetype="Integer" if sequence is not None else None,
            partitionkey=subject,
            data=data,
        )

    def to_json(self) -> str:
        return json.dumps(self.model_dump(exclude_none=True), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> CloudEvent:
        return cls.model_validate_json(raw)

    @property
    def short_type(self) -> str:
        return short_type(self.type)
