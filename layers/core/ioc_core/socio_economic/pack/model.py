"""What a meeting pack shows, already computed: the pack's builders format, they never calculate.

Percentages are in percent (``yoy_pct=7.25`` is +7.25 %); ``None`` is "no figure" and prints as
a dash. Every text is NFC-normalised on the way in, so the hash, the workbook and the PDF all see
the same letters whatever keyboard typed them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ioc_core.shared.problems import invalid_fields
from ioc_core.shared.text import nfc

ValueStatus = Literal["estimate", "preliminary", "official"]
Traffic = Literal["on_track", "at_risk", "off_track", "no_target"]
ChartKind = Literal["bar", "line"]
# Decree 09/2019/NĐ-CP periods: a month, a quarter, a half year or a year.
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$")


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # NaN has no hash

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> Any:
        if isinstance(value, str):
            return nfc(value).strip()
        if isinstance(value, list):
            return [nfc(v).strip() if isinstance(v, str) else v for v in value]
        return value


class IndicatorRow(_Part):
    code: str = Field(min_length=1, max_length=64)
    name_vi: str = Field(min_length=1)
    unit: str
    value: float | None
    value_status: ValueStatus = "official"
    previous: float | None = None  # the previous period (month before, quarter before…)
    last_year: float | None = None  # the same period last year
    yoy_pct: float | None = None
    plan_pct: float | None = None  # % of the year's plan reached so far
    target: str | None = None  # as the resolution writes it: "8–8,5 %"
    traffic: Traffic = "no_target"
    forecast: float | None = None  # year-end forecast and its band
    forecast_low: float | None = None
    forecast_high: float | None = None
    needed_per_month: float | None = None  # to reach the target in each remaining month

    @model_validator(mode="after")
    def _band_holds_forecast(self) -> IndicatorRow:
        low, high = self.forecast_low, self.forecast_high
        if low is not None and high is not None and low > high:
            raise ValueError(f"{self.code}: forecast_low {low} is above forecast_high {high}")
        return self


class IndicatorGroup(_Part):
    code: str = Field(min_length=1, max_length=64)
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    rows: list[IndicatorRow] = Field(min_length=1)


class TaskRow(_Part):
    task: str = Field(min_length=1)
    owner_unit: str = Field(min_length=1)
    deadline: date
    done_pct: float = Field(ge=0, le=100)
    elapsed_pct: float = Field(ge=0)  # past 100 once the deadline has passed
    at_risk: bool
    projected_finish: date | None = None


class Band(_Part):
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self


class Series(_Part):
    name: str = Field(min_length=1)  # "Năm 2026", "Cùng kỳ 2025"
    values: list[float | None]


class ForecastBand(_Part):
    """Low and high per x label; None where the months are already known."""

    low: list[float | None]
    high: list[float | None]


class ChartSpec(_Part):
    title: str = Field(min_length=1)
    kind: ChartKind = "bar"
    unit: str = ""
    x_labels: list[str] = Field(min_length=1, max_length=24)
    series: list[Series] = Field(min_length=1, max_length=3)
    target_band: Band | None = None
    forecast_band: ForecastBand | None = None

    @model_validator(mode="after")
    def _aligned(self) -> ChartSpec:
        n = len(self.x_labels)
        lengths = {s.name: len(s.values) for s in self.series}
        if self.forecast_band is not None:
            lengths["forecast_band.low"] = len(self.forecast_band.low)
            lengths["forecast_band.high"] = len(self.forecast_band.high)
        wrong = [f"{name} has {count}" for name, count in lengths.items() if count != n]
        if wrong:
            raise ValueError(f"{n} x labels but " + ", ".join(wrong) + " values")
        return self


class IssuingBody(_Part):
    parent: str  # "TỈNH LÂM ĐỒNG"; may be empty for a body without a parent
    name: str = Field(min_length=1)  # "ỦY BAN NHÂN DÂN PHƯỜNG PHAN THIẾT"


class Signer(_Part):
    on_behalf: str = "TM. ỦY BAN NHÂN DÂN"  # Decree 30: "TM." when signing for the collective
    title: str = Field(min_length=1)  # "CHỦ TỊCH"
    name: str = Field(min_length=1)


class PackContent(_Part):
    period: str
    cutoff: date  # the data cut-off day of the reporting regime
    issued: date  # the report's date; also the files' creation date
    issuer: IssuingBody
    number: str = Field(min_length=1)  # "123/BC-UBND", printed after "Số: "
    place: str = Field(min_length=1)  # "Phan Thiết"
    title: str = "BÁO CÁO"
    subtitle: str = Field(min_length=1)
    summary: list[str] = Field(default_factory=list)
    groups: list[IndicatorGroup] = Field(min_length=1)
    tasks: list[TaskRow] = Field(default_factory=list)
    charts: list[ChartSpec] = Field(default_factory=list, max_length=6)
    signer: Signer
    # "Nơi nhận": a short list, as a report has (the closing block is one unsplittable flowable).
    recipients: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        if not _PERIOD.match(value):
            raise ValueError("period is YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn")
        return value

    @field_validator("number")
    @classmethod
    def _bare_number(cls, value: str) -> str:
        return value.removeprefix("Số:").strip()

    @model_validator(mode="after")
    def _unique_codes(self) -> PackContent:
        seen: set[tuple[str, str]] = set()
        for kind, code in [("group", g.code) for g in self.groups] + [
            ("indicator", r.code) for g in self.groups for r in g.rows
        ]:
            if (kind, code) in seen:
                raise ValueError(f"{kind} {code} appears twice")
            seen.add((kind, code))
        if self.cutoff > self.issued:
            raise ValueError(f"cut-off {self.cutoff} is after the issue date {self.issued}")
        return self

    def indicator_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def parse_content(data: Mapping[str, Any]) -> PackContent:
    """A pack's content from plain data; bad input is ValidationFailed naming each field
    (``groups[1].rows[3].value``), which the API kit answers as a 400 in Vietnamese and English."""
    try:
        return PackContent.model_validate(data)
    except ValidationError as error:
        raise invalid_fields(error) from error
