"""Indicator values with their approval state and their revisions, and the targets.

A value is kept per indicator, breakdown (``city``, ``ward:22945``, ``sector:agri``, or
``province`` for the published provincial figures beside the city's) and period. What the
city shows is the approved entry; a new entry waits as ``pending`` until a second person
approves it (maker-checker). Approving a change to an approved value keeps a revision: who
entered and who approved it, when, why, old → new.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from ioc_core.socio_economic.catalogue import CITY

ValueStatus = Literal["estimate", "preliminary", "official"]
STATUS_ORDER: tuple[ValueStatus, ...] = ("estimate", "preliminary", "official")
Source = Literal["entry", "import", "feed", "published", "demo"]
PROVINCE = "province"  # the published Bình Thuận figures: public statistics, each with its source


class Finding(BaseModel):
    """What a validation rule said about an entry."""

    rule: str
    severity: Literal["error", "warning"]
    message_vi: str
    message_en: str
    detail: str = ""


class Entry(BaseModel):
    value: float
    status: ValueStatus = "estimate"
    by: str
    at: datetime
    source: Source = "entry"
    comment: str | None = Field(default=None, max_length=2000)
    reason: str | None = Field(default=None, max_length=2000, description="Why an approved value changes")
    source_url: str | None = None
    findings: list[Finding] = Field(default_factory=list)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


class Revision(BaseModel):
    no: int
    at: datetime
    entered_by: str
    approved_by: str
    reason: str | None
    old_value: float | None
    new_value: float
    old_status: ValueStatus | None
    new_status: ValueStatus


class SeriesValue(BaseModel):
    indicator: str
    breakdown: str = CITY
    period: str
    approved: Entry | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    pending: Entry | None = None
    revisions: list[Revision] = Field(default_factory=list)
    version: int = 0

    @property
    def series(self) -> str:
        return series_key(self.indicator, self.breakdown)

    @property
    def state(self) -> Literal["pending", "approved", "empty"]:
        if self.pending is not None:
            return "pending"
        return "approved" if self.approved is not None else "empty"

    @property
    def value(self) -> float | None:
        return self.approved.value if self.approved else None


class Target(BaseModel):
    """A People's Council target for one indicator and year (or quarter), kept as a range."""

    indicator: str
    period: str
    text: str = Field(description='As the resolution words it: "8–8,5 %", "≥ 95", "10.000"')
    low: float | None
    high: float | None
    resolution: str | None = Field(default=None, description="The resolution that set it")
    set_by: str
    set_at: datetime
    version: int = 0


def series_key(indicator: str, breakdown: str = CITY) -> str:
    return f"{indicator}#{breakdown}"


def split_series(series: str) -> tuple[str, str]:
    indicator, _, breakdown = series.partition("#")
    return indicator, breakdown or CITY
