"""The year-end forecast: the seasonal share, its Tết alignment, the Holt-Winters cross-check
and what each remaining month must bring."""

from __future__ import annotations

import statistics

import pytest

from ioc_core.shared.errors import ValidationFailed
from ioc_core.socio_economic.demo_history import SAMPLE_SPECS, DemoSeries, generate
from ioc_core.socio_economic.forecast import ForecastInputError, forecast_many, forecast_year_end
from ioc_core.socio_economic.targets import parse_range

pytestmark = pytest.mark.unit

# A year shaped like the reference's example: Tết and summer, known through August.
SHAPE = [1.1, 1.3, 0.9, 0.9, 1.0, 1.2, 1.3, 1.2, 0.8, 0.7, 0.7, 0.9]


def _history(years: range, growth: float = 0.1) -> dict[str, float]:
    return {
        f"{year}-{m:02d}": 100.0 * (1 + growth) ** (year - years.start) * SHAPE[m - 1]
        for year in years
        for m in range(1, 13)
    }


def _total(history: dict[str, float], year: int) -> float:
    return sum(value for period, value in history.items() if period.startswith(f"{year}-"))


def test_a_stable_shape_is_projected_exactly_where_the_run_rate_is_far_off() -> None:
    history = _history(range(2021, 2026))
    forecast = forecast_year_end(history, 2025, 8)
    truth = _total(history, 2025)
    assert forecast.value == pytest.approx(truth)
    assert forecast.ytd / 8 * 12 > 1.08 * truth  # the run-rate flatters the summer
    assert forecast.through == "2025-08" and forecast.years_used == [2022, 2023, 2024]
    assert forecast.low < forecast.value < forecast.high  # never narrower than the floor


def test_months_after_the_cut_off_are_not_looked_at() -> None:
    history = _history(range(2021, 2026))
    later = dict(history, **{f"2025-{m:02d}": 1e9 for m in range(9, 13)})
    assert forecast_year_end(later, 2025, 8).value == forecast_year_end(history, 2025, 8).value


def test_the_band_follows_the_spread_of_past_shares() -> None:
    history = _history(range(2021, 2026))
    history["2023-03"] *= 3  # one odd spring moves that year's share
    forecast = forecast_year_end(history, 2025, 8)
    steady = forecast_year_end(_history(range(2021, 2026)), 2025, 8)
    assert steady.high - steady.low == pytest.approx(0.03 * steady.value, rel=0.01)  # the floor
    assert forecast.high - forecast.low > 1.5 * (steady.high - steady.low)


def test_averages_and_levels_use_the_same_ratio() -> None:
    history = _history(range(2021, 2026), growth=0.0)
    rate = forecast_year_end(history, 2025, 6, aggregation="average")
    assert rate.value == pytest.approx(sum(SHAPE) / 12 * 100) and rate.ytd == pytest.approx(
        sum(SHAPE[:6]) / 6 * 100
    )
    stock = forecast_year_end(history, 2025, 6, aggregation="last")
    assert stock.value == pytest.approx(history["2025-12"]) and stock.method == "ratio_to_december"


def test_the_needed_amounts_follow_the_season_and_say_whether_they_were_ever_reached() -> None:
    history = _history(range(2021, 2026))
    truth = _total(history, 2025)
    forecast = forecast_year_end(history, 2025, 8, target=parse_range(f"{truth * 1.1:.0f}"))
    assert forecast.status == "off_track"
    rest = truth * 1.1 - forecast.ytd
    assert forecast.needed_total == pytest.approx(rest, rel=1e-3)
    assert forecast.needed_flat == pytest.approx(rest / 4, rel=1e-3)
    assert [n.period for n in forecast.needed] == ["2025-09", "2025-10", "2025-11", "2025-12"]
    assert sum(n.amount for n in forecast.needed) == pytest.approx(rest, rel=1e-3)
    september, october = forecast.needed[0], forecast.needed[1]
    assert september.amount / october.amount == pytest.approx(0.8 / 0.7, rel=1e-3)  # not flat
    # 10 % above what the year will bring, and above any past year's September.
    assert september.best_past == pytest.approx(history["2024-09"]) and september.best_past_year == 2024
    assert not september.achieved_before
    easy = forecast_year_end(history, 2025, 8, target=parse_range(f"{truth * 0.8:.0f}"))
    assert easy.status == "on_track" and all(n.achieved_before for n in easy.needed)
    assert easy.percent_of_plan == pytest.approx(125.0, rel=1e-3)


def test_a_target_where_less_is_better_compares_with_the_lowest_past_month() -> None:
    history = _history(range(2021, 2026), growth=0.0)  # accidents, say
    limit = parse_range(f"≤ {sum(SHAPE) * 100 * 0.9:.0f}")
    forecast = forecast_year_end(history, 2025, 8, target=limit, good="down")
    assert forecast.status == "off_track"
    assert [n.best_past for n in forecast.needed] == pytest.approx([100 * share for share in SHAPE[8:]])
    assert not any(n.achieved_before for n in forecast.needed)  # never that few in those months
    assert all(n.amount < n.best_past for n in forecast.needed if n.best_past is not None)
    loose = forecast_year_end(history, 2025, 8, target=parse_range("≤ 2000"), good="down")
    assert loose.status == "on_track" and all(n.achieved_before for n in loose.needed)


def test_holt_winters_is_beside_the_default_only_with_two_years_of_months() -> None:
    two_years = _history(range(2024, 2026))
    assert forecast_year_end(two_years, 2025, 8).holt_winters is None  # 20 months to the cut-off
    three = _history(range(2023, 2026))
    check = forecast_year_end(three, 2025, 8).holt_winters
    assert check is not None and check.months_used == 32
    assert check.value == pytest.approx(_total(three, 2025), rel=0.02)
    assert forecast_year_end(three, 2025, 8).method.startswith("seasonal_share")


def test_the_tet_aligned_share_beats_the_naive_one_at_the_january_cut_off() -> None:
    specs = [
        DemoSeries("RETAIL", "retail", 6000, 0.08, 0.02),
        DemoSeries("IIP", "industry", 3000, 0.08, 0.02),
        DemoSeries("VISITS", "tourism", 500, 0.08, 0.03),
    ]
    errors: dict[tuple[int, bool], list[float]] = {
        (cut, aligned): [] for cut in (1, 2) for aligned in (True, False)
    }
    for seed in range(10, 16):  # Tết moves: 2020–2025 hold January and February years alike
        for history in generate(specs, 2017, 2025, seed=seed).values():
            for year in range(2020, 2026):
                truth = _total(history, year)
                for cut, aligned in errors:
                    forecast = forecast_year_end(history, year, cut, tet_aligned=aligned, cross_check=False)
                    errors[cut, aligned].append(abs(forecast.value / truth - 1))
    median = {key: statistics.median(values) for key, values in errors.items()}
    assert median[1, True] < 0.7 * median[1, False]
    assert median[2, True] <= 1.05 * median[2, False]  # by February both hold the whole Tết


def test_many_series_at_once_give_what_one_at_a_time_gives() -> None:
    histories = generate(SAMPLE_SPECS, 2021, 2025)
    kinds = {spec.code: spec.aggregation for spec in SAMPLE_SPECS}
    together = forecast_many(histories, 2025, 6, aggregations=kinds)
    assert not together.unavailable
    for code, history in histories.items():
        alone = forecast_year_end(history, 2025, 6, aggregation=kinds[code])
        assert together.forecasts[code] == alone


def test_too_little_history_says_what_is_missing() -> None:
    history = _history(range(2025, 2026))
    with pytest.raises(ForecastInputError, match=r"full past year.*before 2025.*no earlier months"):
        forecast_year_end(history, 2025, 8)
    gap = {k: v for k, v in _history(range(2024, 2026)).items() if k != "2025-03"}
    with pytest.raises(ValueError, match="2025 lacks months up to the cut-off: 2025-03"):
        forecast_year_end(gap, 2025, 8)
    partial = {k: v for k, v in _history(range(2024, 2026)).items() if k != "2024-11"}
    with pytest.raises(ValidationFailed, match="2024: 11 months"):
        forecast_year_end(partial, 2025, 8)
    with pytest.raises(ForecastInputError, match="1–12"):
        forecast_year_end(_history(range(2024, 2026)), 2025, 13)
    many = forecast_many({"ok": _history(range(2024, 2026)), "short": history}, 2025, 8)
    assert list(many.forecasts) == ["ok"] and "full past year" in many.unavailable["short"]


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"2025-1": 1.0}, "2025-1: the period must be YYYY-MM"),
        ({"2025-13": 1.0}, "2025-13: the month must be 01–12"),
        ({"abcd-01": 1.0}, "abcd-01: the period must be YYYY-MM"),
        ({"2025-01": "12"}, "2025-01: the value must be a finite number"),
        ({"2025-01": float("nan")}, "2025-01: the value must be a finite number"),
    ],
)
def test_bad_history_names_the_period(history: dict[str, float], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        forecast_year_end(history, 2025, 1)


def test_a_series_without_positive_totals_is_refused_plainly() -> None:
    history = {f"{y}-{m:02d}": 0.0 for y in (2024, 2025) for m in range(1, 13)}
    with pytest.raises(ForecastInputError, match="positive year totals; 2024"):
        forecast_year_end(history, 2025, 4)
