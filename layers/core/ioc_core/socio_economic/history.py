"""A monthly series as the forecast reads it: "YYYY-MM" → value, checked once and laid out as
one row of twelve months per year (NaN where a month is missing)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real

import numpy as np

from ioc_core.shared.errors import FieldProblem, ValidationFailed


class HistoryError(ValidationFailed, ValueError):
    def __init__(self, period: str, message: str) -> None:
        super().__init__(f"{period}: {message}", problems=[FieldProblem(period, message)])


class MonthlyHistory:
    def __init__(self, rows: dict[int, np.ndarray]) -> None:
        self._rows = rows
        self._full = sorted(y for y, row in rows.items() if not np.isnan(row).any())

    def has(self, year: int, month: int) -> bool:
        row = self._rows.get(year)
        return row is not None and not math.isnan(row[month - 1])

    def row(self, year: int) -> np.ndarray:
        return self._rows.get(year, np.full(12, np.nan))

    def full_years_before(self, year: int) -> list[int]:
        return [y for y in self._full if y < year]

    def describe_before(self, year: int) -> str:
        """What there is before ``year``, for the message that says what is missing."""
        known = [
            f"{y}: {int((~np.isnan(row)).sum())} months" for y, row in sorted(self._rows.items()) if y < year
        ]
        return "found " + ("; ".join(known) if known else "no earlier months")

    def matrix(self, years: list[int]) -> np.ndarray:
        return np.stack([self._rows[y] for y in years])

    def best_in_month(self, month: int, *, before: int, highest: bool) -> tuple[int | None, float | None]:
        """The best value this month of the year had in the years before ``before``."""
        best_year, best = None, None
        for y, row in self._rows.items():
            value = row[month - 1]
            if y >= before or math.isnan(value):
                continue
            if best is None or (value > best if highest else value < best):
                best_year, best = y, float(value)
        return best_year, best

    def run_until(self, year: int, month: int) -> np.ndarray:
        """The consecutive known months ending at ``month`` of ``year`` (the cut-off)."""
        if not self.has(year, month):
            return np.empty(0)
        first = min(self._rows)
        empty = np.full(12, np.nan)
        flat = np.concatenate([self._rows.get(y, empty) for y in range(first, year + 1)])
        end = len(flat) - 12 + month
        gaps = np.flatnonzero(np.isnan(flat[:end]))
        return flat[gaps[-1] + 1 if len(gaps) else 0 : end]


# "YYYY-MM" → (year, month), checked once: every series of a city repeats the same periods.
_PERIODS: dict[str, tuple[int, int]] = {}


def _period(period: object) -> tuple[int, int]:
    if not isinstance(period, str) or len(period) != 7 or period[4] != "-":
        raise HistoryError(str(period), "the period must be YYYY-MM")
    if not (period[:4].isdigit() and period[5:].isdigit()):
        raise HistoryError(period, "the period must be YYYY-MM")
    year, month = int(period[:4]), int(period[5:])
    if not 1 <= month <= 12:
        raise HistoryError(period, "the month must be 01–12")
    if len(_PERIODS) < 10_000:
        _PERIODS[period] = (year, month)
    return year, month


def parse_history(history: Mapping[str, float]) -> MonthlyHistory:
    """Checks every key ("YYYY-MM") and value (a finite number), naming the period at fault."""
    if isinstance(history, MonthlyHistory):
        return history
    rows: dict[int, list[float]] = {}
    periods = _PERIODS
    for period, value in history.items():
        year, month = periods.get(period) or _period(period)
        # type() first: the ABC check behind isinstance(…, Real) is the slow part of this loop.
        if type(value) is not float and (isinstance(value, bool) or not isinstance(value, Real)):
            raise HistoryError(period, f"the value must be a finite number, not {value!r}")
        if not math.isfinite(value):
            raise HistoryError(period, f"the value must be a finite number, not {value!r}")
        row = rows.get(year)
        if row is None:
            row = rows[year] = [math.nan] * 12
        row[month - 1] = float(value)
    return MonthlyHistory({year: np.array(row) for year, row in rows.items()})
