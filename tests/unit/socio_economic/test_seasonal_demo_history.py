"""The demo history: the same figures every run, shaped like the province's year."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ioc_core.socio_economic.demo_history import SAMPLE_SPECS, DemoSeries, generate, sample_specs, write_csv
from ioc_core.socio_economic.tet import tet_date

pytestmark = pytest.mark.unit


def _months(history: dict[str, float], year: int) -> np.ndarray:
    return np.array([history[f"{year}-{m:02d}"] for m in range(1, 13)])


def test_the_same_specs_give_the_same_figures_in_another_process() -> None:
    here = generate(SAMPLE_SPECS, 2021, 2026, last_month=11)
    code = (
        "import json; from ioc_core.socio_economic.demo_history import SAMPLE_SPECS, generate; "
        "print(json.dumps(generate(SAMPLE_SPECS, 2021, 2026, last_month=11)))"
    )
    # Another interpreter has another string hash seed: the noise must not depend on it.
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(there) == here
    assert generate(SAMPLE_SPECS, 2021, 2026, seed=1) != generate(SAMPLE_SPECS, 2021, 2026, seed=0)


def test_it_runs_from_january_of_the_first_year_to_the_last_month() -> None:
    history = generate(SAMPLE_SPECS[:1], 2021, 2026, last_month=11)["TOURIST_ARRIVALS"]
    assert min(history) == "2021-01" and max(history) == "2026-11" and len(history) == 5 * 12 + 11


def test_tourism_peaks_in_summer_and_at_tet_and_international_in_winter() -> None:
    history = generate(SAMPLE_SPECS, 2021, 2025)
    domestic = _months(history["TOURIST_ARRIVALS"], 2024)
    assert domestic[5:8].mean() > 1.25 * domestic[[3, 4, 8, 9, 10]].mean()
    assert domestic[1] > domestic[2]  # Tết 2024 was in February
    international = _months(history["TOURIST_ARRIVALS_INTL"], 2024)
    assert international[[10, 11, 0, 1, 2]].mean() > 1.6 * international[4:9].mean()


def test_the_tet_month_moves_with_the_real_date() -> None:
    flat = {"growth": 0.0, "noise": 0.0}
    retail = generate([DemoSeries("RETAIL", "retail", 1000.0, **flat)], 2022, 2026)["RETAIL"]
    industry = generate([DemoSeries("IIP", "industry", 1000.0, **flat)], 2022, 2026)["IIP"]

    def january_over_february(history: dict[str, float], year: int) -> float:
        return history[f"{year}-01"] / history[f"{year}-02"]

    by_date = sorted(range(2022, 2027), key=lambda year: tet_date(year).replace(year=2000))
    assert by_date == [2023, 2025, 2022, 2024, 2026]
    # The earlier Tết falls, the more of its shopping lands in January and the more of its
    # factory holiday too.
    shopping = [january_over_february(retail, year) for year in by_date]
    holiday = [january_over_february(industry, year) for year in by_date]
    assert shopping == sorted(shopping, reverse=True)
    assert holiday == sorted(holiday)
    assert retail["2023-01"] > retail["2023-02"] and retail["2026-02"] > retail["2026-01"]
    assert industry["2023-01"] < industry["2023-02"] and industry["2026-02"] < industry["2026-01"]


def test_growth_and_a_heavy_december_for_the_budget() -> None:
    history = generate(SAMPLE_SPECS, 2021, 2025)
    retail = history["RETAIL_SALES"]
    assert _months(retail, 2025).sum() > 1.3 * _months(retail, 2021).sum()  # about 10 % a year
    budget = _months(history["BUDGET_REVENUE"], 2024)
    assert budget[11] > 1.5 * budget.mean() and budget[0] < 0.7 * budget.mean()
    occupancy = history["HOTEL_OCCUPANCY"]
    assert all(0 <= value <= 100 for value in occupancy.values())


def test_an_unknown_profile_is_named() -> None:
    with pytest.raises(ValueError, match="X: unknown profile 'beach'"):
        generate([DemoSeries("X", "beach", 1.0, 0.0, 0.0)], 2021, 2022)


def test_sample_specs_scale_to_a_city_and_write_the_backtest_csv(tmp_path: Path) -> None:
    specs = sample_specs(60)
    assert len({spec.code for spec in specs}) == 60
    history = generate(specs[:3], 2024, 2025)
    path = tmp_path / "demo.csv"
    assert write_csv(history, path) == 3 * 24
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == "series,period,value" and lines[1].startswith("TOURIST_ARRIVALS_00,2024-01,")
