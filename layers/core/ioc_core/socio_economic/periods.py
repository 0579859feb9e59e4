"""Reporting periods of the state reporting regime (Decree 09/2019/NĐ-CP).

Monthly, quarterly, six-monthly and yearly reports; each period's figures are cut off on
fixed days (Article 12): a month's from the 15th of the month before to the 14th of the
month, a quarter's from the 15th of the month before it to the 14th of its last month, the
first six months' from 15 December of the year before to 14 June, a year's from 15 December
of the year before to 14 December. Codes: ``2026-10``, ``2026-Q3``, ``2026-H1``, ``2026``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ioc_core.shared.errors import FieldProblem, ValidationFailed

Kind = Literal["month", "quarter", "half", "year", "span"]
FREQUENCY_KIND: dict[str, Kind] = {
    "monthly": "month",
    "quarterly": "quarter",
    "six_monthly": "half",
    "yearly": "year",
}
_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])(?:\.\.(?P<to>0[1-9]|1[0-2]))?|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)
_ROMAN = ("I", "II", "III", "IV")
CUTOFF_DAY = 14  # the last day counted; the next period starts on the 15th
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Period:
    year: int
    first: int  # first month
    last: int  # last month

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        match = _PATTERN.match(str(text).strip())
        if not match or not FIRST_YEAR <= int(match["year"]) <= LAST_YEAR:
            message = (
                f"Kỳ báo cáo {text!r} không hợp lệ (ví dụ 2026-10, 2026-Q3, 2026-H1, 2026) / "
                f"Reporting period {text!r} is not valid (e.g. 2026-10, 2026-Q3, 2026-H1, 2026)."
            )
            raise ValidationFailed(message, problems=[FieldProblem(field, message)])
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            last = int(match["to"]) if match["to"] else month
            if last < month:
                message = f"Kỳ {text!r}: tháng cuối trước tháng đầu / Period {text!r} ends before it starts."
                raise ValidationFailed(message, problems=[FieldProblem(field, message)])
            return cls(year, month, last)
        if match["quarter"]:
            q = int(match["quarter"])
            return cls(year, 3 * q - 2, 3 * q)
        if match["half"]:
            h = int(match["half"])
            return cls(year, 6 * h - 5, 6 * h)
        return cls(year, 1, 12)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, month, month)

    @property
    def kind(self) -> Kind:
        span = self.last - self.first + 1
        kind = {1: "month", 3: "quarter", 6: "half", 12: "year"}.get(span)
        if kind is None or (self.first - 1) % span:
            return "span"  # months from..to that are no regular period, e.g. year to date 2026-01..11
        return kind  # type: ignore[return-value]

    @property
    def code(self) -> str:
        kind = self.kind
        if kind == "month":
            return f"{self.year}-{self.first:02d}"
        if kind == "quarter":
            return f"{self.year}-Q{self.last // 3}"
        if kind == "half":
            return f"{self.year}-H{self.last // 6}"
        if kind == "span":
            return f"{self.year}-{self.first:02d}..{self.last:02d}"
        return str(self.year)

    def __str__(self) -> str:
        return self.code

    @property
    def months(self) -> list[str]:
        return [f"{self.year}-{m:02d}" for m in range(self.first, self.last + 1)]

    def contains(self, other: Period) -> bool:
        return self.year == other.year and self.first <= other.first and other.last <= self.last

    def previous(self) -> Period:
        span = self.last - self.first + 1
        if self.kind == "span":
            return self.same_period_last_year()
        if self.first > span:
            return Period(self.year, self.first - span, self.last - span)
        return Period(self.year - 1, 12 - span + 1, 12) if span < 12 else Period(self.year - 1, 1, 12)

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.first, self.last)

    def year_to_date(self) -> Period:
        """January to this period's last month (what cumulative figures cover)."""
        return Period(self.year, 1, self.last)

    def cutoff(self) -> tuple[date, date]:
        """The first and last day whose figures the period's report counts (Article 12)."""
        start_month, start_year = (self.first - 1, self.year) if self.first > 1 else (12, self.year - 1)
        return date(start_year, start_month, CUTOFF_DAY + 1), date(self.year, self.last, CUTOFF_DAY)

    def label(self, lang: str = "vi") -> str:
        kind = self.kind
        if kind == "span":
            if lang == "vi":
                return (
                    f"{self.last - self.first + 1} tháng năm {self.year}"
                    if self.first == 1
                    else (f"Tháng {self.first}–{self.last}/{self.year}")
                )
            return f"{date(self.year, self.first, 1):%b}–{date(self.year, self.last, 1):%b} {self.year}"
        if lang == "vi":
            if kind == "month":
                return f"Tháng {self.first}/{self.year}"
            if kind == "quarter":
                return f"Quý {_ROMAN[self.last // 3 - 1]}/{self.year}"
            if kind == "half":
                return f"6 tháng đầu năm {self.year}" if self.first == 1 else f"6 tháng cuối năm {self.year}"
            return f"Năm {self.year}"
        if kind == "month":
            return date(self.year, self.first, 1).strftime("%B %Y")
        if kind == "quarter":
            return f"Q{self.last // 3} {self.year}"
        if kind == "half":
            return f"H{self.last // 6} {self.year}"
        return str(self.year)


def periods_of(frequency: str, year: int) -> list[Period]:
    kind = FREQUENCY_KIND[frequency]
    span = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    return [Period(year, m, m + span - 1) for m in range(1, 13, span)]


def reporting_period(frequency: str, today: date) -> Period:
    """The period whose report is being prepared on ``today``: the one whose cut-off window
    holds it (a monthly report on 20 October is November's, cut off on 14 November)."""
    for year in (today.year, today.year + 1):
        for period in periods_of(frequency, year):
            start, end = period.cutoff()
            if start <= today <= end:
                return period
    raise AssertionError("every day falls in a cut-off window")  # pragma: no cover


def fits(frequency: str, period: Period) -> bool:
    """A value of an indicator is entered for periods of its frequency only."""
    return period.kind == FREQUENCY_KIND[frequency]
