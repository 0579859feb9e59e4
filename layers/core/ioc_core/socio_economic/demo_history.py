"""Deterministic, realistic monthly demo history: a seasonal shape per kind of activity (data/
seasonal_profiles.json), growth year on year, a Tết effect that moves with the real date, and
noise seeded from the series' code, so every run (and every machine) writes the same figures."""

from __future__ import annotations

import csv
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ioc_core.socio_economic.tet import tet_window

Aggregation = Literal["sum", "average", "last"]


@dataclass(frozen=True)
class DemoSeries:
    """One demo indicator: ``base`` is its average month in the first year, ``growth`` the yearly
    growth (0.07 = 7 %), ``noise`` the month-to-month relative spread (0.03 = 3 %)."""

    code: str
    profile: str
    base: float
    growth: float
    noise: float
    aggregation: Aggregation = "sum"
    cap: float | None = None  # a rate's ceiling (an occupancy of 100 %)
    decimals: int = 1


@cache
def profiles() -> dict[str, dict[str, Any]]:
    raw = resources.files("ioc_core.socio_economic").joinpath("data/seasonal_profiles.json")
    loaded: dict[str, dict[str, Any]] = json.loads(raw.read_text("utf-8"))["profiles"]
    return loaded


def _shape(profile: Mapping[str, Any], year: int) -> np.ndarray:
    """The profile's twelve factors for ``year``, its Tết period placed on that year's dates."""
    window = tet_window(year, int(profile["tet_days_before"]), int(profile["tet_days_after"]))
    return np.asarray(profile["months"], dtype=float) + float(profile["tet_lift"]) * np.asarray(window)


def _one(spec: DemoSeries, first_year: int, last_year: int, last_month: int, seed: int) -> dict[str, float]:
    try:
        profile = profiles()[spec.profile]
    except KeyError:
        raise ValueError(
            f"{spec.code}: unknown profile {spec.profile!r}; known: {sorted(profiles())}"
        ) from None
    rng = np.random.default_rng([zlib.crc32(spec.code.encode("utf-8")), seed])
    values: dict[str, float] = {}
    level = spec.base
    for year in range(first_year, last_year + 1):
        # Growth itself wanders a little from year to year, as a real economy's does.
        yearly = (1.0 + spec.growth + rng.normal(0.0, 0.01)) ** (1 / 12)
        shape = _shape(profile, year)
        if spec.aggregation == "last":
            shape = 1.0 + 0.1 * (shape - 1.0)  # a stock barely breathes with the seasons
        for month in range(1, 13 if year < last_year else last_month + 1):
            level *= yearly
            value = level * shape[month - 1] * (1.0 + rng.normal(0.0, spec.noise))
            if spec.cap is not None:
                value = min(value, spec.cap)
            values[f"{year}-{month:02d}"] = round(max(float(value), 0.0), spec.decimals)
    return values


def generate(
    specs: Iterable[DemoSeries], first_year: int, last_year: int, *, last_month: int = 12, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Every spec's months from January ``first_year`` to ``last_month`` of ``last_year``, by code
    then "YYYY-MM". ``seed`` picks another draw of the same series (to tune on one, score on another)."""
    return {spec.code: _one(spec, first_year, last_year, last_month, seed) for spec in specs}


def write_csv(series: Mapping[str, Mapping[str, float]], path: Path) -> int:
    """The history as ``ioc eval forecast`` reads it (series,period,value; UTF-8); the rows written."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["series", "period", "value"])
        for code, months in series.items():
            for period in sorted(months):
                writer.writerow([code, period, repr(float(months[period]))])
                rows += 1
    return rows


# A city's worth of monthly indicators (bases in the units the catalogue uses), for tests, the
# backtest's demo file and the bench until the catalogue's own specs replace them.
SAMPLE_SPECS: tuple[DemoSeries, ...] = (
    DemoSeries("TOURIST_ARRIVALS", "tourism", 520.0, 0.09, 0.04),  # thousand visits
    DemoSeries("TOURIST_ARRIVALS_INTL", "tourism_international", 28.0, 0.15, 0.06),
    DemoSeries("TOURISM_REVENUE", "tourism", 1500.0, 0.1, 0.04),  # billion VND
    DemoSeries("HOTEL_OCCUPANCY", "tourism", 52.0, 0.02, 0.03, "average", cap=100.0),  # %
    DemoSeries("RETAIL_SALES", "retail", 6200.0, 0.1, 0.02),  # billion VND
    DemoSeries("IND_PROD_VALUE", "industry", 3100.0, 0.08, 0.025),  # billion VND, 2010 prices
    DemoSeries("BUDGET_REVENUE", "budget", 850.0, 0.05, 0.05),  # billion VND
    DemoSeries("FISHERY_OUTPUT", "fishery", 17000.0, 0.03, 0.04, decimals=0),  # tonnes
    DemoSeries("CPI_INDEX", "flat", 100.0, 0.035, 0.002, "average", decimals=2),
    DemoSeries("ENTERPRISES_ACTIVE", "flat", 7400.0, 0.06, 0.003, "last", decimals=0),
)


def sample_specs(count: int) -> list[DemoSeries]:
    """``count`` specs cycling through SAMPLE_SPECS under new codes and bases (a bigger city)."""
    specs = []
    for n in range(count):
        spec = SAMPLE_SPECS[n % len(SAMPLE_SPECS)]
        scale = 1.0 + 0.15 * (n // len(SAMPLE_SPECS))
        base = spec.base if spec.aggregation == "average" else spec.base * scale
        specs.append(
            DemoSeries(
                f"{spec.code}_{n:02d}", spec.profile, base, spec.growth, spec.noise, spec.aggregation,
                spec.cap, spec.decimals,
            )
        )  # fmt: skip
    return specs
