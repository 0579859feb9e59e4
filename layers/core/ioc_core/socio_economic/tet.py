"""Tết Nguyên Đán, the Lunar New Year: its first day moves between 21 January and 20 February,
and with it the month where shops peak, factories stop and tourists come. The dates are data
(data/tet.json, 2015–2035), checked in the tests against an astronomical computation."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from importlib import resources

# The days around the first day that a month's figures feel: the shopping fortnight before
# and the holiday with the first festival week after (the forecast's prior, not fitted).
DAYS_BEFORE = 14
DAYS_AFTER = 14


@cache
def _dates() -> dict[int, date]:
    raw = resources.files("ioc_core.socio_economic").joinpath("data/tet.json").read_text("utf-8")
    return {int(year): date.fromisoformat(day) for year, day in json.loads(raw)["dates"].items()}


def covered_years() -> range:
    years = sorted(_dates())
    return range(years[0], years[-1] + 1)


def tet_date(year: int) -> date:
    """The first day of Tết in ``year`` (the Vietnamese calendar, UTC+7)."""
    try:
        return _dates()[year]
    except KeyError:
        span = covered_years()
        raise ValueError(
            f"Tết date for {year} is not in data/tet.json (it covers {span.start}–{span.stop - 1})"
        ) from None


def tet_month(year: int) -> int:
    """The calendar month (1 or 2) that holds the first day of Tết."""
    return tet_date(year).month


@cache
def tet_window(year: int, days_before: int = DAYS_BEFORE, days_after: int = DAYS_AFTER) -> tuple[float, ...]:
    """How the Tết period (``days_before`` days before the first day to ``days_after`` after it)
    falls over the twelve months: fractions summing to 1, nonzero in January–March only."""
    first = tet_date(year) - timedelta(days=days_before)
    days = days_before + days_after
    counts = [0] * 12
    for offset in range(days):
        counts[(first + timedelta(days=offset)).month - 1] += 1
    return tuple(count / days for count in counts)
