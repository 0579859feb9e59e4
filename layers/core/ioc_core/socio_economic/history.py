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

    def has(self, year: int, month: int) -> bool:
        row = self._rows.get(year)
        return row is not None and not math.isnan(row[month - 1])

    def row(self, year: int) -> np.ndarray:
        return self._rows.get(year, np.full(12, np.nan))

    def full_years_before(self, year: int) -> list[int]:
        return sorted(y for y, row in self._rows.items() if y < year and not np.isnan(row).any())

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


def parse_history(history: Mapping[str, float]) -> MonthlyHistory:
    """Checks every key ("YYYY-MM") and value (a finite number), naming the period at fault."""
    if isinstance(history, MonthlyHistory):
        return history
    rows: dict[int, np.ndarray] = {}
    for period, value in history.items():
        if not isinstance(period, str) or len(period) != 7 or period[4] != "-":
            raise HistoryError(str(period), "the period must be YYYY-MM")
        try:
            year, month = int(period[:4]), int(period[5:])
        except ValueError:
            raise HistoryError(period, "the period must be YYYY-MM") from None
        if not 1 <= month <= 12:
            raise HistoryError(period, "the month must be 01–12")
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise HistoryError(period, f"the value must be a finite number, not {value!r}")
        row = rows.get(year)
        if row is None:
            row = rows[year] = np.full(12, np.nan)
        row[month - 1] = value
    return MonthlyHistory(rows)
